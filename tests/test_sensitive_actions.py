"""Sensitive actions ask again (issue 15, finding 4).

A password change is throttled and its failures logged; an export, a password change and
deleting the account need the password (or, with two-step sign-in, a code). One throttle
counts every password and code typed, and each try is counted before it is checked, so
guesses sent in parallel do not slip past the limit.
"""

import threading
from collections import Counter

from sqlalchemy import func, select

from tests.conftest import PASSWORD, log_in, logged_kinds, stored
from tests.live import LiveServer
from tests.test_durability import Browser
from tracker.db import write_transaction
from tracker.models import (
    Contact,
    LoginAttempt,
    Referral,
    SecurityEvent,
    Touchpoint,
    TrashEntry,
    User,
    UserSession,
)

NEW = "a brand new passphrase"


def change_password(client, current, new=NEW):
    return client.post("/settings/password", data={"current": current, "new": new, "confirm": new})


def test_finding_4_fifteen_wrong_current_passwords_then_the_right_one_is_refused(
    signed_in, app, user
):
    for _ in range(15):
        response = change_password(signed_in, "not my password")
        assert response.status_code in (200, 429)
    refused = change_password(signed_in, PASSWORD)
    assert refused.status_code == 429
    assert "Try again in" in refused.get_data(as_text=True) and refused.headers["Retry-After"]
    with write_transaction(app) as session:
        assert stored(session, User, user.id).password_hash == user.password_hash  # unchanged
    logged = logged_kinds(app, user.id)
    assert logged.count("password_change_failed") == 10  # each failure, until the throttle
    assert "password_changed" not in logged
    # The same throttle guards the login: the account is closed to guesses there too.
    assert (
        app.test_client()
        .post("/login", data={"email": user.email, "password": PASSWORD})
        .status_code
        == 429
    )


def test_a_password_change_works_with_the_right_password_and_is_logged(signed_in, app, user):
    assert change_password(signed_in, "wrong once").status_code == 200
    assert change_password(signed_in, PASSWORD).status_code == 302
    assert logged_kinds(app, user.id) == ["password_change_failed", "password_changed"]


def test_an_export_asks_for_the_password(signed_in, app, user, make_contact):
    make_contact(family_name="山田")
    for data in ({"format": "csv"}, {"format": "csv", "password": "guess guess"}):
        response = signed_in.post("/export", data=data)
        assert response.status_code == 200 and "Content-Disposition" not in response.headers
        assert "password" in response.get_data(as_text=True).lower()
    response = signed_in.post("/export", data={"format": "csv", "password": PASSWORD})
    assert response.status_code == 200 and "山田" in response.get_data(as_text=True)
    assert logged_kinds(app, user.id) == ["confirmation_failed", "export"]


def test_deleting_the_account_asks_for_the_password_and_deletes_everything(
    app, make_user, make_contact, make_touchpoint, make_referral, make_event
):
    owner, other = make_user(email="owner@example.jp"), make_user(email="other@example.jp")
    person = make_contact(owner=owner, family_name="山田", tags=["税理士"])
    make_touchpoint([person], owner=owner)
    make_referral(person, owner=owner)
    make_event(owner=owner, name="朝会")
    kept = make_contact(owner=other, family_name="残る")
    client = app.test_client()
    log_in(client, owner)
    client.post(f"/contacts/{person.id}/delete")
    for data in (
        {"delete-password": PASSWORD},  # the box not ticked
        {"delete-password": "not it at all", "delete-understood": "y"},
    ):
        response = client.post("/settings/delete-account", data=data)
        assert response.status_code == 200
    with write_transaction(app) as session:
        assert session.get(User, owner.id) is not None
    response = client.post(
        "/settings/delete-account", data={"delete-password": PASSWORD, "delete-understood": "y"}
    )
    assert response.status_code == 302 and response.location.endswith("/login")
    assert client.get("/contacts").status_code == 302  # signed out
    with write_transaction(app) as session:
        assert session.get(User, owner.id) is None
        for model in (Contact, Touchpoint, Referral, TrashEntry, SecurityEvent, UserSession):
            assert not session.scalar(
                select(func.count()).select_from(model).where(model.user_id == owner.id)
            ), model
        assert session.get(Contact, kept.id) is not None
    assert (
        app.test_client()
        .post("/login", data={"email": owner.email, "password": PASSWORD})
        .status_code
        == 200
    )  # no such account any more


def test_parallel_guesses_are_all_counted(app, user):
    """Forty wrong passwords at once: no more than the limit are ever checked."""
    limit = app.config["LOGIN_FAILURE_LIMIT"]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    with LiveServer(app, threads=8) as server:

        def guess(number: int) -> None:
            status, _, _ = Browser(server.port).post_form(
                "/login", [("email", user.email), ("password", f"guess number {number}")]
            )
            with lock:
                statuses[status] += 1

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses[200] == limit and statuses[429] == 40 - limit, statuses
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == limit
