"""Accounts: the first account, logging in and out, password rules, and one owner per row."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tracker.db import write_transaction
from tracker.models import User


def count_users(app):
    with write_transaction(app) as session:
        return session.scalar(select(func.count()).select_from(User))


def test_first_visit_asks_to_create_the_account(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.endswith("/setup")
    page = client.get("/setup")
    assert "Create your account" in page.get_data(as_text=True)


def test_creating_the_first_account_signs_in(client, app):
    response = client.post(
        "/setup",
        data={
            "display_name": "天野",
            "email": "Owner@Example.JP ",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "language": "ja",
        },
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert '<html lang="ja">' in home.get_data(as_text=True)
    with write_transaction(app) as session:
        user = session.scalars(select(User)).one()
        assert user.email == "owner@example.jp"
        assert user.password_hash.startswith("pbkdf2:sha256:600000$")
        assert PASSWORD not in user.password_hash


def test_setup_is_gone_once_an_account_exists(client, user):
    assert client.get("/setup").status_code == 404
    response = client.post(
        "/setup",
        data={
            "email": "intruder@example.jp",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "language": "en",
        },
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("password", "confirm"),
    [("short", "short"), ("x" * 129, "x" * 129), (PASSWORD, PASSWORD + "!")],
)
def test_setup_refuses_bad_passwords(client, app, password, confirm):
    response = client.post(
        "/setup",
        data={"email": "a@example.jp", "password": password, "confirm": confirm, "language": "en"},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_login_and_logout(client, user):
    assert client.get("/contacts").status_code == 302
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/contacts").status_code == 200
    client.post("/logout")
    response = client.get("/contacts")
    assert response.status_code == 302
    assert "/login" in response.location


def test_wrong_password_is_refused_without_saying_which_part(client, user):
    for email, password in [(user.email, "wrong password"), ("nobody@example.jp", PASSWORD)]:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 200
        assert "Wrong email address or password." in response.get_data(as_text=True)
    assert client.get("/contacts").status_code == 302


def test_login_redirects_only_within_the_site(client, user):
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/contacts", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/contacts"


def test_signed_out_visitors_are_sent_to_login(client, user):
    for url in ["/contacts", "/cards/new", "/touchpoints/new", "/events", "/settings"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.location
