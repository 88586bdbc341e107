"""The derived contact fields: stored values always equal a rebuild from history, and the
SQL warmth expressions agree with the pure rules."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from tests.conftest import TODAY, stored
from tracker.db import database, write_connection, write_transaction
from tracker.models import Contact, Referral, Tag, Touchpoint
from tracker.relationships import Cadence, overdue_ratio, warmth, warmth_dates
from tracker.services import ServiceError
from tracker.services.contacts import set_cadence, set_stage, set_tag_cadence, snooze, tags_named
from tracker.services.derived import FIELDS, derived_values, recompute_user
from tracker.services.referrals import ReferralData, create_referral, delete_referral
from tracker.services.sql.warmth import overdue_ratio as sql_overdue_ratio
from tracker.services.sql.warmth import warmth_case
from tracker.services.touchpoints import (
    TouchpointData,
    create_touchpoint,
    delete_touchpoint,
    update_touchpoint,
)
from tracker.vocabulary import STAGES, TOUCHPOINT_KINDS

DERIVED = FIELDS
# What a field holds when it was never derived (or was broken): a recompute must set it.
BLANK = {"evidence_stage": "collaborator", "real_touches": None, "exchanges": "2000-01-01g"}
BLANK_COUNT = 99

days = st.integers(min_value=0, max_value=900)
operation = st.one_of(
    st.tuples(
        st.just("touch"),
        st.sampled_from(TOUCHPOINT_KINDS),
        days,
        st.lists(st.integers(0, 3), min_size=1, max_size=3),
        st.booleans(),
    ),
    st.tuples(
        st.just("edit"),
        st.integers(0, 50),
        st.sampled_from(TOUCHPOINT_KINDS),
        days,
        st.integers(0, 3),
    ),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("stage"), st.integers(0, 3), st.sampled_from(STAGES)),
    st.tuples(
        st.just("cadence"),
        st.integers(0, 3),
        st.sampled_from(["", "2w", "monthly", "every 3 months", "毎年"]),
    ),
    st.tuples(st.just("tag"), st.sampled_from(["", "weekly", "quarterly"])),
    st.tuples(st.just("snooze"), st.integers(0, 3), st.integers(0, 60)),
    st.tuples(
        st.just("referral"),
        st.sampled_from(["given", "received", "introduction"]),
        days,
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    st.tuples(st.just("unrefer"), st.integers(0, 50)),
)


MEET = ("touch", "meeting", 10, [0, 1], True)


def snapshot(session, user_id):
    rows = session.scalars(select(Contact).where(Contact.user_id == user_id).order_by(Contact.id))
    return {c.id: tuple(getattr(c, name) for name in DERIVED) for c in rows}


def apply(session, user_id, contacts, step):
    kind, *args = step
    today = TODAY
    touchpoints = list(
        session.scalars(
            select(Touchpoint).where(Touchpoint.user_id == user_id).order_by(Touchpoint.id)
        )
    )
    referrals = list(
        session.scalars(select(Referral).where(Referral.user_id == user_id).order_by(Referral.id))
    )
    if kind == "touch":
        tp_kind, back, people, follow = args
        on = today - timedelta(days=back)
        data = TouchpointData(
            occurred_on=on,
            kind=tp_kind,
            contact_ids=[contacts[i].id for i in people],
            follow_up_on=on + timedelta(days=14) if follow else None,
        )
        create_touchpoint(session, user_id, data, today)
    elif kind == "edit" and touchpoints:
        index, tp_kind, back, person = args
        tp = touchpoints[index % len(touchpoints)]
        data = TouchpointData(
            occurred_on=today - timedelta(days=back),
            kind=tp_kind,
            contact_ids=[contacts[person].id],
        )
        update_touchpoint(session, user_id, tp.id, data, today)
    elif kind == "delete" and touchpoints:
        delete_touchpoint(session, user_id, touchpoints[args[0] % len(touchpoints)].id, today)
    elif kind == "stage":
        set_stage(session, user_id, contacts[args[0]].id, args[1], today)
    elif kind == "cadence":
        set_cadence(session, user_id, contacts[args[0]].id, args[1], today)
    elif kind == "tag":
        tag = session.scalars(select(Tag).where(Tag.user_id == user_id)).one()
        set_tag_cadence(session, user_id, tag.id, args[0], today)
    elif kind == "snooze":
        snooze(session, user_id, contacts[args[0]].id, today + timedelta(days=args[1]), today)
    elif kind == "referral":
        direction, back, a, b = args
        referral = ReferralData(
            referred_on=today - timedelta(days=back),
            direction=direction,
            contact_id=contacts[a].id,
            other_contact_id=contacts[b].id,
            subject="client",
        )
        try:
            create_referral(session, user_id, referral, today)
        except ServiceError:
            session.rollback()
            raise
    elif kind == "unrefer" and referrals:
        delete_referral(session, user_id, referrals[args[0] % len(referrals)].id, today)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(operation, min_size=1, max_size=25))
# Each kind of change as the last step, so that no later step can hide a missed refresh.
@example(steps=[MEET, ("stage", 0, "collaborator")])
@example(steps=[MEET, ("cadence", 1, "2w")])
@example(steps=[MEET, ("tag", "weekly")])
@example(steps=[MEET, ("edit", 0, "call", 3, 2)])
@example(steps=[MEET, ("delete", 0)])
@example(steps=[MEET, ("referral", "introduction", 5, 0, 1)])
@example(steps=[MEET, ("referral", "given", 5, 0, 0), ("unrefer", 0)])
def test_stored_fields_equal_a_rebuild_after_any_sequence(app, user, make_contact, steps):
    with write_transaction(app) as session:
        for contact in session.scalars(select(Contact)):
            session.delete(contact)
        session.execute(delete(Tag))
    contacts = [make_contact(family_name=f"人{i}") for i in range(4)]
    with write_transaction(app) as session:
        loaded = [stored(session, Contact, c.id) for c in contacts]
        tag = tags_named(session, user.id, ["顧問先"])[0]
        loaded[0].tags = [tag]
        loaded[1].tags = [tag]
    for step in steps:
        if step[0] == "referral" and step[1] == "introduction" and step[3] == step[4]:
            continue
        with write_transaction(app) as session:
            loaded = [stored(session, Contact, c.id) for c in contacts]
            apply(session, user.id, loaded, step)
    with write_transaction(app) as session:
        saved = snapshot(session, user.id)
        for contact in session.scalars(select(Contact)):
            for name in DERIVED:
                blank = BLANK_COUNT if isinstance(getattr(contact, name), int) else None
                setattr(contact, name, BLANK.get(name, blank))
    with write_transaction(app) as session:
        recompute_user(session, user.id, TODAY)
    with write_transaction(app) as session:
        assert snapshot(session, user.id) == saved


@pytest.fixture
def contacts_table(app, user):
    """The app's own database (SQLite or PostgreSQL) to evaluate the SQL expressions on."""
    return database(app).engine


