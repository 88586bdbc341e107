"""Ids never travel between accounts (issue 15, findings 1 and 2).

- A restore from the trash follows a reference only to a row of the same owner, and gives
  methods and card images new ids; the JSON restore refuses any number that is not the
  backup's own.
- Ids that leave the database are never handed out again (AUTOINCREMENT on SQLite, identity
  on PostgreSQL), so an old id cannot come to name someone else's row.
- Migration 0011 clears the references that crossed accounts before it.
"""

import copy
import json
import random
from datetime import date

import pytest
from sqlalchemy import func, insert, select, text

from tests.conftest import PASSWORD, TODAY, log_in, sqlite_only, stored
from tracker.cli import upgrade
from tracker.db import database, write_connection, write_transaction
from tracker.models import (
    CardImage,
    Contact,
    ContactMethod,
    Event,
    Referral,
    Tag,
    Touchpoint,
    TrashEntry,
    User,
    contact_tags,
    touchpoint_contacts,
)
from tracker.services import exports
from tracker.services.restore import RestoreError, restore


@pytest.fixture
def alice_and_bob(app, make_user):
    alice, bob = make_user(email="alice@example.jp"), make_user(email="bob@example.jp")
    a, b = app.test_client(), app.test_client()
    log_in(a, alice)
    log_in(b, bob)
    return alice, bob, a, b


def _entry(app, user):
    with write_transaction(app) as session:
        return session.scalars(select(TrashEntry).where(TrashEntry.user_id == user.id)).one()


def _alices_contact_met_at_event_101(app, alice, make_contact, make_touchpoint):
    """Alice's event 101 (the highest event id), a contact met there, a touchpoint there."""
    with write_transaction(app) as session:
        session.add(Event(id=101, user_id=alice.id, name="ALICE-EVENT", kind="networking"))
    contact = make_contact(owner=alice, family_name="佐藤", origin_event_id=101)
    make_touchpoint([contact], owner=alice, kind="event", event_id=101, summary="交流会で")
    return contact


def test_finding_1_bob_never_gets_the_event_id_alice_deleted(
    app, alice_and_bob, make_contact, make_touchpoint
):
    alice, bob, a, b = alice_and_bob
    contact = _alices_contact_met_at_event_101(app, alice, make_contact, make_touchpoint)
    assert a.post(f"/contacts/{contact.id}/delete").status_code == 302
    assert a.post("/events/101/delete").status_code == 302
    response = b.post("/events/new", data={"name": "BOB-PRIVATE-EVENT", "kind": "networking"})
    assert response.status_code == 302
    with write_transaction(app) as session:
        bobs = session.scalars(select(Event).where(Event.user_id == bob.id)).one()
    assert bobs.id != 101  # SQLite handed out 101 again before AUTOINCREMENT

    restored = a.post(f"/trash/{_entry(app, alice).id}/restore")
    assert restored.status_code == 302
    page = a.get(restored.location).get_data(as_text=True)
    assert "佐藤" in page and "BOB-PRIVATE-EVENT" not in page and "ALICE-EVENT" not in page
    with write_transaction(app) as session:
        back = stored(session, Contact, contact.id)
        assert back.origin_event_id is None
        (touchpoint,) = session.scalars(select(Touchpoint).where(Touchpoint.user_id == alice.id))
        assert touchpoint.event_id is None and touchpoint.summary == "交流会で"
    backup = a.post("/export", data={"format": "json", "password": PASSWORD})
    assert backup.status_code == 200
    assert json.loads(backup.data)["contacts"][0]["origin_event"] is None


