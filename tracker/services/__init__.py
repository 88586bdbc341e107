"""Services: functions that take a session and plain values, flush, and never commit.

They import nothing of Flask. A message meant for the user is marked with ``N_`` so the
translation catalogue picks it up, and the view translates it when it shows it.
"""

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


class ServiceError(ValueError):
    """A request the data cannot honour; ``message % params`` is shown to the user."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
