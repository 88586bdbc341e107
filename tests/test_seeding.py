"""The seeded dataset: reproducible, realistic, exact derived fields, nothing in the future;
and a smoke run of the benchmark machinery on a tiny dataset."""

import re
from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import ON_POSTGRES, TODAY, make_config
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.models import Contact, Event, Referral, Tag, Touchpoint, contact_tags
from tracker.seeding import TIERS, SeedPlan, plan_for, seed_command, seed_user, table
from tracker.services.dashboard import WARMTH_LABELS, counts
from tracker.services.derived import FIELDS, recompute_user
from tracker.text import has_cjk
from tracker.vocabulary import (
    EVENT_KINDS,
    REFERRAL_DIRECTIONS,
    REFERRAL_STATUSES,
    STAGES,
    TOUCHPOINT_KINDS,
)

DERIVED = (*FIELDS, "search_key", "sort_key")
TABLES = (
    "events",
    "tags",
    "contacts",
    "contact_methods",
    "contact_tags",
    "touchpoints",
    "touchpoint_contacts",
    "referrals",
)
SOLO = TIERS["solo"]
HIRAGANA = re.compile(r"^[\u3041-\u3096ー]+$")


def seed(app, user_id: int, plan: SeedPlan) -> Any:
    with write_transaction(app) as session:
        return seed_user(session, user_id, plan, TODAY)


def dump(app) -> dict[str, list[tuple]]:
    """Every row of the tables seeding writes, in primary-key order."""
    with database(app).sessionmaker() as session:
        return {
            name: [
                tuple(row)
                for row in session.execute(
                    select(table(name)).order_by(*table(name).primary_key.columns)
                )
            ]
            for name in TABLES
        }


def derived(session, user_id: int) -> dict[int, tuple]:
    rows = session.scalars(select(Contact).where(Contact.user_id == user_id).order_by(Contact.id))
    return {c.id: tuple(getattr(c, name) for name in DERIVED) for c in rows}


@pytest.fixture
def other_app(fresh_database):
    """A second, separate database with the same schema."""
    app = create_app(make_config(fresh_database()))
    yield app
    database(app).engine.dispose()


@pytest.fixture
def solo(app, user):
    """The solo tier seeded for the user."""
    seed(app, user.id, SOLO)
    return user


def test_the_same_seed_gives_the_same_rows(app, user, other_app):
    plan = SeedPlan(contacts=120, touchpoints=1_200, seed=7)
    seed(app, user.id, plan)
    with write_transaction(other_app) as session:
        other = type(user)(email="x@example.jp", password_hash="!", display_name="X")
        session.add(other)
    assert other.id == user.id
    seed(other_app, other.id, plan)
    first = dump(app)
    assert first == dump(other_app)
    assert len(first["contacts"]) == 120 and len(first["touchpoints"]) == 1_200


def test_another_seed_gives_other_rows(app, make_user):
    one, two = make_user(), make_user()
    seed(app, one.id, SeedPlan(contacts=50, touchpoints=500, seed=1))
    seed(app, two.id, SeedPlan(contacts=50, touchpoints=500, seed=2))
    with database(app).sessionmaker() as session:
        names = {
            user_id: list(
                session.execute(
                    select(Contact.family_name, Contact.given_name)
                    .where(Contact.user_id == user_id)
                    .order_by(Contact.id)
                )
            )
            for user_id in (one.id, two.id)
        }
    assert names[one.id] != names[two.id]


