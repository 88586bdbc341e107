"""Forms that save once, however often they are sent: the view side of
tracker.services.once. A form with a ``form_token`` field gets a new token when it is
opened; saving spends it; a resend, a double tap or a racing twin is sent where the first
one went."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.services import ServiceError
from tracker.services.drafts import new_token
from tracker.services.once import AlreadySpent, Submission, lead_to, spend, spent
from tracker.web import error_message

__all__ = ["AlreadySpent", "give_token", "lead_to", "save_once", "saved_before", "spend_token"]


class Identified(Protocol):
    """A row, as far as saving it once is concerned."""

    id: int


T = TypeVar("T", bound=Identified)


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


def save_once(
    form: Any,
    row: T | None,
    create: Callable[[Any, int], T],
    update: Callable[[Any, int, int], object],
    target: Callable[[T], str],
    messages: tuple[str, str],
    fallback: str,
) -> Response | None:
    """Create the row (spending the form's token) or update it, commit, flash the first
    message (created) or the second (saved) and go to its target. ``create`` is called with
    the write session and the user's id, ``update`` with those and the row's id. None when a service
    refused: its message is then on the form. A form already saved leads where it led,
    or to the fallback."""
    created = row is None
    if created and (done := saved_before(form)) is not None:
        return done
    session = write_session()
    submission = None
    try:
        if row is None:
            submission = spend_token(form)
            row = create(session, auth.user_id())
        else:
            update(session, auth.user_id(), row.id)
    except AlreadySpent:
        session.rollback()
        return saved_before(form) or redirect(fallback)
    except ServiceError as error:
        session.rollback()
        form.form_errors.append(error_message(error))
        return None
    where = target(row)
    if submission is not None:
        lead_to(submission, where)
    session.commit()
    flash(messages[0] if created else messages[1], "success")
    return redirect(where)
