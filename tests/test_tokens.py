"""API tokens: made from the command line or in Settings, shown once, stored hashed,
revoked in Settings, and both written to the security log."""

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from tests.conftest import PASSWORD, log_in
from tracker.db import database
from tracker.models import ApiToken, SecurityEvent, User
from tracker.services.tokens import token_hash, user_for_token


def _events(app: Flask, user: User) -> list[tuple[str, str]]:
    with database(app).sessionmaker() as session:
        rows = session.scalars(
            select(SecurityEvent).where(SecurityEvent.user_id == user.id).order_by(SecurityEvent.id)
        )
        return [(row.kind, row.detail) for row in rows]


def test_create_token_prints_it_once_and_stores_only_its_hash(
    app: Flask, runner: FlaskCliRunner, user: User
) -> None:
    result = runner.invoke(args=["create-token", "--user", user.email, "--name", "iPhone"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("jm_") and len(secret) > 40
    assert "not shown again" in result.stderr
    with database(app).sessionmaker() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.token_hash == token_hash(secret) != secret
        assert token.name == "iPhone"
        assert user_for_token(session, secret) is not None
        assert user_for_token(session, secret, user.email.upper()) is not None
        assert user_for_token(session, secret, "someone@example.jp") is None
        assert user_for_token(session, secret + "x") is None
    assert ("token_created", "iPhone") in _events(app, user)


def test_create_token_for_an_unknown_account_fails_cleanly(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-token", "--user", "nobody@example.jp", "--name", "x"])
    assert result.exit_code == 1
    assert "No account" in result.output
    assert "Traceback" not in result.output


def test_settings_makes_lists_and_revokes_tokens(
    app: Flask, signed_in: FlaskClient, user: User
) -> None:
    page = signed_in.post(
        "/settings/tokens", data={"name": "Android (DAVx5)", "password": PASSWORD}
    )
    assert page.status_code == 201
    html = page.get_data(as_text=True)
    assert "Copy it now" in html
    with database(app).sessionmaker() as session:
        token = session.scalars(select(ApiToken)).one()
    secret = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert token.token_hash == token_hash(secret)
    # The list shows the token by name, never the secret again.
    listing = signed_in.get("/settings").get_data(as_text=True)
    assert "Android (DAVx5)" in listing
    assert secret not in listing
    # Revoking asks first; the token then stops working.
    confirm = signed_in.get(f"/settings/tokens/{token.id}/revoke")
    assert "stops working" in confirm.get_data(as_text=True)
    assert signed_in.post(f"/settings/tokens/{token.id}/revoke").status_code == 302
    with database(app).sessionmaker() as session:
        assert user_for_token(session, secret) is None
    assert "<strong>Android (DAVx5)</strong>" not in signed_in.get("/settings").get_data(
        as_text=True
    )
    kinds = [kind for kind, _detail in _events(app, user)]
    assert kinds[-2:] == ["token_created", "token_revoked"]
    assert "Token revoked" in signed_in.get("/settings").get_data(as_text=True)


def test_a_token_needs_a_name(signed_in: FlaskClient) -> None:
    page = signed_in.post("/settings/tokens", data={"name": "   ", "password": PASSWORD})
    assert page.status_code == 200
    assert "Copy it now" not in page.get_data(as_text=True)


def test_nobody_revokes_another_accounts_token(
    app: Flask, signed_in: FlaskClient, make_user: object, runner: FlaskCliRunner
) -> None:
    other = make_user()  # type: ignore[operator]
    runner.invoke(args=["create-token", "--user", other.email, "--name", "theirs"])
    with database(app).sessionmaker() as session:
        token = session.scalars(select(ApiToken)).one()
    assert signed_in.get(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert signed_in.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    with database(app).sessionmaker() as session:
        assert session.get(ApiToken, token.id).revoked_at is None  # type: ignore[union-attr]


def test_a_token_is_made_only_after_the_password(
    app: Flask, signed_in: FlaskClient, user: User
) -> None:
    for password in ("", "not my password"):
        page = signed_in.post("/settings/tokens", data={"name": "iPhone", "password": password})
        assert page.status_code == 200
        assert "Copy it now" not in page.get_data(as_text=True)
    assert "That is not your password." in page.get_data(as_text=True)
    with database(app).sessionmaker() as session:
        assert session.scalars(select(ApiToken)).first() is None
    assert ("confirmation_failed", "") not in _events(app, user)
    assert "confirmation_failed" in [kind for kind, _detail in _events(app, user)]


def _working(app: Flask, secrets: list[str]) -> list[bool]:
    with database(app).sessionmaker() as session:
        return [user_for_token(session, secret) is not None for secret in secrets]


def _two_tokens(runner: FlaskCliRunner, user: User) -> list[str]:
    made = [
        runner.invoke(args=["create-token", "--user", user.email, "--name", name])
        for name in ("iPhone", "script")
    ]
    return [result.stdout.strip() for result in made]


def test_a_changed_password_revokes_every_token(
    app: Flask, signed_in: FlaskClient, user: User, runner: FlaskCliRunner
) -> None:
    secrets = _two_tokens(runner, user)
    assert _working(app, secrets) == [True, True]
    new_password = "a brand new passphrase"
    response = signed_in.post(
        "/settings/password",
        data={"current": PASSWORD, "new": new_password, "confirm": new_password},
    )
    assert response.status_code == 302
    assert _working(app, secrets) == [False, False]
    assert "every token was revoked" in signed_in.get("/settings").get_data(as_text=True)
    assert ("token_revoked", "iPhone, script") in _events(app, user) or (
        "token_revoked",
        "script, iPhone",
    ) in _events(app, user)


def test_logging_out_everywhere_revokes_every_token(
    app: Flask, client: FlaskClient, user: User, runner: FlaskCliRunner
) -> None:
    secrets = _two_tokens(runner, user)
    log_in(client, user)
    assert client.post("/settings/logout-everywhere").status_code == 302
    assert _working(app, secrets) == [False, False]
    assert (
        client.get(
            "/api/v1/contacts", headers={"Authorization": f"Bearer {secrets[0]}"}
        ).status_code
        == 401
    )
