"""Forms that save once, however often they are sent: the view side of
tracker.services.once. A form with a ``form_token`` field gets a new token when it is
opened; saving spends it; a resend, a double tap or a racing twin is sent where the first
one went."""

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.services.drafts import new_token
from tracker.services.once import AlreadySpent, Submission, lead_to, spend, spent

__all__ = ["AlreadySpent", "give_token", "lead_to", "saved_before", "spend_token"]


def give_token(form: Any) -> None:
    """Give a form just opened its one-time token (a form sent back keeps its own)."""
    if not form.form_token.data:
        form.form_token.data = new_token()


def saved_before(form: Any, fallback: str | None = None) -> Response | None:
    """Where this form led when it was saved already; None when it was not."""
    submission = spent(get_session(), auth.user_id(), form.form_token.data or "")
    if submission is None:
        return None
    flash(_("This was saved already."), "info")
    return redirect(submission.target or fallback or url_for("home.index"))


def spend_token(form: Any) -> Submission | None:
    """Spend the form's token before saving what it holds (AlreadySpent when it was); the
    request's session is in its write transaction from here on."""
    session = write_session()
    token = form.form_token.data
    return spend(session, auth.user_id(), token) if token else None
