"""What the dashboard (and the morning digest) shows: who is going cold, which cards have
faded, who still needs a first follow-up, which follow-ups are due, and the counts."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral
from tracker.relationships import (
    WARMTHS,
    WarmthDates,
    first_follow_up_days_left,
    follow_up_when,
    met_on,
    overdue_days,
    overdue_ratio,
    warmth,
)
from tracker.relationships.follow_ups import FIRST_FOLLOW_UP
from tracker.services import sql
from tracker.services.faded import FadedEntry, faded_cards
from tracker.services.pages import first_rows
from tracker.services.sql.cold_list import cold_order, fades, not_snoozed, on_cold_list
from tracker.services.sql.follow_ups import follow_up_due, waiting_for_first_follow_up
from tracker.services.sql.follow_ups import met_on as met_on_sql
from tracker.services.sql.warmth import warmth_case, warmth_clause
from tracker.vocabulary import STAGES

# Rows per list: a morning's glance on the dashboard, few enough that the first screen of a
# phone holds the first three lists (the rest are a click away); more in the digest mail.
LIST_LIMIT = 5
DIGEST_LIMIT = 25
FADED_SHOWN = 5  # a short list of their own: the rest are on /faded
# The first follow-ups the morning leads with: those whose month runs out within a week.
RUNNING_OUT_DAYS = 7
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
    ratio: float  # days past due as a share of the cadence: the list's order within a stage


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
    faded: list[FadedEntry]
    faded_total: int
    cooling: list[Contact]
    first_follow_ups: list[FirstFollowUp]
    first_total: int
    running_out: list[FirstFollowUp]  # the first follow-ups whose month runs out this week
    running_out_total: int
    follow_ups: list[DueFollowUp]
    follow_up_total: int
    stage_counts: dict[str, int]
    warmth_counts: dict[str, int]
    referrals_given: int
    referrals_received: int
    referral_months: list[tuple[date, int, int]] = field(default_factory=list)


def cold_list(
    session: Session, user_id: int, today: date, limit: int = LIST_LIMIT
) -> list[ColdEntry]:
    """The cold and dormant contacts but the faded cards: closer stages first, then the
    most overdue for their cadence."""
    # The count is on the dashboard's counts: not asked for twice.
    rows = first_rows(
        session,
        and_(Contact.user_id == user_id, on_cold_list(today)),
        cold_order(today),
        limit,
        with_total=False,
    )
    entries = []
    for contact, _total in rows:
        dates = stored_dates(contact)
        assert dates is not None
        entries.append(
            ColdEntry(
                contact=contact,
                warmth=warmth(dates, today) or "cold",
                overdue_days=overdue_days(dates.due_on, today),
                ratio=overdue_ratio(dates, today),
            )
        )
    return entries


def cooling(session: Session, user_id: int, today: date, limit: int = LIST_LIMIT) -> list[Contact]:
    """Contacts cooling down (due soon), soonest due first."""
    stmt = (
        select(Contact)
        .where(
            Contact.user_id == user_id,
            sql.active(),
            not_snoozed(today),
            warmth_clause("cooling", today),
        )
        .order_by(Contact.next_due_on, Contact.sort_key)
        .limit(limit)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class FirstFollowUps:
    entries: list[FirstFollowUp]  # the first few, the fewest days left first
    total: int  # all new cards inside their first month
    running_out: int  # those whose month runs out within RUNNING_OUT_DAYS


def first_follow_ups(
    session: Session, user_id: int, today: date, limit: int = LIST_LIMIT
) -> FirstFollowUps:
    """New cards with no second meeting yet, inside their first month, the fewest days left
    first; how many, and how many run out within a week, in one query."""
    met = met_on_sql()
    soon = case((met <= last_met_running_out(today, RUNNING_OUT_DAYS), 1), else_=0)
    order = [met, Contact.sort_key]
    top = (
        select(
            Contact.id.label("id"),
            func.count().over().label("total"),
            func.sum(soon).over().label("running_out"),
        )
        .where(Contact.user_id == user_id, waiting_for_first_follow_up(today))
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    rows = session.execute(
        select(Contact, top.c.total, top.c.running_out)
        .join(top, top.c.id == Contact.id)
        .order_by(*order)
    ).all()
    entries = []
    for contact, _total, _running_out in rows:
        day = met_on(contact.first_met_on, contact.last_touch_on)
        assert day is not None
        entries.append(FirstFollowUp(contact, day, first_follow_up_days_left(day, today)))
    total, running_out = (rows[0][1], rows[0][2]) if rows else (0, 0)
    return FirstFollowUps(entries, total, int(running_out))


def last_met_running_out(today: date, within_days: int) -> date:
    """The last day met whose first month runs out within the days given (month lengths
    vary: Jan 29, 30 and 31 all run out on Feb 28, so the day is searched for)."""
    met = today + timedelta(days=within_days) - FIRST_FOLLOW_UP
    while first_follow_up_days_left(met + timedelta(days=1), today) <= within_days:
        met += timedelta(days=1)
    return met


def follow_ups_due(
    session: Session, user_id: int, today: date, limit: int = LIST_LIMIT
) -> tuple[list[DueFollowUp], int]:
    """Follow-up dates that are past, today, or within the next seven days, and how many."""
    rows = first_rows(
        session,
        and_(Contact.user_id == user_id, follow_up_due(today)),
        [Contact.follow_up_on, Contact.sort_key],
        limit,
    )
    entries = []
    for contact, _total in rows:
        due = contact.follow_up_on
        when = follow_up_when(due, today, archived=False)
        assert due is not None and when is not None
        entries.append(DueFollowUp(contact, due, when))
    return entries, rows[0][1] if rows else 0


@dataclass(frozen=True)
class Counts:
    per_stage: dict[str, int]
    per_warmth: dict[str, int]
    going_cold: int  # on the cold list: cold or dormant, not snoozed, not a faded card
    faded: int  # faded cards


def counts(session: Session, user_id: int, today: date) -> Counts:
    """Active contacts per stage and per warmth today ("none": no real touch yet), and how
    many are on the cold list and have faded off it: one pass over a covering index."""
    warmth_label = warmth_case(today)
    snoozed = case((not_snoozed(today), 0), else_=1)
    # Summed within the groups, not grouped by: a fourth key costs a third more.
    fading = func.sum(case((fades(today), 1), else_=0))
    rows = session.execute(
        select(Contact.stage, warmth_label, snoozed, func.count(), fading)
        .where(Contact.user_id == user_id, sql.active())
        .group_by(Contact.stage, warmth_label, snoozed)
    )
    per_stage = dict.fromkeys(STAGES, 0)
    per_warmth = dict.fromkeys(WARMTH_LABELS, 0)
    going_cold = faded_total = 0
    for stage, warmth_name, is_snoozed, count, faded in rows:
        per_stage[stage] = per_stage.get(stage, 0) + count
        per_warmth[warmth_name] += count
        if warmth_name in ("cold", "dormant") and not is_snoozed:
            faded_total += faded or 0
            going_cold += count - (faded or 0)
    return Counts(per_stage, per_warmth, going_cold, faded_total)


def referral_balance(
    session: Session, user_id: int, today: date, months: int = 12
) -> tuple[int, int, list[tuple[date, int, int]]]:
    """Referrals I gave (an introduction counts once) and received over the last months,
    with the monthly figures (first day of the month, given, received), oldest first."""
    start = (today - relativedelta(months=months - 1)).replace(day=1)
    firsts = [start + relativedelta(months=i) for i in range(months)]
    # The database counts them per month and direction: a firm's year holds thousands.
    month = case(
        *((Referral.referred_on >= first, i) for i, first in reversed(list(enumerate(firsts))))
    )
    was_received = case((Referral.direction == "received", 1), else_=0)
    rows = session.execute(
        select(month, was_received, func.count())
        .where(
            Referral.user_id == user_id,
            Referral.referred_on >= start,
            Referral.referred_on <= today,
        )
        .group_by(month, was_received)
    )
    given = [0] * months
    received = [0] * months
    for index, is_received, count in rows:
        (received if is_received else given)[index] += count
    series = list(zip(firsts, given, received, strict=True))
    return sum(given), sum(received), series


def dashboard(
    session: Session,
    user_id: int,
    today: date,
    limit: int = LIST_LIMIT,
    faded_limit: int = FADED_SHOWN,
) -> Dashboard:
    """Everything the dashboard shows: the first of each list, their counts, the balance."""
    cold = cold_list(session, user_id, today, limit)
    given, received, series = referral_balance(session, user_id, today)
    counted = counts(session, user_id, today)
    first = first_follow_ups(session, user_id, today, limit)
    follow_ups, follow_up_total = follow_ups_due(session, user_id, today, limit)
    return Dashboard(
        today=today,
        cold=cold,
        cold_total=counted.going_cold,
        faded=faded_cards(session, user_id, today, faded_limit),
        faded_total=counted.faded,
        cooling=cooling(session, user_id, today, limit),
        first_follow_ups=first.entries,
        first_total=first.total,
        running_out=[e for e in first.entries if e.days_left <= RUNNING_OUT_DAYS],
        running_out_total=first.running_out,
        follow_ups=follow_ups,
        follow_up_total=follow_up_total,
        stage_counts=counted.per_stage,
        warmth_counts=counted.per_warmth,
        referrals_given=given,
        referrals_received=received,
        referral_months=series,
    )
