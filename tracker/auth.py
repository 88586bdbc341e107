"""Signing in: server-side sessions on top of Flask-Login, and who is asking.

Each login creates a UserSession row and puts a random token in the signed session cookie;
only the token's hash is stored. A request is signed in only while its row exists, is not
revoked and has not expired, and while the cookie has been used recently enough (the idle
limit, kept in the cookie itself so that reading a page writes nothing). Logging out revokes
the row, so a copy of the old cookie is refused; "log out everywhere" and a new password
revoke every row of the user.
"""

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Flask, current_app, g, request, session
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy import select, update

from tracker.db import get_session
from tracker.models import User, UserSession
from tracker.text import storable

__all__ = ["login_required", "require_login", "user", "user_id"]

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please log in to continue.")
login_manager.login_message_category = "info"

TOKEN_KEY = "sid"
SEEN_KEY = "seen"
# Refresh the idle clock in the cookie at most this often (seconds), not on every request.
SEEN_GRANULARITY = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def client_ip() -> str:
    return (request.remote_addr or "")[:64]


def idle_limit(remember: bool) -> timedelta:
    config = current_app.config
    if remember:
        return timedelta(days=config["REMEMBER_DAYS"])
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this request's session, if the session is still valid."""
    token = session.get(TOKEN_KEY)
    if not isinstance(token, str) or not user_id.isdigit():
        return None
    now = datetime.now(UTC)
    row = (
        get_session()
        .execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
        )
        .first()
    )
    if row is None:
        return None
    user_session, found = row
    expires = user_session.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    seen = session.get(SEEN_KEY, 0)
    idle = time.time() - seen if isinstance(seen, int | float) else float("inf")
    if (
        found.id != int(user_id)
        or expires <= now
        or idle > idle_limit(user_session.remember).total_seconds()
    ):
        return None
    if idle > SEEN_GRANULARITY:
        session[SEEN_KEY] = int(time.time())
    g.user_session = user_session
    user_found: User = found
    return user_found


def start_session(account: User, *, remember: bool) -> None:
    """Sign a user in with a fresh session (the old cookie's contents are dropped)."""
    config = current_app.config
    session.clear()
    token = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(days=config["REMEMBER_DAYS"])
        if remember
        else timedelta(hours=config["SESSION_MAX_HOURS"])
    )
    get_session().add(
        UserSession(
            user_id=account.id,
            token_hash=token_hash(token),
            remember=remember,
            expires_at=datetime.now(UTC) + lifetime,
            user_agent=storable(request.user_agent.string or "")[:200],
            ip=client_ip(),
        )
    )
    session[TOKEN_KEY] = token
    session[SEEN_KEY] = int(time.time())
    session.permanent = remember
    login_user(account)


def end_session() -> None:
    """Log this browser out: its session row is revoked, its cookie emptied."""
    token = session.get(TOKEN_KEY)
    if isinstance(token, str):
        get_session().execute(
            update(UserSession)
            .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    logout_user()
    session.clear()


def revoke_all(account_id: int, *, keep_current: bool = False) -> None:
    """End every session of a user (but this one, when asked)."""
    stmt = update(UserSession).where(
        UserSession.user_id == account_id, UserSession.revoked_at.is_(None)
    )
    token = session.get(TOKEN_KEY)
    if keep_current and isinstance(token, str):
        stmt = stmt.where(UserSession.token_hash != token_hash(token))
    get_session().execute(stmt.values(revoked_at=datetime.now(UTC)))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)


def require_login(bp: Blueprint) -> None:
    """Make every view of a blueprint require a signed-in user."""

    @bp.before_request
    @login_required
    def _signed_in() -> None:
        return None


def user() -> User:
    """The signed-in user (only inside views that require login)."""
    signed_in: User = current_user._get_current_object()
    return signed_in


def user_id() -> int:
    return user().id