def test_finding_1_a_restore_never_links_another_accounts_row_even_with_the_old_id(
    app, alice_and_bob, make_contact, make_touchpoint
):
    """As the probe found it: Bob's event holds id 101 (before 0011, SQLite reused it)."""
    alice, bob, a, _b = alice_and_bob
    contact = _alices_contact_met_at_event_101(app, alice, make_contact, make_touchpoint)
    helper = make_contact(owner=bob, family_name="ボブの人")
    a.post(f"/contacts/{contact.id}/delete")
    a.post("/events/101/delete")
    with write_transaction(app) as session:
        session.add(Event(id=101, user_id=bob.id, name="BOB-PRIVATE-EVENT", kind="networking"))
        # And a trash entry that names Bob's contact as the introducer.
        entry = session.scalars(select(TrashEntry).where(TrashEntry.user_id == alice.id)).one()
        payload = json.loads(entry.payload)
        payload["contact"]["introduced_by_id"] = helper.id
        entry.payload = json.dumps(payload)

    restored = a.post(f"/trash/{entry.id}/restore")
    assert restored.status_code == 302
    for path in (restored.location, "/events", "/contacts", "/"):
        assert "BOB-PRIVATE-EVENT" not in a.get(path).get_data(as_text=True)
    with write_transaction(app) as session:
        back = stored(session, Contact, contact.id)
        assert (back.origin_event_id, back.introduced_by_id) == (None, None)
        (touchpoint,) = session.scalars(select(Touchpoint).where(Touchpoint.user_id == alice.id))
        assert touchpoint.event_id is None
        assert stored(session, Event, 101).user_id == bob.id  # Bob's event untouched
    backup = a.post("/export", data={"format": "json", "password": PASSWORD})
    assert backup.status_code == 200  # was a 500: KeyError 101
    assert "BOB-PRIVATE-EVENT" not in backup.get_data(as_text=True)


def test_finding_2_restore_gives_methods_new_ids_when_theirs_were_taken(
    app, alice_and_bob, make_contact
):
    alice, bob, a, _b = alice_and_bob
    methods = [
        {"kind": "email", "value": "sato@example.jp", "label": "work"},
        {"kind": "phone", "value": "090-0000-0001", "label": "mobile"},
    ]
    contact = make_contact(owner=alice, family_name="佐藤", methods=methods)
    with write_transaction(app) as session:
        old_ids = sorted(session.scalars(select(ContactMethod.id)))
        session.add(CardImage(contact_id=contact.id, content_type="image/png", data=b"\x89PNG1"))
    a.post(f"/contacts/{contact.id}/delete")
    # Bob's contact's methods take exactly the ids Alice's had (SQLite reused them before 0011).
    bobs = make_contact(owner=bob, family_name="ボブ")
    with write_transaction(app) as session:
        session.execute(
            insert(ContactMethod),
            [
                {"id": i, "contact_id": bobs.id, "kind": "email", "value": f"bob{i}@example.jp"}
                for i in old_ids
            ],
        )
    restored = a.post(f"/trash/{_entry(app, alice).id}/restore")
    assert restored.status_code == 302  # was a 500: UNIQUE constraint failed
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(TrashEntry)) == 0
        back = stored(session, Contact, contact.id)
        assert [(m.kind, m.value, m.label) for m in back.methods] == [
            (m["kind"], m["value"], m["label"]) for m in methods
        ]
        assert not {m.id for m in back.methods} & set(old_ids)
        assert sorted(m.value for m in stored(session, Contact, bobs.id).methods) == [
            f"bob{i}@example.jp" for i in old_ids
        ]
        assert session.scalar(select(CardImage).where(CardImage.contact_id == contact.id))


def test_a_touchpoint_restore_checks_its_event_and_people_against_the_owner(
    app, alice_and_bob, make_contact, make_touchpoint, make_event
):
    alice, bob, a, _b = alice_and_bob
    mine = make_contact(owner=alice, family_name="佐藤")
    theirs = make_contact(owner=bob, family_name="ボブの人")
    event = make_event(owner=alice, name="朝会")
    touchpoint = make_touchpoint([mine], owner=alice, event_id=event.id)
    a.post(f"/touchpoints/{touchpoint.id}/delete")
    with write_transaction(app) as session:
        entry = session.scalars(select(TrashEntry)).one()
        payload = json.loads(entry.payload)
        payload["contacts"].append(theirs.id)
        entry.payload = json.dumps(payload)
        session.delete(session.get(Event, event.id))
        session.add(Event(id=event.id + 1000, user_id=bob.id, name="BOB", kind="other"))
    assert a.post(f"/trash/{entry.id}/restore").status_code == 302
    with write_transaction(app) as session:
        back = session.scalars(select(Touchpoint).where(Touchpoint.user_id == alice.id)).one()
        assert back.event_id is None
        assert [c.id for c in back.contacts] == [mine.id]


