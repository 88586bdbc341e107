"""The security log of each account, and the login throttle."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.models import LoginAttempt, SecurityEvent
from tracker.text import storable

EVENT_KINDS = (
    "login",
    "login_failed",
    "logout",
    "logout_everywhere",
    "password_changed",
    "export",
    "import",
    "deletion",
    "restore",
    "merge",
    "token_created",
    "token_revoked",
)


def record(session: Session, user_id: int, kind: str, detail: str = "", ip: str = "") -> None:
    """Add an event to the user's security log."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown security event: {kind!r}")
    session.add(
        SecurityEvent(
            user_id=user_id, kind=kind, detail=storable(detail)[:300], ip=storable(ip)[:64]
        )
    )


def recent_events(session: Session, user_id: int, limit: int = 50) -> list[SecurityEvent]:
    stmt = (
        select(SecurityEvent)
        .where(SecurityEvent.user_id == user_id)
        .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def note_attempt(session: Session, email: str, ip: str, success: bool) -> None:
    session.add(LoginAttempt(email=email.strip().lower()[:254], ip=ip[:64], success=success))


def wait_before_login(
    session: Session, email: str, ip: str, *, limit: int, window: timedelta
) -> timedelta | None:
    """How long to wait before another try, when this account or this address has failed
    ``limit`` times within the window; None when a try is allowed now."""
    now = datetime.now(UTC)
    waits = []
    for column, value in ((LoginAttempt.email, email.strip().lower()), (LoginAttempt.ip, ip)):
        recent = [
            at if at.tzinfo else at.replace(tzinfo=UTC)
            for at in session.scalars(
                select(LoginAttempt.at)
                .where(
                    column == value,
                    LoginAttempt.success.is_(False),
                    LoginAttempt.at > now - window,
                )
                .order_by(LoginAttempt.at.desc())
                .limit(limit)
            )
        ]
        if len(recent) >= limit:
            # A try is allowed again once the oldest of the last `limit` failures ages out.
            waits.append(recent[-1] + window - now)
    return max(max(waits), timedelta(seconds=1)) if waits else None


def forget_attempts(session: Session, older_than: timedelta = timedelta(days=1)) -> None:
    """Drop login attempts too old to matter."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < datetime.now(UTC) - older_than))
