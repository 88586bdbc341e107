"""The importers' own error and message marker: they depend on nothing of the app's services.

A message meant for the user is marked with ``N_`` so the catalogue picks it up; the view
or command that shows it translates it (``message % params`` once translated).
"""

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


class ImportFormatError(ValueError):
    """A file that is empty, binary, or in no format the importer knows."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
