"""The morning mail's schedule and its claims: who is due, and one mail per user and day.

A run of ``flask send-digests`` claims a user's day by writing a row before it sends; the
row's unique key (user, day) lets only one of two overlapping runs write it. What then
happens to the mail is written on the same row:

- ``sent``: the server accepted it;
- ``failed``: the server refused it or could not be reached, so it was not delivered. A
  later run that day claims the row again (at most ``MAX_ATTEMPTS`` tries in all);
- ``unknown``: the connection broke while the mail was being handed over, so it may have
  arrived. It is never tried again: a missed morning is better than a mail sent twice;
- ``sending``: claimed, no outcome yet (a run in progress, or one that was killed). Never
  taken over, for the same reason.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.dates import zone
from tracker.models import SHORT_TEXT_LEN, DigestMail, User
from tracker.services import N_, ServiceError

MAX_ATTEMPTS = 3
HOURS = range(24)


@dataclass(frozen=True)
class Due:
    """A user whose hour has come, and their own date that the mail is for."""

    user: User
    day: date


def set_hour(user: User, hour: int | None) -> None:
    """Send the user's morning mail after this hour of their day (None: stop sending it)."""
    if hour is not None and hour not in HOURS:
        raise ServiceError(N_("Choose an hour from 0 to 23."))
    user.digest_hour = hour


def due(session: Session, now: datetime) -> list[Due]:
    """The opted-in users whose hour has passed today, in their own time zone, and whose
    mail for today has not been sent or given up on (claims decide the rest)."""
    candidates = []
    for user in session.scalars(
        select(User).where(User.digest_hour.is_not(None)).order_by(User.id)
    ):
        local = now.astimezone(zone(user.time_zone))
        if user.digest_hour is not None and local.hour >= user.digest_hour:
            candidates.append(Due(user, local.date()))
    if not candidates:
        return []
    # The newest row of each of these users: one query for all of them.
    newest = (
        select(DigestMail.user_id, func.max(DigestMail.day).label("day"))
        .where(DigestMail.user_id.in_([c.user.id for c in candidates]))
        .group_by(DigestMail.user_id)
        .subquery()
    )
    rows = {
        row.user_id: row
        for row in session.scalars(
            select(DigestMail).join(
                newest, (DigestMail.user_id == newest.c.user_id) & (DigestMail.day == newest.c.day)
            )
        )
    }
    return [c for c in candidates if _may_send(rows.get(c.user.id), c.day)]


def _may_send(newest: DigestMail | None, day: date) -> bool:
    if newest is None or newest.day < day:
        return True
    # A mail for a later day (the user moved west) or today's, settled: nothing to send.
    return newest.day == day and newest.status == "failed" and newest.attempts < MAX_ATTEMPTS


@dataclass(frozen=True)
class Claim:
    id: int
    attempt: int  # 1 for the first try

    @property
    def last_attempt(self) -> bool:
        return self.attempt >= MAX_ATTEMPTS


def claim(session: Session, user_id: int, day: date, now: datetime) -> Claim | None:
    """Claim the user's mail for ``day``, or None when it is not this run's to send
    (another run holds it, or it was sent, or given up on). Commit before sending."""
    newest = latest(session, user_id)
    if newest is None or newest.day < day:
        row = DigestMail(user_id=user_id, day=day, status="sending", attempts=1, claimed_at=now)
        try:
            # A concurrent run that wrote the same (user, day) first makes this insert fail
            # (PostgreSQL waits for that run's commit to tell): that run sends it.
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            return None
        return Claim(row.id, 1)
    if not _may_send(newest, day):
        return None
    # Retry a failed send: the update matches only while nobody else has retried it.
    retried = session.execute(
        update(DigestMail)
        .where(
            DigestMail.id == newest.id,
            DigestMail.status == "failed",
            DigestMail.attempts == newest.attempts,
        )
        .values(status="sending", attempts=newest.attempts + 1, claimed_at=now, error="")
        .execution_options(synchronize_session=False)
    )
    if retried.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return Claim(newest.id, newest.attempts + 1)


def finish(
    session: Session, claim_id: int, now: datetime, *, error: str = "", maybe_sent: bool = False
) -> None:
    """Write what became of a claimed mail: sent, failed (with why) or unknown."""
    status = "sent" if not error else ("unknown" if maybe_sent else "failed")
    session.execute(
        update(DigestMail)
        .where(DigestMail.id == claim_id)
        .values(status=status, finished_at=now, error=error[:SHORT_TEXT_LEN])
        .execution_options(synchronize_session=False)
    )


def latest(session: Session, user_id: int) -> DigestMail | None:
    """The user's most recent morning mail, for the settings page."""
    return session.scalar(
        select(DigestMail)
        .where(DigestMail.user_id == user_id)
        .order_by(DigestMail.day.desc())
        .limit(1)
    )
