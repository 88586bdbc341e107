"""Accounts: creating users, checking passwords."""

import re

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from tracker.models import EMAIL_LEN, NAME_LEN, LoginAttempt, User
from tracker.services import N_, ServiceError

# An account as the services hand it to the web layer (views name it by this, not the model).
Account = User

PASSWORD_MIN, PASSWORD_MAX = 8, 128
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def dummy_hash(method: str) -> str:
    """A hash of the configured method and cost that no password matches: compared against
    when no account matches, so a wrong email costs as long as a wrong password."""
    return f"{method}$dummy$" + "0" * 64


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > EMAIL_LEN or not _EMAIL.match(email):
        raise ServiceError(N_("Enter a valid email address."))
    return email


def check_password_rules(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ServiceError(
            N_("A password has %(min)d to %(max)d characters."), min=PASSWORD_MIN, max=PASSWORD_MAX
        )


def second_step_account(session: Session, user_id: int) -> Account | None:
    """The account with this id if it signs in with a second step."""
    account = session.get(User, user_id)
    return account if account is not None and account.totp_secret else None


def by_calendar_token(session: Session, token: str) -> Account | None:
    """The account whose calendar feed has this secret address."""
    return session.scalar(select(User).where(User.calendar_token == token))


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    hash_method: str,
    display_name: str = "",
    language: str | None = None,
    time_zone: str = "Asia/Tokyo",
) -> User:
    """Create an account; the email must be new and the password within the rules."""
    email = normalise_email(email)
    check_password_rules(password)
    if find_by_email(session, email) is not None:
        raise ServiceError(N_("An account with this email address already exists."))
    user = User(
        email=email,
        password_hash=generate_password_hash(password, method=hash_method),
        display_name=display_name.strip()[:NAME_LEN],
        language=language,
        time_zone=time_zone,
    )
    session.add(user)
    session.flush()
    return user


def delete_user(session: Session, user_id: int) -> None:
    """Delete an account and, through the foreign keys, everything it holds."""
    email = session.scalar(select(User.email).where(User.id == user_id))
    session.execute(delete(User).where(User.id == user_id))
    if email is not None:
        session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