def test_ids_that_leave_the_database_are_never_reused(app, user, make_contact, make_event):
    """Delete the newest row of each table, make another: it gets a new id."""
    seen = {}
    for round_ in range(2):
        person = make_contact(
            family_name=f"人{round_}",
            tags=[f"tag{round_}"],
            methods=[{"kind": "email", "value": "x@y.jp"}],
        )
        event = make_event(name=f"会{round_}")
        with write_transaction(app) as session:
            touchpoint = Touchpoint(
                user_id=user.id,
                occurred_on=TODAY,
                kind="call",
                contacts=[session.get(Contact, person.id)],
            )
            referral = Referral(
                user_id=user.id, referred_on=TODAY, direction="given", contact_id=person.id
            )
            session.add_all([touchpoint, referral])
            session.flush()
            row = stored(session, Contact, person.id)
            ids = {
                "contacts": person.id,
                "events": event.id,
                "touchpoints": touchpoint.id,
                "referrals": referral.id,
                "contact_methods": row.methods[0].id,
                "tags": row.tags[0].id,
            }
            if round_ == 0:
                seen = ids
                for model, key in (
                    (Touchpoint, "touchpoints"),
                    (Referral, "referrals"),
                    (Contact, "contacts"),
                    (Event, "events"),
                    (Tag, "tags"),
                ):
                    session.delete(session.get(model, ids[key]))
    for table, old in seen.items():
        assert ids[table] > old, table


def test_a_json_backup_follows_only_its_own_numbers(app, make_user, make_event, make_contact):
    """A backup that names an id of the database (another account's event) is refused."""
    bob = make_user(email="bob@example.jp")
    bobs_event = make_event(owner=bob, name="BOB-PRIVATE-EVENT")
    alice = make_user(email="alice@example.jp")
    backup = {
        "format_version": exports.FORMAT_VERSION,
        "events": [{"id": 7, "name": "自分の会", "kind": "networking"}],
        "contacts": [
            {"id": 1, "family_name": "佐藤", "stage": "card", "origin_event": bobs_event.id}
        ],
    }
    assert bobs_event.id != 7
    with pytest.raises(RestoreError, match="missing row"), write_transaction(app) as session:
        restore(session, stored(session, User, alice.id), backup, TODAY)
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0


def _full_backup(app, make_user, make_contact, make_touchpoint, make_referral, make_event):
    owner = make_user(email="owner@example.jp")
    event = make_event(owner=owner, name="朝会")
    a = make_contact(
        owner=owner,
        family_name="山田",
        tags=["税理士"],
        origin_event_id=event.id,
        methods=[{"kind": "email", "value": "a@y.jp"}],
        cadence="monthly",
    )
    b = make_contact(owner=owner, family_name="鈴木", introduced_by_id=a.id)
    make_touchpoint([a, b], owner=owner, event_id=event.id, occurred_at=None)
    make_referral(a, owner=owner, direction="introduction", other_contact_id=b.id)
    make_referral(b, owner=owner, direction="given", subject_contact_id=a.id)
    with write_transaction(app) as session:
        return exports.backup(session, stored(session, User, owner.id))


