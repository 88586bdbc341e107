"""Services: functions that take a session and plain values, flush, and never commit.

They import nothing of Flask. A message meant for the user is marked with ``N_`` so the
translation catalogue picks it up, and the view translates it when it shows it.
"""

from tracker.messages import N_, UserError

__all__ = ["N_", "ServiceError"]


class ServiceError(UserError):
    """A request the data cannot honour; ``message % params`` is shown to the user."""
