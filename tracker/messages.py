"""Messages meant for the user, marked where they are written and translated where shown.

Pure code, shared by the layers that must not know of Flask (services, importers, the field
specification): ``N_`` marks a message for the catalogue (``make messages`` extracts it),
and ``UserError`` carries one with its parameters up to the view or command that shows it.
"""

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


class UserError(ValueError):
    """An error whose ``message % params`` is shown to the user, once translated."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
