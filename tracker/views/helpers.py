"""What the views share: pickers, safe redirects, deleting after confirmation, and asking
for the password again before a sensitive action."""

from collections.abc import Callable
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from tracker import auth
from tracker.db import get_session, write_session
from tracker.fields import NAME_LEN
from tracker.forms import ConfirmForm, IdentityForm
from tracker.i18n import format_day
from tracker.services.contacts import lookup, owned_contacts
from tracker.services.events import events_to_pick
from tracker.services.security import record


class Named(Protocol):
    """What a contact's label is made of."""

    @property
    def name(self) -> str: ...

    @property
    def company(self) -> str: ...


def contact_label(contact: Named) -> str:
    return f"{contact.name} ({contact.company})" if contact.company else contact.name


def contact_choices(picked_ids: list[int], query: str = "") -> list[SelectChoice]:
    """Choices for a contact picker: the contacts already picked, then those a search found."""
    session, user_id = get_session(), auth.user_id()
    seen = {c.id: c for c in owned_contacts(session, user_id, picked_ids)}
    # The search runs before the form is validated: cap what it searches for.
    query = query[:NAME_LEN]
    for contact in lookup(session, user_id, query, limit=20) if query else []:
        seen.setdefault(contact.id, contact)
    return [SelectChoice(str(contact.id), contact_label(contact)) for contact in seen.values()]


def event_choices(selected: int | None, none_label: str) -> list[SelectChoice]:
    """Choices for an event select: none, then the recent events (and the selected one)."""
    events = events_to_pick(get_session(), auth.user_id(), selected)
    labels = [SelectChoice("", none_label)]
    for event in events:
        when = f" ({format_day(event.held_on)})" if event.held_on else ""
        labels.append(SelectChoice(str(event.id), f"{event.name}{when}"))
    return labels


def safe_target(target: str) -> bool:
    """A path on this site that can go into a Location header: no other host, no
    backslash, and no control character (CR/LF would split the header)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return False
    try:
        return not urlsplit(target).netloc
    except ValueError:
        return False


def safe_next(default: str) -> str:
    """The ?next= address when it stays on this site, else the default."""
    target = request.values.get("next", "")
    return target if safe_target(target) else default


def delete_confirmed(
    remove: Callable[[], object],
    detail: str,
    message: str,
    target: str,
    template: str,
    **context: object,
) -> str | Response:
    """Ask to confirm a deletion (GET, or a form sent without its token); once confirmed,
    delete through the service, write the detail to the security log, commit, flash the
    message and go to the target. ``remove`` is called in the write transaction."""
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        remove()
        record(session, auth.user_id(), "deletion", detail, auth.client_ip())
        session.commit()
        flash(message, "success")
        return redirect(target)
    return render_template(template, form=form, **context)


F = TypeVar("F", bound=IdentityForm)


def ask_identity(form: F) -> F:
    """Say, to a user with two-step sign-in, that a code from the app works too."""
    if auth.user().totp_secret:
        form.password.label.text = _("Your password, or a code from your authenticator app")
    return form


def identity_confirmed(form: IdentityForm, action: str, kind: str = "confirmation_failed") -> bool:
    """True when the password (or code) typed is right: the request is then in a write
    transaction. A wrong one counts towards the throttle, goes to the security log, and the
    field says so."""
    account = auth.user()
    if auth.confirm_identity(account, form.password.data or ""):
        return True
    db = write_session()
    record(db, account.id, kind, action, auth.client_ip())
    db.commit()
    message = (
        _("That is neither your password nor a current code.")
        if account.totp_secret
        else _("That is not your password.")
    )
    form.password.errors = [*form.password.errors, message]
    return False
