"""What the views share: loading a user's own rows, pickers, safe redirects, and asking for
the password again before a sensitive action."""

from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import IdentityForm
from tracker.i18n import format_day
from tracker.models import NAME_LEN, Contact, Event, Referral, Touchpoint
from tracker.services.contacts import lookup, owned_contacts
from tracker.services.events import recent_events
from tracker.services.security import record

T = TypeVar("T", Contact, Event, Touchpoint, Referral)


def get_owned_or_404(model: type[T], object_id: int) -> T:
    """The signed-in user's row of this model, or 404: the only way views load one."""
    row = get_session().get(model, object_id)
    if row is None or row.user_id != auth.user_id():
        abort(404)
    return row


def get_contact_or_404(contact_id: int) -> Contact:
    return get_owned_or_404(Contact, contact_id)


def contact_label(contact: Contact) -> str:
    return f"{contact.name} ({contact.company})" if contact.company else contact.name


def contact_choices(session: Session, picked_ids: list[int], query: str = "") -> list[SelectChoice]:
    """Choices for a contact picker: the contacts already picked, then those a search found."""
    user_id = auth.user_id()
    seen: dict[int, Contact] = {c.id: c for c in owned_contacts(session, user_id, picked_ids)}
    # The search runs before the form is validated: cap what it searches for.
    query = query[:NAME_LEN]
    for contact in lookup(session, user_id, query, limit=20) if query else []:
        seen.setdefault(contact.id, contact)
    return [SelectChoice(str(contact.id), contact_label(contact)) for contact in seen.values()]


def event_choices(session: Session, selected: int | None, none_label: str) -> list[SelectChoice]:
    """Choices for an event select: none, then the recent events (and the selected one)."""
    events = recent_events(session, auth.user_id())
    if selected is not None and all(event.id != selected for event in events):
        extra = get_session().get(Event, selected)
        if extra is not None and extra.user_id == auth.user_id():
            events.append(extra)
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
