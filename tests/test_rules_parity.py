"""Each rule the database applies for speed agrees with its pure form, on random histories.

A history (contacts, touchpoints, referrals, tags with cadences, snoozes, archives) is
written to the app's database (SQLite, or PostgreSQL under make test-postgres) and its
derived fields set by the app's own derivation. Then, for a later day, every SQL form in
tracker.services.sql (and the services that list by them) is asked, and its answer is
compared, contact by contact, with the pure rule applied to the history as generated.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests.conftest import TODAY
from tracker.db import write_transaction
from tracker.models import Contact, Referral, Tag, Touchpoint
from tracker.relationships import (
    Referral as RuleReferral,
)
from tracker.relationships import (
    Touch,
    awaits_first_follow_up,
    cold_list_key,
    due_date,
    effective_cadence,
    evidence,
    first_touch,
    follow_up_when,
    is_faded,
    is_flagged,
    is_promotion_candidate,
    label_supported,
    last_touch,
    met_on,
    met_only_once,
    overdue_ratio,
    pending_follow_up,
    reciprocity,
    unsupported_reason,
    warmth,
    warmth_dates,
)
from tracker.relationships.evidence import RECENT_MONTHS
from tracker.services.dashboard import cold_list
from tracker.services.derived import refresh_contacts
from tracker.services.faded import faded_cards
from tracker.services.review import review
from tracker.services.sql import cold_list as cold_sql
from tracker.services.sql import evidence as evidence_sql
from tracker.services.sql import follow_ups as follow_ups_sql
from tracker.services.sql import reciprocity as reciprocity_sql
from tracker.services.sql import warmth as warmth_sql
from tracker.vocabulary import STAGES, TOUCHPOINT_KINDS

CADENCES = (None, "2w", "monthly", "every 3 months", "6 weeks", "yearly")
# Days before TODAY: mostly near it, where the boundaries are, sometimes years back.
past = st.one_of(st.integers(0, 60), st.integers(0, 1_200))


@dataclass(frozen=True)
class Person:
    stage: str
    cadence: str | None
    tagged: bool
    met_back: int | None  # first met, days before TODAY
    snooze_ahead: int | None  # snoozed until TODAY + this (may be in the past of `later`)
    archived: bool


@dataclass(frozen=True)
class TouchSpec:
    back: int
    kind: str
    people: tuple[int, ...]
    follow_up_ahead: int | None  # the follow-up date, days after the touch


@dataclass(frozen=True)
class ReferralSpec:
    back: int
    direction: str
    first: int
    second: int  # the other contact of an introduction


people = st.lists(
    st.builds(
        Person,
        stage=st.sampled_from(STAGES),
        cadence=st.sampled_from(CADENCES),
        tagged=st.booleans(),
        met_back=st.none() | past,
        snooze_ahead=st.none() | st.integers(-30, 400),
        archived=st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[list[Person], list[TouchSpec], list[ReferralSpec], str | None, int]:
    """A random history of a few contacts, a tag cadence, and how many days later to look."""
    who = draw(people)
    index = st.integers(0, len(who) - 1)
    touches = draw(
        st.lists(
            st.builds(
                TouchSpec,
                back=past,
                kind=st.sampled_from(TOUCHPOINT_KINDS),
                people=st.lists(index, min_size=1, max_size=3, unique=True).map(tuple),
                follow_up_ahead=st.none() | st.integers(0, 60),
            ),
            max_size=14,
        )
    )
    referrals = draw(
        st.lists(
            st.builds(
                ReferralSpec,
                back=past,
                direction=st.sampled_from(("given", "received", "introduction")),
                first=index,
                second=index,
            ).filter(lambda r: r.direction != "introduction" or r.first != r.second),
            max_size=6,
        )
    )
    tag_cadence = draw(st.sampled_from(CADENCES))
    later = draw(st.one_of(st.just(0), st.integers(0, 40), st.integers(0, 900)))
    return who, touches, referrals, tag_cadence, later


def histories(
    who: list[Person], touches: list[TouchSpec], referrals: list[ReferralSpec]
) -> tuple[list[list[Touch]], list[list[RuleReferral]]]:
    """Each person's history as the rules take it, straight from the generated specs."""
    their_touches: list[list[Touch]] = [[] for _ in who]
    their_referrals: list[list[RuleReferral]] = [[] for _ in who]
    for order, spec in enumerate(touches):
        on = TODAY - timedelta(days=spec.back)
        follow = (
            on + timedelta(days=spec.follow_up_ahead) if spec.follow_up_ahead is not None else None
        )
        for person in spec.people:
            their_touches[person].append(
                Touch(on=on, kind=spec.kind, follow_up_on=follow, order=order)
            )
    for referral in referrals:
        on = TODAY - timedelta(days=referral.back)
        if referral.direction == "introduction":
            their_referrals[referral.first].append(RuleReferral(on, "given"))
            their_referrals[referral.second].append(RuleReferral(on, "given"))
        else:
            their_referrals[referral.first].append(RuleReferral(on, referral.direction))
    return their_touches, their_referrals


