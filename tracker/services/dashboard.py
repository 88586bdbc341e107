"""What the dashboard (and the morning digest) shows: who is going cold, who still needs a
first follow-up, which follow-ups are due, and the counts."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral
from tracker.relationships import WARMTHS, WarmthDates, overdue_ratio, warmth
from tracker.services import sql
from tracker.vocabulary import STAGES

COLD_LIST_LIMIT = 25
FIRST_FOLLOW_UP = relativedelta(months=1)  # the essay's "after a month I don't remember the face"
DUE_HORIZON_DAYS = 7
WARMTH_LABELS = (*WARMTHS, "none")


def stored_dates(contact: Contact) -> WarmthDates | None:
    """The warmth dates kept on the contact, as the rules take them."""
    if contact.last_touch_on is None or contact.next_due_on is None:
        return None
    assert contact.cooling_on is not None and contact.dormant_after is not None
    return WarmthDates(
        last_touch=contact.last_touch_on,
        cooling_on=contact.cooling_on,
        due_on=contact.next_due_on,
        dormant_after=contact.dormant_after,
    )


def warmth_of(contact: Contact, today: date) -> str | None:
    return warmth(stored_dates(contact), today)


@dataclass(frozen=True)
class ColdEntry:
    contact: Contact
    warmth: str  # cold or dormant
    overdue_days: int
    ratio: float


@dataclass(frozen=True)
class FirstFollowUp:
    contact: Contact
    met_on: date
    days_left: int  # before the one-month mark


@dataclass(frozen=True)
class DueFollowUp:
    contact: Contact
    due_on: date
    when: str  # overdue, today, soon


@dataclass
class Dashboard:
    today: date
    cold: list[ColdEntry]
    cold_total: int
    cooling: list[Contact]
    first_follow_ups: list[FirstFollowUp]
    follow_ups: list[DueFollowUp]
    stage_counts: dict[str, int]
    warmth_counts: dict[str, int]
    referrals_given: int
    referrals_received: int
    referral_months: list[tuple[date, int, int]] = field(default_factory=list)


def cold_list(
    session: Session, user_id: int, today: date, limit: int = COLD_LIST_LIMIT
) -> tuple[list[ColdEntry], int]:
    """The cold and dormant contacts, most overdue for their cadence first, and how many."""
    rows = session.execute(
        select(Contact, func.count().over())
        .where(Contact.user_id == user_id, sql.flagged(today))
        .order_by(sql.overdue_ratio(today).desc(), sql.stage_rank().desc(), Contact.sort_key)
        .limit(limit)
    ).all()
    total = rows[0][1] if rows else 0
    entries = []
    for contact, _total in rows:
        dates = stored_dates(contact)
        assert dates is not None
        entries.append(
            ColdEntry(
                contact=contact,
                warmth=warmth(dates, today) or "cold",
                overdue_days=(today - dates.due_on).days,
                ratio=overdue_ratio(dates, today),
            )
        )
    return entries, total


def cooling(
    session: Session, user_id: int, today: date, limit: int = COLD_LIST_LIMIT
) -> list[Contact]:
    """Contacts cooling down (due soon), soonest due first."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            sql.not_snoozed(today),
            sql.warmth_clause("cooling", today),
        )
        .order_by(Contact.next_due_on, Contact.sort_key)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def first_follow_ups(session: Session, user_id: int, today: date) -> list[FirstFollowUp]:
    """New cards with no second meeting yet, still inside their first month."""
    earliest = today - FIRST_FOLLOW_UP
    met_on = func.coalesce(Contact.first_met_on, Contact.last_touch_on)
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            sql.not_snoozed(today),
            Contact.stage == "card",
            Contact.evidence_stage == "card",
            Contact.last_touch_on.is_not(None),
            met_on >= earliest,
        )
        .order_by(met_on, Contact.sort_key)
    )
    entries = []
    for contact in session.scalars(stmt):
        met = contact.first_met_on or contact.last_touch_on
        assert met is not None
        entries.append(FirstFollowUp(contact, met, ((met + FIRST_FOLLOW_UP) - today).days))
    return entries


def follow_ups_due(session: Session, user_id: int, today: date) -> list[DueFollowUp]:
    """Follow-up dates that are past, today, or within the next seven days."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            Contact.follow_up_on.is_not(None),
            Contact.follow_up_on <= today + timedelta(days=DUE_HORIZON_DAYS),
        )
        .order_by(Contact.follow_up_on, Contact.sort_key)
    )
    entries = []
    for contact in session.scalars(stmt):
        due = contact.follow_up_on
        assert due is not None
        when = "overdue" if due < today else "today" if due == today else "soon"
        entries.append(DueFollowUp(contact, due, when))
    return entries


def counts(session: Session, user_id: int, today: date) -> tuple[dict[str, int], dict[str, int]]:
    """Active contacts per stage and per warmth today ("none": no real touch yet)."""
    warmth_label = sql.warmth_case(today)
    rows = session.execute(
        select(Contact.stage, warmth_label, func.count())
        .where(Contact.user_id == user_id, sql.active())
        .group_by(Contact.stage, warmth_label)
    )
    per_stage = dict.fromkeys(STAGES, 0)
    per_warmth = dict.fromkeys(WARMTH_LABELS, 0)
    for stage, warmth_name, count in rows:
        per_stage[stage] = per_stage.get(stage, 0) + count
        per_warmth[warmth_name] += count
    return per_stage, per_warmth


def referral_balance(
    session: Session, user_id: int, today: date, months: int = 12
) -> tuple[int, int, list[tuple[date, int, int]]]:
    """Referrals I gave (an introduction counts once) and received over the last months,
    with the monthly figures (first day of the month, given, received), oldest first."""
    start = (today - relativedelta(months=months - 1)).replace(day=1)
    rows = session.execute(
        select(Referral.referred_on, Referral.direction).where(
            Referral.user_id == user_id,
            Referral.referred_on >= start,
            Referral.referred_on <= today,
        )
    )
    given: Counter[date] = Counter()
    received: Counter[date] = Counter()
    for on, direction in rows:
        month = on.replace(day=1)
        (received if direction == "received" else given)[month] += 1
    months_list = [start + relativedelta(months=i) for i in range(months)]
    series = [(month, given[month], received[month]) for month in months_list]
    return sum(given.values()), sum(received.values()), series


def dashboard(session: Session, user_id: int, today: date) -> Dashboard:
    cold, cold_total = cold_list(session, user_id, today)
    given, received, series = referral_balance(session, user_id, today)
    per_stage, per_warmth = counts(session, user_id, today)
    return Dashboard(
        today=today,
        cold=cold,
        cold_total=cold_total,
        cooling=cooling(session, user_id, today),
        first_follow_ups=first_follow_ups(session, user_id, today),
        follow_ups=follow_ups_due(session, user_id, today),
        stage_counts=per_stage,
        warmth_counts=per_warmth,
        referrals_given=given,
        referrals_received=received,
        referral_months=series,
    )
