"""Budgets as tests, not timings: every page runs the same small number of SQL queries at
20 and at 2,000 contacts, and the plans of the hot queries scan no table whole."""

import re
from typing import Any

import pytest
from sqlalchemy import event, select, text

from tests.conftest import ON_POSTGRES, TODAY, log_in, sqlite_only
from tracker.db import database, write_transaction
from tracker.models import Contact, Event
from tracker.seeding import SeedPlan, seed_user

BUDGET = 8
PAGES = [
    "/",
    "/contacts",
    "/contacts?q=やま",
    "/contacts?q=yamada",
    "/contacts?sort=last_touch",
    "/contacts?warmth=going_cold&sort=overdue",
    "/contacts?stage=trusted&sort=strength",
    "/contacts/{contact}",
    "/review",
    "/places",
    "/help?q=相続",
    "/network",
    "/referrals",
    "/events",
    "/events/{event}",
    "/touchpoints/new?contact={contact}",
    "/cards/new",
]


def seeded(app, user, contacts):
    with write_transaction(app) as session:
        seed_user(
            session, user.id, SeedPlan(contacts=contacts, touchpoints=contacts * 5, seed=3), TODAY
        )
    with write_transaction(app) as session:
        busiest = session.scalars(
            select(Contact)
            .where(Contact.user_id == user.id)
            .order_by(Contact.strength_level.desc().nulls_last())
            .limit(1)
        ).one()
        an_event = session.scalars(select(Event).where(Event.user_id == user.id).limit(1)).one()
    return {"contact": busiest.id, "event": an_event.id}


def query_counts(client, count_queries, ids):
    counts = {}
    for page in PAGES:
        url = page.format(**ids)
        response = None

        def visit(url=url):
            nonlocal response
            response = client.get(url)

        counts[page] = count_queries(visit)
        assert response is not None and response.status_code == 200, url
    return counts


@pytest.fixture
def second(app, make_user):
    return make_user()


def test_query_counts_do_not_grow_with_the_account(app, client, user, second, count_queries):
    log_in(client, user)
    small = query_counts(client, count_queries, seeded(app, user, 20))
    other = app.test_client()
    log_in(other, second)
    large = query_counts(other, count_queries, seeded(app, second, 2_000))
    assert small == large
    over = {page: count for page, count in large.items() if count > BUDGET}
    assert not over, f"over {BUDGET} queries: {over}"
    print("\nqueries per page:", large)


def test_logging_a_touchpoint_costs_the_same_at_any_size(app, client, user, second, count_queries):
    def post(browser, contact_id):
        return browser.post(
            "/touchpoints/new",
            data={
                "contacts": str(contact_id),
                "kind": "call",
                "occurred_on": "2026-11-20",
                "save": "1",
            },
        )

    log_in(client, user)
    small_ids = seeded(app, user, 20)
    other = app.test_client()
    log_in(other, second)
    large_ids = seeded(app, second, 2_000)
    small = count_queries(lambda: post(client, small_ids["contact"]))
    large = count_queries(lambda: post(other, large_ids["contact"]))
    assert small == large


def plans(app, action):
    """The query plans of the SELECTs a callable runs (EXPLAIN QUERY PLAN / EXPLAIN)."""
    engine = database(app).engine
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    explained = []
    with engine.connect() as connection:
        if ON_POSTGRES:
            # On small tables PostgreSQL rightly prefers a sequential scan; what matters is
            # whether an index path exists, which is what it picks when told to avoid them.
            connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            prefix = "EXPLAIN " if ON_POSTGRES else "EXPLAIN QUERY PLAN "
            rows = connection.exec_driver_sql(prefix + statement, parameters).all()
            explained.append((statement, "\n".join(str(row[-1]) for row in rows)))
    return explained


FULL_SCAN = {
    # SQLite: "SCAN contacts" without an index is the whole table; PostgreSQL: a Seq Scan.
    "sqlite": re.compile(r"^SCAN (contacts|touchpoints|touchpoint_contacts)\b(?! USING)", re.M),
    "postgresql": re.compile(r"Seq Scan on (contacts|touchpoints|touchpoint_contacts)\b"),
}


@pytest.mark.parametrize(
    "page",
    ["/", "/contacts", "/contacts?q=yamada", "/contacts?sort=last_touch", "/contacts/{contact}"],
)
def test_hot_pages_scan_no_table_whole(app, client, user, second, page):
    # A second account's rows make "the whole table" different from "this user's rows".
    seeded(app, second, 1_000)
    log_in(client, user)
    ids = seeded(app, user, 300)
    if ON_POSTGRES:
        with write_transaction(app) as session:
            session.execute(text("ANALYZE"))
    found = plans(app, lambda: client.get(page.format(**ids)))
    pattern = FULL_SCAN["postgresql" if ON_POSTGRES else "sqlite"]
    scans = [
        (statement.split("FROM")[1][:120], plan)
        for statement, plan in found
        if pattern.search(plan)
    ]
    assert not scans, scans
    assert found  # the page did read something


@pytest.mark.parametrize(
    ("page", "marks", "index"),
    [
        # This month's new cards, by coalesce(first_met_on, last_touch_on) (migration 0007),
        # not by reading every contact with a touch.
        ("/", ("stage = ", "coalesce("), "ix_contacts_user_id_met_on"),
        # The counts per stage and warmth from the dashboard's covering index (0010), and
        # the review's sections from theirs: not from the contacts' rows.
        pytest.param(
            "/",
            ("GROUP BY contacts.stage",),
            "COVERING INDEX ix_contacts_user_id_next_due_on",
            marks=sqlite_only,
        ),
        pytest.param(
            "/review",
            ("UNION ALL",),
            "COVERING INDEX ix_contacts_user_id_review",
            marks=sqlite_only,
        ),
        # The people met per event, counted from an index (0010), not from the contacts' rows
        # (on PostgreSQL, at this size, the planner may rightly read the small table).
        pytest.param(
            "/places",
            ("GROUP BY contacts.origin_event_id",),
            "ix_contacts_user_id_origin_event_id",
            marks=sqlite_only,
        ),
    ],
)
def test_hot_queries_use_their_index(app, client, user, second, page, marks, index):
    seeded(app, second, 1_000)
    log_in(client, user)
    seeded(app, user, 300)
    if ON_POSTGRES:
        with write_transaction(app) as session:
            session.execute(text("ANALYZE"))
    found = plans(app, lambda: client.get(page))
    chosen = [plan for statement, plan in found if all(mark in statement for mark in marks)]
    assert chosen
    assert all(index in plan for plan in chosen), chosen
