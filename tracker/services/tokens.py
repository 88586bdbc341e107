"""API tokens: made for a user, shown once, stored as a hash, revoked by the user.

A token is 32 random bytes, so a plain SHA-256 of it is as safe to keep as a slow password
hash would be, and lets each request find its token with one indexed lookup.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import NAME_LEN, ApiToken, User
from tracker.services import N_, ServiceError
from tracker.services.ownership import find_owned
from tracker.services.security import record

PREFIX = "jm_"
MAX_TOKENS = 50


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(session: Session, user_id: int, name: str, ip: str = "") -> tuple[ApiToken, str]:
    """Make a token for the user; the secret is returned here and never again."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError(N_("Give the token a name, such as the phone or program that uses it."))
    if len(name) > NAME_LEN:
        raise ServiceError(N_("A token's name has at most %(count)d characters."), count=NAME_LEN)
    active = session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    )
    if (active or 0) >= MAX_TOKENS:
        raise ServiceError(
            N_("At most %(count)d tokens: revoke one you no longer use."), count=MAX_TOKENS
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user_id, name=name, token_hash=token_hash(secret))
    session.add(token)
    session.flush()
    record(session, user_id, "token_created", name, ip)
    return token, secret


def active_tokens(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(stmt))


def revoke_token(session: Session, user_id: int, token_id: int, ip: str = "") -> ApiToken | None:
    """Stop one of the user's tokens from working; None when the user has no such token."""
    token = find_owned(session, ApiToken, user_id, token_id)
    if token is None or token.revoked_at is not None:
        return None
    token.revoked_at = datetime.now(UTC)
    session.flush()
    record(session, user_id, "token_revoked", token.name, ip)
    return token


def revoke_all_tokens(session: Session, user_id: int, ip: str = "") -> int:
    """Stop every token of the user from working (a changed password, or "log out
    everywhere": a token that leaked with the password or a device goes with them);
    returns how many were revoked."""
    tokens = active_tokens(session, user_id)
    now = datetime.now(UTC)
    for token in tokens:
        token.revoked_at = now
    session.flush()
    if tokens:
        record(session, user_id, "token_revoked", ", ".join(t.name for t in tokens), ip)
    return len(tokens)


def user_for_token(session: Session, secret: str, email: str | None = None) -> User | None:
    """The user a working token belongs to (and, when given, whose email this is)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    _token, user = found
    if email is not None and not hmac.compare_digest(
        user.email.lower().encode(), email.strip().lower().encode()
    ):
        return None
    owner: User = user
    return owner
