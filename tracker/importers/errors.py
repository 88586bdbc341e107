"""The importers' own error: they depend on nothing of the app's services.

A message meant for the user is marked with ``N_`` so the catalogue picks it up; the view
or command that shows it translates it (``message % params`` once translated).
"""

from tracker.messages import N_, UserError

__all__ = ["N_", "ImportFormatError"]


class ImportFormatError(UserError):
    """A file that is empty, binary, or in no format the importer knows."""
