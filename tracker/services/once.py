"""One-time form tokens: a form saves once, however often it is sent.

A form carries a random token; saving it first spends the token (a row with a unique
token, inserted in the same transaction as what the form saves). A resend, a double tap
or a request racing the first cannot spend it again: it finds where the first one went.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.models import FORM_PATH_LEN, FORM_TOKEN_LEN, FormSubmission

# A spent token's row, as the views hold it until they know where the form leads.
Submission = FormSubmission

# Long enough for any resend; after that a token is only a row.
KEEP_FOR = timedelta(days=2)


class AlreadySpent(Exception):
    """The form was saved already (by this request's twin)."""


def spent(session: Session, user_id: int, token: str) -> FormSubmission | None:
    """The submission that spent this token, if the user's form was saved already."""
    if not token:
        return None
    return session.scalar(
        select(FormSubmission).where(
            FormSubmission.token == token, FormSubmission.user_id == user_id
        )
    )


def spend(session: Session, user_id: int, token: str) -> FormSubmission:
    """Spend the token before the form's record is made; AlreadySpent when it was spent.

    The insert runs in a savepoint: on PostgreSQL a racing twin waits here for the first
    request to commit, then fails on the unique token; SQLite lets one writer in at a time.
    """
    if not token or len(token) > FORM_TOKEN_LEN:
        raise ValueError("not a form token")
    session.execute(
        delete(FormSubmission)
        .where(
            FormSubmission.user_id == user_id,
            FormSubmission.created_at < datetime.now(UTC) - KEEP_FOR,
        )
        # Rows loaded in the session are not compared in Python: SQLite's are naive.
        .execution_options(synchronize_session=False)
    )
    submission = FormSubmission(user_id=user_id, token=token)
    try:
        with session.begin_nested():
            session.add(submission)
    except IntegrityError as error:
        raise AlreadySpent(token) from error
    return submission


def lead_to(submission: FormSubmission, target: str) -> None:
    """Remember where the saved form led, for its resends."""
    submission.target = target[:FORM_PATH_LEN]
