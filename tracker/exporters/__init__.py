"""Write contacts out: vCard 4.0 for address books, CSV for spreadsheets.

Pure code: plain cards and rows in, text out, no Flask and no database.
"""

from tracker.exporters.csv import neutralise, write_csv
from tracker.exporters.vcard import write_vcards

__all__ = ["neutralise", "write_csv", "write_vcards"]