USER_ID = 1  # the `user` fixture's id in a fresh database


def one_contact(**dates):
    # The text columns take their models' defaults ("").
    return insert(Contact).values(
        id=1,
        user_id=USER_ID,
        stage="card",
        evidence_stage="card",
        created_at=TODAY,
        updated_at=TODAY,
        **dates,
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    last=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
    cadence=st.one_of(
        st.builds(Cadence, months=st.integers(1, 24)), st.builds(Cadence, days=st.integers(1, 400))
    ),
    offset=st.integers(min_value=-10, max_value=2500),
)
def test_sql_warmth_agrees_with_the_rules(contacts_table, last, cadence, offset):
    dates = warmth_dates(last, cadence)
    today = last + timedelta(days=offset)
    with write_connection(contacts_table) as connection:
        connection.execute(delete(Contact))
        connection.execute(
            one_contact(
                last_touch_on=dates.last_touch,
                cooling_on=dates.cooling_on,
                next_due_on=dates.due_on,
                dormant_after=dates.dormant_after,
            )
        )
        found = connection.execute(select(warmth_case(today))).scalar_one()
        ratio = connection.execute(select(sql_overdue_ratio(today))).scalar_one()
    assert found == warmth(dates, today)
    assert ratio == pytest.approx(overdue_ratio(dates, today))


def test_db_upgrade_derives_contacts_never_derived(runner, app, make_contact, make_referral):
    """Rows written without the stored evidence (before migration 0010, or by a bulk insert)
    are derived by `flask db upgrade`."""
    person = make_contact()
    make_referral(person, direction="received")
    with write_transaction(app) as session:
        blanked = stored(session, Contact, person.id)
        blanked.real_touches, blanked.referrals_received, blanked.last_received_on = None, 0, None
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "Recomputed the derived fields of 1 contacts." in result.output
    with write_transaction(app) as session:
        fixed = stored(session, Contact, person.id)
        assert (fixed.real_touches, fixed.referrals_received, fixed.last_received_on) == (
            0,
            1,
            date(2026, 10, 1),
        )


def test_the_one_derivation_sets_exactly_the_derived_columns():
    """derive() and seeding both store derived_values: it must name every derived column."""
    values = derived_values("card", None, [], [], [], TODAY)
    assert tuple(values) == FIELDS
    assert set(FIELDS) <= set(Contact.__table__.columns.keys())
