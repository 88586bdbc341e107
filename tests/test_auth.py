"""Accounts: the first account, logging in and out, password rules, and one owner per row."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, make_config
from tracker import create_app
from tracker.config import PASSWORD_HASH_METHOD
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
    app.config["PASSWORD_HASH_METHOD"] = PASSWORD_HASH_METHOD  # the default, at full cost
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


def test_passwords_are_hashed_with_600000_pbkdf2_rounds_unless_configured(tmp_path):
    config = make_config(tmp_path / "unused.sqlite3")
    del config["PASSWORD_HASH_METHOD"]
    assert create_app(config).config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:600000"


def test_a_wrong_email_is_checked_against_a_hash_of_the_configured_cost(
    client, app, user, monkeypatch
):
    from tracker.views import auth as auth_views

    checked: list[str] = []

    def check(stored: str, _given: str) -> bool:
        checked.append(stored)
        return False

    monkeypatch.setattr(auth_views, "check_password_hash", check)
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:700000"
    client.post("/login", data={"email": "nobody@example.jp", "password": PASSWORD})
    assert [stored.rsplit("$", 2)[0] for stored in checked] == ["pbkdf2:sha256:700000"]


def test_a_wrong_email_is_refused_like_a_wrong_password_with_scrypt_too(client, app, user):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    response = client.post("/login", data={"email": "nobody@example.jp", "password": PASSWORD})
    assert response.status_code == 200
    assert "Wrong email address or password." in response.get_data(as_text=True)


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