def _mutations(backup, rng):
    """Small corruptions of a valid backup: odd types, odd numbers, odd values."""
    odd_values = [
        None,
        "",
        "x",
        -1,
        0,
        10**12,
        2**63,
        1.5,
        True,
        [],
        [1],
        {},
        {"a": 1},
        "2026-13-45",
        "25:99",
        "\x00",
        "a" * 10_001,
        999_999,
    ]
    for _ in range(60):
        data = copy.deepcopy(backup)
        table = rng.choice(["tags", "events", "contacts", "touchpoints", "referrals", "settings"])
        target = data[table]
        if isinstance(target, list):
            if not target:
                continue
            target = rng.choice(target)
        key = rng.choice(sorted(target))
        value = target[key]
        if isinstance(value, list) and value and rng.random() < 0.5:
            value[rng.randrange(len(value))] = rng.choice(odd_values)
        else:
            target[key] = rng.choice(odd_values)
        yield data
    for table in ("tags", "events", "contacts", "touchpoints", "referrals"):
        if data[table]:
            doubled = copy.deepcopy(backup)
            doubled[table].append(copy.deepcopy(doubled[table][0]))
            yield doubled


def test_a_corrupt_json_backup_is_refused_whole_never_a_crash(
    app, make_user, make_contact, make_touchpoint, make_referral, make_event
):
    backup = _full_backup(app, make_user, make_contact, make_touchpoint, make_referral, make_event)
    rng = random.Random(15)
    outcomes = {"restored": 0, "refused": 0}
    for number, data in enumerate(_mutations(backup, rng)):
        target = make_user(email=f"target{number}@example.jp")
        try:
            with write_transaction(app) as session:
                restore(session, stored(session, User, target.id), data, TODAY)
        except RestoreError:
            outcomes["refused"] += 1
            with write_transaction(app) as session:
                assert (
                    session.scalar(
                        select(func.count())
                        .select_from(Contact)
                        .where(Contact.user_id == target.id)
                    )
                    == 0
                )
        else:
            outcomes["restored"] += 1
            client = app.test_client()
            log_in(client, target)
            for path in ("/", "/contacts", "/events", "/referrals", "/review", "/places"):
                assert client.get(path).status_code == 200, (path, data)
    print(f"\n{sum(outcomes.values())} corrupt backups: {outcomes}")
    assert outcomes["refused"] > 10 and outcomes["restored"] > 5, outcomes
    _assert_no_row_points_into_another_account(app)


def _assert_no_row_points_into_another_account(app):
    checks = {
        "contact's event": "SELECT count(*) FROM contacts c JOIN events e ON e.id = c.origin_event_id WHERE e.user_id <> c.user_id",
        "introducer": "SELECT count(*) FROM contacts c JOIN contacts i ON i.id = c.introduced_by_id WHERE i.user_id <> c.user_id",
        "touchpoint's event": "SELECT count(*) FROM touchpoints t JOIN events e ON e.id = t.event_id WHERE e.user_id <> t.user_id",
        "touchpoint's people": "SELECT count(*) FROM touchpoint_contacts l JOIN touchpoints t ON t.id = l.touchpoint_id JOIN contacts c ON c.id = l.contact_id WHERE c.user_id <> t.user_id",
        "tags": "SELECT count(*) FROM contact_tags l JOIN contacts c ON c.id = l.contact_id JOIN tags t ON t.id = l.tag_id WHERE c.user_id <> t.user_id",
        "referral's people": "SELECT count(*) FROM referrals r JOIN contacts c ON c.id IN (r.contact_id, r.other_contact_id, r.subject_contact_id) WHERE c.user_id <> r.user_id",
    }
    with database(app).engine.connect() as connection:
        found = {name: connection.execute(text(sql)).scalar() for name, sql in checks.items()}
    assert found == dict.fromkeys(checks, 0)


