"""Two-step sign-in (TOTP): set up with a QR code drawn on the server, confirmed with a code,
ten one-time recovery codes kept as hashes; codes count towards the login throttle;
turning it on, using a recovery code and turning it off go to the security log."""

import re
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, logged_kinds, stored
from tracker.db import write_transaction
from tracker.models import RecoveryCode, User


def code(secret, when=None, offset=0):
    return pyotp.TOTP(secret).at(when or datetime.now(UTC), counter_offset=offset)


def turn_on(client, app, user):
    """Set two-step sign-in up as a person does; returns the secret and recovery codes."""
    response = client.post("/settings/two-step/start", data={"twostep-password": PASSWORD})
    assert response.status_code == 302 and response.location == "/settings/two-step"
    page = client.get("/settings/two-step").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert secret, "no secret key on the page"
    key = secret.group(1).replace(" ", "")
    with write_transaction(app) as session:
        assert stored(session, User, user.id).totp_secret is None  # not yet: not confirmed
    response = client.post("/settings/two-step", data={"code": code(key), "turn_on": "1"})
    assert response.status_code == 200
    codes = re.findall(
        r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", response.get_data(as_text=True)
    )
    return key, codes


def log_in(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def test_setting_up_shows_a_qr_code_drawn_here_and_needs_a_right_code(signed_in, app, user):
    assert (
        signed_in.post(
            "/settings/two-step/start", data={"twostep-password": "wrong wrong"}
        ).status_code
        == 200
    )
    assert signed_in.get("/settings/two-step").status_code == 302  # nothing to set up yet
    signed_in.post("/settings/two-step/start", data={"twostep-password": PASSWORD})
    page = signed_in.get("/settings/two-step").get_data(as_text=True)
    drawn = re.search(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert drawn, "no QR code on the page"
    svg = drawn.group(0)
    assert 'class="segno"' in svg and "<path" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no outside request
    assert "<img" not in page and "otpauth://" not in page.replace("&#34;", '"').split("<svg")[0]
    wrong = signed_in.post("/settings/two-step", data={"code": "000000", "turn_on": "1"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.get_data(as_text=True)
    with write_transaction(app) as session:
        assert stored(session, User, user.id).totp_secret is None


def test_turning_it_on_gives_ten_recovery_codes_stored_as_hashes(signed_in, app, user):
    key, codes = turn_on(signed_in, app, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    with write_transaction(app) as session:
        account = stored(session, User, user.id)
        assert account.totp_secret == key and account.totp_pending is None
        hashes = list(session.scalars(select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    assert logged_kinds(app, user.id) == ["two_step_enabled"]
    page = signed_in.get("/settings").get_data(as_text=True)
    assert "10 unused recovery codes left." in page


def test_logging_in_then_asks_for_a_code_which_works_once(client, app, user):
    from tests.conftest import log_in as sign_in

    sign_in(client, user)
    key, _codes = turn_on(client, app, user)
    client.post("/logout")
    response = log_in(client, user)
    assert response.status_code == 302 and response.location == "/login/code"
    assert client.get("/contacts").status_code == 302  # not signed in yet
    wrong = client.post("/login/code", data={"code": "123456"})
    assert wrong.status_code == 200 and "That code is not right." in wrong.get_data(as_text=True)
    # A code from long ago does not work; the current one does, once.
    assert client.post("/login/code", data={"code": code(key, offset=-5)}).status_code == 200
    now = code(key, offset=1)  # the step after the one that turned it on
    assert client.post("/login/code", data={"code": now}).status_code == 302
    assert client.get("/contacts").status_code == 200
    client.post("/logout")
    log_in(client, user)
    assert client.post("/login/code", data={"code": now}).status_code == 200  # replayed
    assert logged_kinds(app, user.id)[-1] == "login_failed"


def test_a_recovery_code_signs_in_once_and_is_logged(client, app, user):
    from tests.conftest import log_in as sign_in

    sign_in(client, user)
    _key, codes = turn_on(client, app, user)
    client.post("/logout")
    log_in(client, user)
    response = client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "9 are left" in page
    client.post("/logout")
    log_in(client, user)
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 200
    logged = logged_kinds(app, user.id)
    assert logged.count("recovery_code_used") == 1
    with write_transaction(app) as session:
        used = session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
        assert len(used) == 1


def test_the_throttle_counts_codes_as_well_as_passwords(client, app, user):
    from tests.conftest import log_in as sign_in

    sign_in(client, user)
    key, _codes = turn_on(client, app, user)
    client.post("/logout")
    for _ in range(5):
        assert log_in(client, user, "wrong password").status_code == 200
    log_in(client, user)
    for _ in range(4):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 200
    # 5 wrong passwords + 1 right + 4 wrong codes: one more wrong code is the tenth failure.
    assert client.post("/login/code", data={"code": "999999"}).status_code == 200
    refused = client.post("/login/code", data={"code": code(key)})
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_the_second_step_expires(client, app, user, monkeypatch):
    from tests.conftest import log_in as sign_in
    from tracker.views import auth as auth_views

    sign_in(client, user)
    key, _codes = turn_on(client, app, user)
    client.post("/logout")
    log_in(client, user)
    real_time = auth_views.time.time
    monkeypatch.setattr(auth_views.time, "time", lambda: real_time() + 6 * 60)
    response = client.post("/login/code", data={"code": code(key, offset=1)})
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/contacts").status_code == 302


@pytest.mark.parametrize("with_code", [False, True])
def test_turning_it_off_asks_for_the_password_or_a_code_and_is_logged(
    signed_in, app, user, with_code
):
    key, _codes = turn_on(signed_in, app, user)
    assert (
        signed_in.post(
            "/settings/two-step/off", data={"twostep-password": "wrong wrong"}
        ).status_code
        == 200
    )
    secret = code(key, offset=1) if with_code else PASSWORD
    response = signed_in.post("/settings/two-step/off", data={"twostep-password": secret})
    assert response.status_code == 302
    with write_transaction(app) as session:
        account = stored(session, User, user.id)
        assert account.totp_secret is None
        assert session.scalars(select(RecoveryCode)).all() == []
    assert logged_kinds(app, user.id) == [
        "two_step_enabled",
        "confirmation_failed",
        "two_step_disabled",
    ]


def test_new_recovery_codes_replace_the_old_ones(signed_in, app, user):
    _key, first = turn_on(signed_in, app, user)
    response = signed_in.post(
        "/settings/two-step/recovery-codes", data={"twostep-password": PASSWORD}
    )
    second = re.findall(r"<code>([a-z2-9-]{14})</code>", response.get_data(as_text=True))
    assert len(second) == 10 and not set(first) & set(second)
    assert logged_kinds(app, user.id)[-1] == "recovery_codes_renewed"


def test_an_export_takes_a_code_instead_of_the_password(signed_in, app, user):
    key, _codes = turn_on(signed_in, app, user)
    page = signed_in.get("/export").get_data(as_text=True)
    assert "or a code from your authenticator app" in page
    response = signed_in.post("/export", data={"format": "vcf", "password": code(key, offset=1)})
    assert response.status_code == 200 and response.mimetype == "text/vcard"
