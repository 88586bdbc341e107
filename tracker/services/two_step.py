"""Two-step sign-in: a time-based code (TOTP, RFC 6238) from an authenticator app, and ten
one-time recovery codes for a lost phone.

The secret is made when the user starts setting it up and kept aside (``totp_pending``)
until a code from the app proves the app has it. A code is accepted once: the time step it
belongs to is stored, and an older or equal step is refused. Recovery codes are random
(60 bits), so a SHA-256 of each is stored, as for session tokens; a used one is marked.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.models import RecoveryCode, User

RECOVERY_CODES = 10
# Codes from one step before or after now are accepted: a phone's clock drifts.
VALID_WINDOW = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def _digits(code: str) -> str:
    return "".join(code.split())


def code_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step a valid code belongs to, if later than ``after``; else None."""
    if not looks_like_code(code):
        return None
    code = _digits(code)
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if (after is None or step > after) and hmac.compare_digest(
            totp.at(now, counter_offset=offset), code
        ):
            return step
    return None


def spend_code(session: Session, user: User, code: str, now: datetime) -> bool:
    """True for a valid code of the user's app not used before; it cannot be used again.
    (A conditional update: of two requests with one code, only one wins.)"""
    if not user.totp_secret:
        return False
    step = code_step(user.totp_secret, code, now, user.totp_last_step)
    if step is None:
        return False
    result = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def looks_like_code(code: str) -> bool:
    digits = _digits(code)
    return len(digits) == 6 and digits.isdigit()


def _normal(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode("ascii", "replace")).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(_normal(code)) == 12


def new_recovery_codes(session: Session, user_id: int) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them (shown once)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    session.add_all(RecoveryCode(user_id=user_id, code_hash=code_hash(c)) for c in codes)
    return codes


def use_recovery_code(session: Session, user_id: int, code: str) -> bool:
    """Spend one unused recovery code of the user; False when it is not one."""
    if not looks_like_recovery_code(code):
        return False
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def recovery_codes_left(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def start(user: User) -> str:
    """Make a secret for the user to add to an app; it is used once a code confirms it."""
    user.totp_pending = new_secret()
    return user.totp_pending


def confirm(session: Session, user: User, code: str, now: datetime) -> list[str] | None:
    """Turn two-step sign-in on when the code matches the pending secret; returns the
    recovery codes, or None when the code is wrong."""
    if not user.totp_pending:
        return None
    step = code_step(user.totp_pending, code, now, None)
    if step is None:
        return None
    user.totp_secret, user.totp_pending, user.totp_last_step = user.totp_pending, None, step
    user.totp_enabled_at = now
    return new_recovery_codes(session, user.id)


def turn_off(session: Session, user: User) -> None:
    user.totp_secret = user.totp_pending = None
    user.totp_last_step = user.totp_enabled_at = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
