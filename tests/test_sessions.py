"""Sessions, login throttling, the security log, errors with request ids, card images."""

import io
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.models import CardImage, LoginAttempt, SecurityEvent, UserSession

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)


def log_in_form(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def cookie_of(client):
    return client.get_cookie("jinmyaku_session").value


def test_login_starts_a_fresh_session_and_logout_kills_a_replayed_cookie(client, app, user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in_form(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.get("/contacts").status_code == 200
    stolen = cookie_of(client)
    client.post("/logout")
    assert client.get("/contacts").status_code == 302
    client.set_cookie("jinmyaku_session", stolen)
    assert client.get("/contacts").status_code == 302
    with write_transaction(app) as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(UserSession)
                .where(UserSession.revoked_at.is_(None))
            )
            == 0
        )


def test_a_browser_name_with_control_characters_is_stored_without_them(client, app, user):
    # PostgreSQL refuses NUL in text: a login must not fail on what the browser calls itself.
    client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": "Agent\x00/1\x1f"},
    )
    assert client.get("/contacts").status_code == 200
    with write_transaction(app) as session:
        assert session.scalars(select(UserSession.user_agent)).all() == ["Agent/1"]


def test_log_out_everywhere_and_a_new_password_end_the_other_sessions(app, user):
    phone, laptop = app.test_client(), app.test_client()
    log_in_form(phone, user, remember=True)
    log_in_form(laptop, user)
    laptop.post("/settings/logout-everywhere")
    assert phone.get("/contacts").status_code == 302
    assert laptop.get("/contacts").status_code == 302
    log_in_form(phone, user)
    log_in_form(laptop, user)
    response = laptop.post(
        "/settings/password",
        data={
            "current": PASSWORD,
            "new": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/contacts").status_code == 200  # the one that changed it stays in
    assert phone.get("/contacts").status_code == 302
    assert log_in_form(phone, user).status_code == 200  # the old password no longer works
    with write_transaction(app) as session:
        kinds = [e.kind for e in session.scalars(select(SecurityEvent).order_by(SecurityEvent.id))]
    assert (
        kinds.count("login") >= 4 and "logout_everywhere" in kinds and "password_changed" in kinds
    )
    assert "login_failed" in kinds


def test_a_wrong_current_password_changes_nothing(signed_in, app, user):
    response = signed_in.post(
        "/settings/password",
        data={
            "current": "wrong wrong",
            "new": "another passphrase",
            "confirm": "another passphrase",
        },
    )
    assert "That is not your current password." in response.get_data(as_text=True)


def test_idle_and_absolute_lifetimes(client, app, user):
    app.config["SESSION_IDLE_MINUTES"] = 30
    log_in_form(client, user)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    assert client.get("/contacts").status_code == 302
    log_in_form(client, user, remember=True)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60  # a remembered session forgives a day away
    assert client.get("/contacts").status_code == 200
    with write_transaction(app) as session:
        session.execute(
            update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert client.get("/contacts").status_code == 302


def test_remember_me_lasts_thirty_days(client, app, user):
    log_in_form(client, user, remember=True)
    cookie = client.get_cookie("jinmyaku_session")
    assert cookie.expires is not None
    assert timedelta(days=29) < cookie.expires - datetime.now(UTC) <= timedelta(days=30, minutes=1)
    with write_transaction(app) as session:
        row = session.scalars(select(UserSession)).one()
        assert row.remember is True
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


def test_cookie_flags_and_the_host_prefix_over_https(fresh_database, password_hash):
    from tests.conftest import make_config

    app = create_app(make_config(fresh_database(), PREFER_HTTPS=True))
    client = app.test_client()
    with write_transaction(app) as session:
        from tracker.models import User

        session.add(User(email="s@example.jp", password_hash=password_hash))
    response = client.post(
        "/login", data={"email": "s@example.jp", "password": PASSWORD}, base_url="https://localhost"
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-jinmyaku_session=")
    assert (
        "Secure" in cookie
        and "HttpOnly" in cookie
        and "SameSite=Lax" in cookie
        and "Path=/" in cookie
    )
    assert "Domain" not in cookie
    assert "max-age=63072000" in response.headers["Strict-Transport-Security"]
    database(app).engine.dispose()


def test_plain_http_cookies_are_httponly_and_lax(client, user):
    cookie = log_in_form(client, user).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_ten_failures_throttle_the_account_and_the_address(client, app, user, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(10):
        assert (
            client.post(
                "/login", data={"email": user.email, "password": "wrong password"}
            ).status_code
            == 200
        )
    refused = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Try again in 15 minutes" in refused.get_data(as_text=True)
    assert 800 < int(refused.headers["Retry-After"]) <= 900
    other = client.post("/login", data={"email": "someone@example.jp", "password": "whatever1"})
    assert other.status_code == 429  # the same address, another account
    assert PASSWORD not in caplog.text and "wrong password" not in caplog.text
    assert "Login failed for" in caplog.text
    with write_transaction(app) as session:
        session.execute(update(LoginAttempt).values(at=datetime.now(UTC) - timedelta(minutes=16)))
    assert log_in_form(client, user).status_code == 302


def test_errors_are_friendly_with_a_request_id_and_logged_once(signed_in, app, caplog):
    caplog.set_level(logging.INFO)

    @app.route("/boom")
    def boom():
        raise RuntimeError("SELECT secret FROM nowhere")

    response = signed_in.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "Traceback" not in page and "SELECT" not in page
    request_id = response.headers["X-Request-Id"]
    assert request_id in page
    assert sum(1 for r in caplog.records if "/boom" in r.getMessage()) == 1
    assert caplog.records[-1].request_id == request_id


@pytest.mark.parametrize(("language", "title"), [("ja", "見つかりません"), ("en", "Not found")])
def test_error_pages_in_both_languages(client, language, title):
    page = client.get("/nothing-here", headers={"Accept-Language": language}).get_data(as_text=True)
    assert title in page


def test_card_images_by_their_bytes_and_only_to_their_owner(
    signed_in, app, make_contact, make_user
):
    from tests.conftest import log_in

    person = make_contact()
    for name, data in [("card.png", PNG), ("card.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)]:
        signed_in.post(
            f"/contacts/{person.id}/card-image",
            data={"image": (io.BytesIO(data), name), "save": "1"},
            content_type="multipart/form-data",
        )
    image = signed_in.get(f"/contacts/{person.id}/card-image")
    assert image.mimetype == "image/jpeg" and image.headers["X-Content-Type-Options"] == "nosniff"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, data in [("card.svg", svg), ("card.png", b"GIF89a" + b"0" * 20), ("card.png", svg)]:
        response = signed_in.post(
            f"/contacts/{person.id}/card-image",
            data={"image": (io.BytesIO(data), name), "save": "1"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    with write_transaction(app) as session:
        (stored,) = session.scalars(select(CardImage)).all()
        assert stored.content_type == "image/jpeg"
    log_in(signed_in, make_user())
    assert signed_in.get(f"/contacts/{person.id}/card-image").status_code == 404