def write(app, user_id: int, world) -> list[int]:
    """Write the history to the database and derive its fields the app's way."""
    who, touches, referrals, tag_cadence, _later = world
    with write_transaction(app) as session:
        session.execute(delete(Contact))
        session.execute(delete(Touchpoint))
        session.execute(delete(Tag))
        tag = Tag(user_id=user_id, name="顧問先", cadence=tag_cadence)
        contacts = [
            Contact(
                user_id=user_id,
                family_name=f"人{i:02d}",
                given_name="",
                stage=person.stage,
                cadence=person.cadence,
                first_met_on=TODAY - timedelta(days=person.met_back)
                if person.met_back is not None
                else None,
                snoozed_until=TODAY + timedelta(days=person.snooze_ahead)
                if person.snooze_ahead is not None
                else None,
                archived_at=datetime(2026, 1, 1, tzinfo=UTC) if person.archived else None,
                tags=[tag] if person.tagged else [],
            )
            for i, person in enumerate(who)
        ]
        session.add_all(contacts)
        session.flush()
        for spec in touches:
            on = TODAY - timedelta(days=spec.back)
            session.add(
                Touchpoint(
                    user_id=user_id,
                    occurred_on=on,
                    kind=spec.kind,
                    follow_up_on=on + timedelta(days=spec.follow_up_ahead)
                    if spec.follow_up_ahead is not None
                    else None,
                    contacts=[contacts[i] for i in spec.people],
                )
            )
            session.flush()  # ids in the order logged, as the rules' Touch.order
        for spec in referrals:
            session.add(
                Referral(
                    user_id=user_id,
                    referred_on=TODAY - timedelta(days=spec.back),
                    direction=spec.direction,
                    contact_id=contacts[spec.first].id,
                    other_contact_id=contacts[spec.second].id
                    if spec.direction == "introduction"
                    else None,
                    subject="client",
                )
            )
        ids = [contact.id for contact in contacts]
        refresh_contacts(session, ids, TODAY)
    return ids


def matching(session, ids: list[int], clause) -> set[int]:
    """The ids among these for which a SQL clause holds."""
    return set(session.scalars(select(Contact.id).where(Contact.id.in_(ids), clause)))


def values(session, ids: list[int], expression) -> dict[int, object]:
    """A SQL expression's value for each of these ids."""
    rows = session.execute(select(Contact.id, expression).where(Contact.id.in_(ids)))
    return {row[0]: row[1] for row in rows}


WORLD_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SIMPLE = (
    [Person("collaborator", None, False, 30, None, False)],
    [TouchSpec(40, "worked_together", (0,), None)],
    [ReferralSpec(400, "given", 0, 0), ReferralSpec(380, "received", 0, 0)],
    None,
    0,
)


@pytest.fixture
def world_app(app, user):
    return app, user.id


