"""The relationship rules of DESIGN.md, in pure Python: no Flask, no SQLAlchemy.

They take plain values (dates, kinds, counts) and return plain values, so that they
can be read, tested and changed on their own.
"""