def test_migration_0011_clears_references_that_crossed_accounts(app, runner, make_user):
    """Rows a restore linked across accounts before this release lose that link, and only it."""
    from alembic.script import ScriptDirectory

    from tracker.cli import alembic_config

    before = ScriptDirectory.from_config(alembic_config(app)).get_revision("0011").down_revision
    assert runner.invoke(args=["db", "downgrade", str(before)]).exit_code == 0
    engine = database(app).engine
    with write_connection(engine) as connection:
        for n in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, display_name, time_zone, created_at) "
                    "VALUES (:n, :email, 'x', '', 'Asia/Tokyo', '2026-01-01')"
                ),
                {"n": n, "email": f"u{n}@example.jp"},
            )
        connection.execute(
            text(
                "INSERT INTO events (id, user_id, name, kind, place, notes, created_at) VALUES "
                "(101, 2, 'BOB-PRIVATE-EVENT', 'networking', '', '', '2026-01-01')"
            )
        )
        names = (
            "family_name",
            "given_name",
            "family_reading",
            "given_reading",
            "company",
            "department",
            "title",
            "expertise",
            "notes",
            "origin_note",
            "search_key",
            "sort_key",
        )
        for cid, user_id, event, introducer in (
            (1, 1, 101, None),
            (2, 2, None, None),
            (3, 1, None, 2),
            (4, 1, None, None),
        ):
            connection.execute(
                text(
                    f"INSERT INTO contacts (id, user_id, {', '.join(names)}, origin_event_id, introduced_by_id, stage, "
                    "evidence_stage, created_at, updated_at) VALUES "
                    f"(:id, :user, {', '.join(':' + n for n in names)}, :event, :introducer, 'card', 'card', '2026-01-01', '2026-01-01')"
                ),
                {
                    "id": cid,
                    "user": user_id,
                    "event": event,
                    "introducer": introducer,
                    **dict.fromkeys(names, ""),
                },
            )
        connection.execute(
            text(
                "INSERT INTO touchpoints (id, user_id, occurred_on, kind, summary, notes, event_id, created_at, updated_at) "
                "VALUES (7, 1, '2026-11-01', 'event', '', '', 101, '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            insert(touchpoint_contacts),
            [{"touchpoint_id": 7, "contact_id": 1}, {"touchpoint_id": 7, "contact_id": 2}],
        )
        connection.execute(text("INSERT INTO tags (id, user_id, name) VALUES (5, 2, 'bobs')"))
        connection.execute(insert(contact_tags), [{"contact_id": 1, "tag_id": 5}])
        connection.execute(
            text(
                "INSERT INTO referrals (id, user_id, referred_on, direction, contact_id, other_contact_id, subject, "
                "subject_contact_id, status, notes, created_at, updated_at) VALUES "
                "(9, 1, '2026-10-01', 'given', 4, NULL, 's', 2, 'introduced', '', '2026-01-01', '2026-01-01')"
            )
        )
    upgrade(app)
    with write_transaction(app) as session:
        mine = stored(session, Contact, 1)
        assert (mine.origin_event_id, [t.id for t in mine.tags]) == (None, [])
        assert stored(session, Contact, 3).introduced_by_id is None
        touchpoint = stored(session, Touchpoint, 7)
        assert touchpoint.event_id is None and [c.id for c in touchpoint.contacts] == [1]
        assert stored(session, Referral, 9).subject_contact_id is None
        assert stored(session, Event, 101).user_id == 2  # Bob keeps his own
        assert stored(session, Contact, 2).user_id == 2
    _assert_no_row_points_into_another_account(app)


@sqlite_only
def test_the_sqlite_tables_whose_ids_leave_the_database_have_autoincrement(db_path):
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        tables = {
            name: sql
            for name, sql in connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            )
        }
    for table in ("events", "tags", "contacts", "contact_methods", "touchpoints", "referrals"):
        assert "AUTOINCREMENT" in tables[table], table


def test_restored_rows_keep_their_own_ids_when_free(
    app, signed_in, user, make_contact, make_touchpoint
):
    """A contact comes back under its own address, its touchpoint too."""
    person = make_contact(family_name="山田")
    touchpoint = make_touchpoint([person], occurred_on=date(2026, 10, 1))
    signed_in.post(f"/contacts/{person.id}/delete")
    with write_transaction(app) as session:
        entry = session.scalars(select(TrashEntry)).one()
    assert signed_in.post(f"/trash/{entry.id}/restore").location == f"/contacts/{person.id}"
    with write_transaction(app) as session:
        assert stored(session, Touchpoint, touchpoint.id).contacts[0].id == person.id