def test_solo_has_every_stage_warmth_kind_and_direction(app, solo):
    with database(app).sessionmaker() as session:
        counted = counts(session, solo.id, TODAY)
        per_stage, per_warmth = counted.per_stage, counted.per_warmth
        assert all(per_stage[stage] > 0 for stage in STAGES)
        assert all(per_warmth[warmth] > 0 for warmth in WARMTH_LABELS)
        evidence = set(session.scalars(select(Contact.evidence_stage).distinct()))
        assert evidence == set(STAGES)

        def distinct(column) -> set:
            return set(session.scalars(select(column).distinct()))

        assert distinct(Touchpoint.kind) == set(TOUCHPOINT_KINDS)
        assert distinct(Referral.direction) == set(REFERRAL_DIRECTIONS)
        assert distinct(Referral.status) == set(REFERRAL_STATUSES)
        assert distinct(Event.kind) == set(EVENT_KINDS)
        assert session.scalar(select(func.count()).select_from(Contact)) == SOLO.contacts
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == SOLO.touchpoints


def test_solo_looks_like_a_real_network(app, solo):
    with database(app).sessionmaker() as session:
        contacts = list(session.scalars(select(Contact)))
        japanese = [c for c in contacts if has_cjk(c.family_name)]
        western = [c for c in contacts if not has_cjk(c.family_name)]
        assert 0.1 < len(western) / len(contacts) < 0.3
        assert all(HIRAGANA.match(c.family_reading + c.given_reading) for c in japanese)
        assert sum(1 for c in contacts if c.origin_event_id) > len(contacts) / 3
        assert any(c.introduced_by_id for c in contacts)
        assert any(c.expertise for c in contacts) and any(c.cadence for c in contacts)
        assert any(c.archived_at for c in contacts) and any(c.snoozed_until for c in contacts)
        cadenced_tags = select(Tag.id).where(Tag.cadence.is_not(None))
        tagged = select(func.count()).where(contact_tags.c.tag_id.in_(cadenced_tags))
        assert session.scalars(tagged).one() > 0
        # A card exchange comes first for most; several people share some touchpoints.
        firsts = session.scalars(
            select(func.count()).where(Touchpoint.kind == "card_exchange")
        ).one()
        assert firsts > 0.5 * len(contacts)
        links = session.scalars(
            select(func.count()).select_from(table("touchpoint_contacts"))
        ).one()
        assert links > SOLO.touchpoints
        assert session.scalar(select(func.count()).where(Touchpoint.follow_up_on.is_not(None)))
        # The number of touchpoints per contact is skewed: a few have very many.
        per_contact = sorted(
            session.scalars(
                select(func.count())
                .select_from(table("touchpoint_contacts"))
                .group_by("contact_id")
            ),
            reverse=True,
        )
        assert per_contact[0] > 10 * per_contact[len(per_contact) // 2]


def comparable(fields: dict[int, tuple]) -> dict[int, tuple]:
    """Derived fields; on PostgreSQL the search key's lines as a set, since tags load in
    the database's collation order there (the app's own keys depend on that order too)."""
    if not ON_POSTGRES:
        return fields
    return {
        key: (*values[:-2], sorted(values[-2].split("\n")), values[-1])
        for key, values in fields.items()
    }


def test_derived_fields_equal_a_recompute(app, solo):
    with write_transaction(app) as session:
        before = derived(session, solo.id)
        recompute_user(session, solo.id, TODAY)
        for contact in session.scalars(select(Contact).where(Contact.user_id == solo.id)):
            contact.refresh_keys()
        session.flush()
        assert comparable(derived(session, solo.id)) == comparable(before)
        session.rollback()


def test_seeding_again_adds_to_the_account_with_exact_fields(app, user):
    seed(app, user.id, SeedPlan(contacts=40, touchpoints=300, seed=1))
    seed(app, user.id, SeedPlan(contacts=40, touchpoints=300, seed=2))
    with write_transaction(app) as session:
        before = derived(session, user.id)
        recompute_user(session, user.id, TODAY)
        assert len(before) == 80 and derived(session, user.id) == before
        assert session.scalar(select(func.count()).select_from(Tag)) == len(
            set(session.scalars(select(Tag.name)))
        )


def test_nothing_is_dated_after_today(app, solo):
    end_of_today = datetime.combine(TODAY, time.max, tzinfo=UTC)
    with database(app).sessionmaker() as session:
        for column in (
            Touchpoint.occurred_on,
            Referral.referred_on,
            Event.held_on,
            Contact.first_met_on,
            Contact.last_touch_on,
        ):
            latest_day = session.scalar(select(func.max(column)))
            assert latest_day is not None and latest_day <= TODAY, column
        for column in (
            Contact.created_at,
            Contact.archived_at,
            Touchpoint.created_at,
            Referral.created_at,
        ):
            latest = session.scalar(select(func.max(column)))
            assert latest is not None, column
            if latest.tzinfo is None:  # SQLite keeps no time zone: the app stores UTC
                latest = latest.replace(tzinfo=UTC)
            assert latest <= end_of_today, column


def test_the_command_seeds_an_account(app, runner, user):
    result = runner.invoke(seed_command, ["--user", user.email, "--contacts", "30", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "30 contacts, 300 touchpoints" in result.output
    with database(app).sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 30


def test_the_command_needs_an_existing_account_and_a_size(runner, user):
    assert runner.invoke(seed_command, ["--user", "nobody@example.jp", "--contacts", "5"]).exit_code
    assert runner.invoke(seed_command, ["--user", user.email]).exit_code


def test_plans():
    assert plan_for("firm", None, None, 1) == SeedPlan(20_000, 400_000, 1)
    assert plan_for("firm", 1_000, None, 2) == SeedPlan(1_000, 20_000, 2)
    assert plan_for(None, 100, None, 1) == SeedPlan(100, 1_000, 1)
    assert plan_for("solo", None, 42, 1) == SeedPlan(500, 42, 1)


# --- The benchmark machinery -------------------------------------------------------------


def test_the_bench_measures_every_page(app, user, bench):
    seed(app, user.id, SeedPlan(contacts=30, touchpoints=300, seed=1))
    result = bench.bench_app(app, user.id, TODAY, requests=5, warmup=1)
    assert set(result["pages"]) == {page.key for page in bench.PAGES}
    for stats in result["pages"].values():
        assert stats["requests"] == 5 and stats["p95_ms"] >= stats["p50_ms"] > 0
        assert stats["queries"] > 0
    for floor in result["floors"].values():
        assert floor["p50_ms"] > 0 and floor["same_rows"] and floor["same_order"]
    imported = bench.bench_import(app, user, cards=50)
    assert imported["first"]["created"] == 50
    assert imported["again"] == {**imported["again"], "created": 0, "merged": 50}
    assert imported["first"]["write_transactions"] >= 3  # claim, tags, a batch, the end
    assert imported["first"]["longest_write_ms"] > 0
    result["import"] = imported
    result["dataset"] = {
        "contacts": 30,
        "touchpoints": 300,
        "touchpoint_links": 0,
        "referrals": 0,
        "events": 0,
        "seconds": 0.0,
    }
    result["verdicts"] = bench.assess("heavy", result)
    assert "meets_p95_target" in result["verdicts"]["dashboard"]
    parsed = bench.bench_parse(cards=20, repeats=1)
    assert parsed["cards"] == 20 and len(parsed["runs_s"]) == 1
    report = {
        "parse": parsed,
        "generated": "now",
        "requests": 5,
        "warmup": 1,
        "machine": bench.machine_info("sqlite"),
        "tiers": {"heavy": result},
    }
    markdown = bench.render_markdown(report)
    assert "| Dashboard `/` |" in markdown and "SELECT count(*) FROM contacts c2" in markdown
    assert "20 vCards (" in markdown and "≤ 3 s" in markdown


def test_the_floor_queries_are_written_for_postgresql_too(bench):
    sql = bench.floor_sql("list_going_cold", "postgresql")
    assert "%(today)s" in sql and "%(user)s" in sql and ":today" not in sql
    assert "CAST((c.next_due_on - c.last_touch_on) AS float)" in sql