@WORLD_SETTINGS
@given(world=worlds())
@example(world=SIMPLE)
# Two people of different stages touched together, on one tag cadence: a tie on overdue.
@example(
    world=(
        [
            Person("card", None, True, None, None, False),
            Person("trusted", None, True, None, None, False),
        ],
        [TouchSpec(200, "meeting", (0, 1), None)],
        [],
        "monthly",
        0,
    )
)
# A collaborator whose consultations ran both ways this year: supported; a card met once,
# dormant (faded); two who consulted me twice on the first day of the 24 months (one way),
# one of them referred someone to me on the first day of the 12 months (not one way); a
# collaborator whose last consultation was on the first day of the 12 months (supported).
@example(
    world=(
        [
            Person("collaborator", None, False, 300, None, False),
            Person("card", None, False, 400, None, False),
            Person("trusted", None, False, None, None, False),
            Person("trusted", None, False, None, None, False),
            Person("collaborator", None, False, None, None, False),
        ],
        [
            TouchSpec(300, "worked_together", (0, 4), None),
            TouchSpec(400, "consulted_them", (4,), None),
            TouchSpec(365, "consulted_me", (4,), None),  # exactly 12 months back: inside
            TouchSpec(100, "consulted_me", (0,), None),
            TouchSpec(50, "consulted_them", (0,), None),
            TouchSpec(400, "card_exchange", (1,), None),
            TouchSpec(730, "consulted_me", (2, 3), None),  # exactly 24 months back: inside
            TouchSpec(730, "consulted_me", (2, 3), None),
        ],
        [ReferralSpec(365, "received", 2, 2)],  # exactly 12 months back: inside
        None,
        0,
    )
)
# A follow-up on the last day the morning asks for it, and one a day beyond.
@example(
    world=(
        [
            Person("card", None, False, None, None, False),
            Person("card", None, False, 0, None, False),
        ],
        [TouchSpec(0, "meeting", (0,), 7), TouchSpec(0, "call", (1,), 8)],
        [],
        None,
        0,
    )
)
def test_every_sql_form_agrees_with_its_rule(world_app, world):
    app, user_id = world_app
    who, touches, referrals, tag_cadence, later = world
    ids = write(app, user_id, world)
    today = TODAY + timedelta(days=later)
    their_touches, their_referrals = histories(who, touches, referrals)
    with write_transaction(app) as session:
        stored = {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(ids)))}
        sql_warmth = values(session, ids, warmth_sql.warmth_case(today))
        due_follow_ups = matching(session, ids, follow_ups_sql.follow_up_due(today))
        first_follow_ups = matching(session, ids, follow_ups_sql.waiting_for_first_follow_up(today))
        candidates = values(session, ids, evidence_sql.label_supported(today))
        candidates = {
            i: stage
            for i, stage in candidates.items()
            if i in matching(session, ids, evidence_sql.promotion_candidate(today))
        }
        reasons = values(session, ids, evidence_sql.unsupported_reason(today))
        one_way = values(session, ids, reciprocity_sql.one_way(today))
        faded = matching(session, ids, cold_sql.faded(today))
        cold = [entry.contact.id for entry in cold_list(session, user_id, today, limit=100)]
        faded_listed = {entry.contact.id for entry in faded_cards(session, user_id, today, 100)}
        checked = review(session, user_id, today)

    expected_cold = []
    for i, (person, contact_id) in enumerate(zip(who, ids, strict=True)):
        contact = stored[contact_id]
        touches_i, referrals_i = their_touches[i], their_referrals[i]
        cadence = effective_cadence(
            person.stage, person.cadence, [tag_cadence] if person.tagged else []
        )
        last = last_touch(touches_i)
        dates = warmth_dates(last, cadence)
        state = warmth(dates, today)
        snoozed_until = contact.snoozed_until

        # warmth
        assert sql_warmth[contact_id] == (state or "none")
        # due: the next touch's due day, and the follow-ups the morning asks for
        assert contact.next_due_on == (due_date(last, cadence) if last else None)
        pending = pending_follow_up(touches_i)
        assert (contact_id in due_follow_ups) == (
            follow_up_when(pending, today, archived=person.archived) is not None
        )
        found = evidence(touches_i, referrals_i, today)
        assert (contact_id in first_follow_ups) == awaits_first_follow_up(
            stage=person.stage,
            evidence_stage=found.stage,
            met=met_on(contact.first_met_on, last),
            last_touch_on=last,
            today=today,
            snoozed_until=snoozed_until,
            archived=person.archived,
        )
        # evidence: as the row keeps it
        assert evidence_sql.stored_evidence(contact) == found
        # candidate and unsupported: on what went either way in the last 12 months
        recent = reciprocity(touches_i, referrals_i, today, months=RECENT_MONTHS)
        exchanges = recent.gave + recent.received
        if is_promotion_candidate(person.stage, found.stage, exchanges):
            assert candidates.get(contact_id) == label_supported(found.stage, exchanges)
        else:
            assert contact_id not in candidates
        assert reasons[contact_id] == unsupported_reason(person.stage, found.stage, exchanges)
        # one-way: over the last 24 months
        assert one_way[contact_id] == reciprocity(touches_i, referrals_i, today).one_way
        # faded, and the cold list's order
        flagged = is_flagged(
            state, today=today, snoozed_until=snoozed_until, archived=person.archived
        )
        once = met_only_once(contact.first_met_on, first_touch(touches_i), last)
        fading = flagged and is_faded(person.stage, state, met_once=once)
        assert (contact_id in faded) == fading
        assert (contact_id in faded_listed) == fading
        if flagged and not fading:
            assert dates is not None
            key = cold_list_key(person.stage, overdue_ratio(dates, today))
            expected_cold.append((key, contact.sort_key, contact_id))

    assert cold == [contact_id for *_key, contact_id in sorted(expected_cold)]
    # The review lists what the SQL forms say, for the active contacts.
    active = {
        contact_id for person, contact_id in zip(who, ids, strict=True) if not person.archived
    }
    assert {(r.contact.id, r.supported) for r in checked.candidates} == {
        (i, stage) for i, stage in candidates.items() if i in active
    }
    assert {(r.contact.id, r.reason) for r in checked.unsupported} == {
        (i, reason) for i, reason in reasons.items() if reason and i in active
    }
    assert {(r.contact.id, r.direction) for r in checked.one_way} == {
        (i, way) for i, way in one_way.items() if way and i in active
    }
    for item in checked.one_way:
        ties = reciprocity(
            their_touches[ids.index(item.contact.id)],
            their_referrals[ids.index(item.contact.id)],
            today,
        )
        assert (item.gave, item.received) == (ties.gave, ties.received)
