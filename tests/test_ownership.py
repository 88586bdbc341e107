"""The one owner check: a row of the user's is found by its id; another user's row is, to
the caller, a row that does not exist (NotFound, which the web answers with a 404)."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker.db import write_transaction
from tracker.models import Contact, Event, User
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
