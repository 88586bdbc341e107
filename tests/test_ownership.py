"""The one owner check: a row of the user's is found by its id; another user's row is, to
the caller, a row that does not exist (NotFound, which the web answers with a 404)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from tests.conftest import TODAY
from tracker.db import write_transaction
from tracker.models import Contact, Event, Tag, User
from tracker.services import contacts, duplicates, events, referrals, touchpoints
from tracker.services.ownership import NotFound, find_owned, owned, owned_ids


def test_a_users_own_row_is_found(
    app: Flask, user: User, make_contact: Callable[..., Contact]
) -> None:
    mine = make_contact()
    with write_transaction(app) as session:
        assert owned(session, Contact, user.id, mine.id).id == mine.id
        found = find_owned(session, Contact, user.id, mine.id)
        assert found is not None and found.id == mine.id


@pytest.mark.parametrize("whose", ["another user's", "nobody's", "no id"])
def test_any_other_id_is_not_found(
    app: Flask,
    user: User,
    make_user: Callable[..., User],
    make_contact: Callable[..., Contact],
    whose: str,
) -> None:
    theirs = make_contact(owner=make_user())
    wanted: Any = {"another user's": theirs.id, "nobody's": theirs.id + 1000, "no id": None}
    with write_transaction(app) as session:
        assert find_owned(session, Contact, user.id, wanted[whose]) is None
        with pytest.raises(NotFound):
            owned(session, Contact, user.id, wanted[whose])


def test_owned_ids_keeps_only_the_users_own(
    app: Flask,
    user: User,
    make_user: Callable[..., User],
    make_contact: Callable[..., Contact],
    make_event: Callable[..., Event],
) -> None:
    mine, theirs = make_contact(), make_contact(owner=make_user())
    event = make_event()
    with write_transaction(app) as session:
        ids = [mine.id, theirs.id, theirs.id + 1000, "7", None]
        assert owned_ids(session, Contact, user.id, ids) == {mine.id}
        assert owned_ids(session, Event, user.id, [event.id]) == {event.id}


def test_another_users_row_is_the_same_404_as_a_missing_one(
    signed_in: FlaskClient, make_user: Callable[..., User], make_contact: Callable[..., Contact]
) -> None:
    theirs = make_contact(owner=make_user(), family_name="秘密")
    page = signed_in.get(f"/contacts/{theirs.id}")
    assert page.status_code == 404 and "秘密" not in page.text
    assert signed_in.get(f"/contacts/{theirs.id + 1000}").status_code == 404


# Every service that changes or removes one row takes the user and the row's id, and
# loads the row through the owner check: given another user's id, it changes nothing.
CHANGES: dict[str, Callable[[Any, int, Any], object]] = {
    "update_contact": lambda s, uid, rows: contacts.update_contact(
        s, uid, rows.contact.id, contacts.ContactData(family_name="乗っ取り"), TODAY
    ),
    "set_stage": lambda s, uid, rows: contacts.set_stage(
        s, uid, rows.contact.id, "collaborator", TODAY
    ),
    "set_cadence": lambda s, uid, rows: contacts.set_cadence(
        s, uid, rows.contact.id, "every week", TODAY
    ),
    "snooze": lambda s, uid, rows: contacts.snooze(s, uid, rows.contact.id, None, TODAY),
    "set_archived": lambda s, uid, rows: contacts.set_archived(s, uid, rows.contact.id, True),
    "delete_contact": lambda s, uid, rows: contacts.delete_contact(s, uid, rows.contact.id, TODAY),
    "set_tag_cadence": lambda s, uid, rows: contacts.set_tag_cadence(
        s, uid, rows.tag_id, "every week", TODAY
    ),
    "update_event": lambda s, uid, rows: events.update_event(
        s, uid, rows.event.id, events.EventData(name="乗っ取り")
    ),
    "delete_event": lambda s, uid, rows: events.delete_event(s, uid, rows.event.id),
    "update_touchpoint": lambda s, uid, rows: touchpoints.update_touchpoint(
        s,
        uid,
        rows.touchpoint.id,
        touchpoints.TouchpointData(occurred_on=TODAY, kind="call", contact_ids=[rows.contact.id]),
        TODAY,
    ),
    "delete_touchpoint": lambda s, uid, rows: touchpoints.delete_touchpoint(
        s, uid, rows.touchpoint.id, TODAY
    ),
    "update_referral": lambda s, uid, rows: referrals.update_referral(
        s,
        uid,
        rows.referral.id,
        referrals.ReferralData(
            referred_on=TODAY, direction="received", contact_id=rows.contact.id, subject="顧客"
        ),
        TODAY,
    ),
    "delete_referral": lambda s, uid, rows: referrals.delete_referral(
        s, uid, rows.referral.id, TODAY
    ),
    "merge": lambda s, uid, rows: duplicates.merge(s, uid, rows.contact.id, rows.twin.id, TODAY),
}


@dataclass
class Theirs:
    contact: Contact
    event: Event
    touchpoint: Any
    referral: Any
    tag_id: int
    twin: Contact


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    tables = [
        "contacts",
        "events",
        "touchpoints",
        "referrals",
        "tags",
        "trash_entries",
        "security_events",
    ]
    with write_transaction(app) as session:
        return {
            table: [tuple(row) for row in session.execute(text(f"SELECT * FROM {table}"))]
            for table in tables
        }


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_another_users_row_is_not_found_and_changes_nothing(
    app: Flask,
    user: User,
    make_user: Callable[..., User],
    make_contact: Callable[..., Contact],
    make_event: Callable[..., Event],
    make_touchpoint: Callable[..., Any],
    make_referral: Callable[..., Any],
    change: str,
) -> None:
    other = make_user()
    contact = make_contact(owner=other, family_name="他人", tags=["士業"])
    rows = Theirs(
        contact=contact,
        event=make_event(owner=other),
        touchpoint=make_touchpoint([contact], owner=other),
        referral=make_referral(contact, owner=other),
        tag_id=0,
        twin=make_contact(owner=other, family_name="他人"),
    )
    with write_transaction(app) as session:
        rows.tag_id = session.scalars(select(Tag.id).where(Tag.user_id == other.id)).one()
    before = _snapshot(app)
    with write_transaction(app) as session, pytest.raises(NotFound):
        CHANGES[change](session, user.id, rows)
    assert _snapshot(app) == before
    # The owner's own id goes through.
    with write_transaction(app) as session:
        CHANGES[change](session, other.id, rows)
