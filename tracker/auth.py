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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Flask, current_app, g, request, session
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy import select, text, update
from werkzeug.security import check_password_hash

from tracker.db import get_session, write_session
from tracker.models import User, UserSession
from tracker.services import two_step
from tracker.services.security import forget_attempts, note_attempt, wait_before_login
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
    write_session().add(
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
        write_session().execute(
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
    write_session().execute(stmt.values(revoked_at=datetime.now(UTC)))


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


class Throttled(Exception):
    """Too many wrong passwords or codes lately, for this account or from this address."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"throttled for {wait}")
        self.wait = wait


def guarded(email: str, check: Callable[[], bool], *, cheap: bool = False) -> bool:
    """Check a password or a code under the throttle; raises Throttled when the account or
    this address failed too often lately.

    The try is written down as a failure before the check runs and marked a success after,
    so guesses sent in parallel are all counted. A password check (slow on purpose) runs
    after that record is committed, outside the write lock; a ``cheap`` check (a code,
    which must be spent in the same transaction that accepts it) runs inside it. Either way
    the request is left in a write transaction: the caller writes the outcome (the session,
    the failure in the security log) and commits.
    """
    config = current_app.config
    ip = client_ip()
    db = write_session()
    if db.get_bind().dialect.name == "postgresql":
        # Tries for one account queue here, so that none reads the count before the
        # previous one is written (SQLite's write lock does this by itself).
        db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": email})
    wait = wait_before_login(
        db,
        email,
        ip,
        limit=config["LOGIN_FAILURE_LIMIT"],
        window=timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]),
    )
    if wait is not None:
        db.rollback()
        raise Throttled(wait)
    attempt = note_attempt(db, email, ip, success=False)
    forget_attempts(db)
    if not cheap:
        db.commit()
        ok = check()
        write_session()
    else:
        ok = check()
    if ok:
        attempt.success = True
    return ok


def password_matches(account: User, password: str) -> bool:
    return check_password_hash(account.password_hash, password)


def confirm_identity(account: User, secret: str) -> bool:
    """Check the password, or a code of the user's authenticator app, before a sensitive
    action (export, password change, deleting the account, changing two-step sign-in)."""
    if account.totp_secret and two_step.looks_like_code(secret):
        return guarded(
            account.email,
            lambda: two_step.spend_code(get_session(), account, secret, datetime.now(UTC)),
            cheap=True,
        )
    password_hash = account.password_hash
    return guarded(account.email, lambda: check_password_hash(password_hash, secret))
