"""Exports (vCard, CSV, JSON backup), restore, the calendar feed, merging duplicates,
and the import / export / restore commands."""

import csv
import io
import json
from datetime import date

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import PASSWORD, TODAY, log_in, stored
from tracker.db import write_transaction
from tracker.importers import parse
from tracker.models import Contact, Referral, Touchpoint, User
from tracker.services import exports
from tracker.services.restore import RestoreError, restore


def full_contact(make_contact, **overrides):
    values = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_reading": "やまだ",
        "given_reading": "たろう",
        "company": "山田税理士事務所",
        "department": "相続部",
        "title": "所長",
        "notes": "犬を飼っている, 猫も; 改行\nあり",
        "tags": ["税理士", "府中"],
        "methods": [
            {"kind": "email", "value": "taro@yamada.example.jp", "label": "work"},
            {"kind": "phone", "value": "090-1234-5678", "label": "mobile"},
            {"kind": "phone", "value": "042-000-0000", "label": "会社"},
            {"kind": "address", "value": "〒183-0000 東京都府中市1-2-3", "label": "work"},
            {"kind": "url", "value": "https://yamada.example.jp", "label": ""},
        ],
    }
    values.update(overrides)
    return make_contact(**values)


@pytest.mark.parametrize("version", ["vcf", "vcf3"])
def test_vcard_export_round_trips_what_vcard_carries(signed_in, make_contact, version):
    full_contact(make_contact)
    response = signed_in.post("/export", data={"format": version, "password": PASSWORD})
    assert response.mimetype == "text/vcard"
    text = response.get_data(as_text=True)
    assert ("VERSION:3.0" in text) is (version == "vcf3")
    (card,) = parse(text.encode()).cards
    assert (card.family_name, card.given_name, card.family_reading, card.given_reading) == (
        "山田",
        "太郎",
        "やまだ",
        "たろう",
    )
    assert (card.company, card.department, card.title) == ("山田税理士事務所", "相続部", "所長")
    assert card.notes == "犬を飼っている, 猫も; 改行\nあり"
    assert sorted(card.tags) == ["府中", "税理士"]
    assert sorted((m.kind, m.value, m.label) for m in card.methods) == sorted(
        [
            ("email", "taro@yamada.example.jp", "work"),
            ("phone", "090-1234-5678", "mobile"),
            ("phone", "042-000-0000", "会社"),
            ("address", "〒183-0000 東京都府中市1-2-3", "work"),
            ("url", "https://yamada.example.jp", ""),
        ]
    )
    assert "X-PHONETIC-LAST-NAME:やまだ" in text and "ORG:山田税理士事務所;相続部" in text
    # vCard 3.0 has no SORT-AS: the readings travel in X-PHONETIC-* alone.
    assert ("SORT-AS=" in text) is (version == "vcf")


def test_csv_export_has_one_row_per_contact_and_neutralises_formulas(signed_in, make_contact):
    full_contact(make_contact)
    make_contact(
        family_name='=HYPERLINK("http://evil")', company="+81 3", notes="@SUM(A1)", given_name="-1"
    )
    response = signed_in.post("/export", data={"format": "csv", "password": PASSWORD})
    assert "attachment;" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    evil = next(r for r in rows if "HYPERLINK" in r["family_name"])
    assert evil["family_name"].startswith("'=") and evil["company"] == "'+81 3"
    assert evil["notes"] == "'@SUM(A1)" and evil["given_name"] == "'-1"
    yamada = next(r for r in rows if r["family_name"] == "山田")
    assert yamada["phones"] == "090-1234-5678; 042-000-0000"


def backup_of(app, user) -> str:
    with write_transaction(app) as session:
        return exports.backup_json(session, stored(session, User, user.id))


def test_backup_restore_backup_is_identical(
    app, user, make_user, make_contact, make_touchpoint, make_referral, make_event
):
    event = make_event(name="交流会", held_on=date(2026, 5, 1))
    a = full_contact(make_contact, origin_event_id=event.id)
    b = make_contact(family_name="鈴木", introduced_by_id=a.id, stage="trusted", cadence="monthly")
    make_touchpoint(
        [a, b],
        kind="meal",
        occurred_on=date(2026, 6, 1),
        summary="会食",
        follow_up_on=date(2026, 12, 1),
        event_id=event.id,
    )
    make_referral(a, direction="introduction", other_contact_id=b.id, subject="")
    make_referral(b, direction="received", subject_contact_id=a.id, status="engaged")
    first = backup_of(app, user)
    data = json.loads(first)
    assert data["format_version"] == 1
    assert (
        {len(data[k]) for k in ("contacts",)} == {2}
        and len(data["touchpoints"]) == 1
        and len(data["referrals"]) == 2
    )
    other = make_user()
    with write_transaction(app) as session:
        counts = restore(session, stored(session, User, other.id), data, TODAY)
    assert counts == {"tags": 2, "events": 1, "contacts": 2, "touchpoints": 1, "referrals": 2}
    assert backup_of(app, other) == first
    with write_transaction(app) as session:
        restored_b = session.scalars(
            select(Contact).where(Contact.user_id == other.id, Contact.family_name == "鈴木")
        ).one()
        original_b = session.get(Contact, b.id)
        for name in (
            "last_touch_on",
            "next_due_on",
            "evidence_stage",
            "strength_level",
            "follow_up_on",
        ):
            assert getattr(restored_b, name) == getattr(original_b, name), name


def test_restore_refuses_a_non_empty_account_and_bad_backups(app, user, make_contact):
    make_contact()
    data = json.loads(backup_of(app, user))
    with pytest.raises(RestoreError, match="empty account"), write_transaction(app) as session:
        restore(session, stored(session, User, user.id), data, TODAY)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(format_version=99),
        lambda d: d["contacts"][0].update(stage="guru"),
        lambda d: d["contacts"][0].update(introduced_by=999),
        lambda d: d["touchpoints"][0].update(contacts=[]),
        lambda d: d["touchpoints"][0].update(occurred_on="yesterday"),
        lambda d: d["contacts"][0].update(family_name="x" * 101),
    ],
)
def test_a_damaged_backup_writes_nothing(
    app, user, make_user, make_contact, make_touchpoint, damage
):
    person = make_contact()
    make_touchpoint([person])
    data = json.loads(backup_of(app, user))
    damage(data)
    other = make_user()
    with pytest.raises(RestoreError), write_transaction(app) as session:
        restore(session, stored(session, User, other.id), data, TODAY)
    with write_transaction(app) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Contact).where(Contact.user_id == other.id)
            )
            == 0
        )


names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12
).map(str.strip)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        st.fixed_dictionaries(
            {
                "family_name": names.filter(bool),
                "given_name": names,
                "family_reading": names,
                "company": names,
                "notes": st.text(max_size=40).map(lambda s: s.replace("\x00", "").strip()),
                "stage": st.sampled_from(["card", "acquaintance", "trusted", "collaborator"]),
                "tags": st.lists(names.filter(bool), max_size=3),
            }
        ),
        min_size=1,
        max_size=5,
    ),
    touches=st.lists(
        st.tuples(
            st.integers(0, 4),
            st.sampled_from(["meeting", "note", "consulted_me"]),
            st.integers(0, 700),
        ),
        max_size=6,
    ),
)
def test_export_restore_export_is_identical_for_generated_accounts(
    app, make_user, make_contact, make_touchpoint, people, touches
):
    from datetime import timedelta

    owner = make_user()
    contacts = [make_contact(owner=owner, **person) for person in people]
    for index, kind, back in touches:
        make_touchpoint(
            [contacts[index % len(contacts)]],
            owner=owner,
            kind=kind,
            occurred_on=TODAY - timedelta(days=back),
        )
    first = backup_of(app, owner)
    target = make_user()
    with write_transaction(app) as session:
        restore(session, stored(session, User, target.id), json.loads(first), TODAY)
    assert backup_of(app, target) == first


def test_calendar_feed_lists_follow_ups_and_due_dates(
    client, app, user, make_contact, make_touchpoint
):
    log_in(client, user)
    person = make_contact(family_name="山田", given_name="太郎", company="Y, Inc.; 東京")
    make_touchpoint([person], occurred_on=date(2026, 11, 20), follow_up_on=date(2026, 12, 3))
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    client.post("/settings/calendar")
    with write_transaction(app) as session:
        token = stored(session, User, user.id).calendar_token
    assert token and len(token) >= 40
    client.post("/logout")
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert events["Follow up: 山田 太郎"].decoded("DTSTART") == date(2026, 12, 3)
    assert events["Keep in touch: 山田 太郎"].decoded("DTSTART") == date(2026, 12, 20)
    assert "Y, Inc.; 東京" in str(events["Follow up: 山田 太郎"]["DESCRIPTION"])
    assert all(len(line) <= 75 for line in response.data.split(b"\r\n"))
    log_in(client, user)
    client.post("/settings/calendar")  # a new address revokes the old one
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    client.post("/settings/calendar/off")
    with write_transaction(app) as session:
        assert stored(session, User, user.id).calendar_token is None


def test_merging_duplicates_keeps_everything_of_both(
    signed_in, app, make_contact, make_touchpoint, make_referral
):
    a = make_contact(
        family_name="山田", company="", methods=[{"kind": "email", "value": "t@y.jp"}], tags=["甲"]
    )
    b = make_contact(
        family_name="山田",
        company="山田事務所",
        methods=[{"kind": "email", "value": "T@Y.jp"}, {"kind": "phone", "value": "090"}],
        tags=["乙"],
        notes="二人目",
    )
    other = make_contact(family_name="鈴木")
    make_touchpoint([a], occurred_on=date(2026, 1, 1))
    make_touchpoint([b], occurred_on=date(2026, 2, 1))
    make_touchpoint([a, b], occurred_on=date(2026, 3, 1))
    make_referral(b, direction="received")
    make_referral(other, direction="introduction", other_contact_id=b.id)
    page = signed_in.get("/contacts/duplicates").get_data(as_text=True)
    assert "same name and email address: t@y.jp" in page
    assert "Merge two contacts?" in signed_in.get(
        f"/contacts/merge?keep={a.id}&drop={b.id}"
    ).get_data(as_text=True)
    signed_in.post(f"/contacts/merge?keep={a.id}&drop={b.id}")
    with write_transaction(app) as session:
        assert session.get(Contact, b.id) is None
        kept = stored(session, Contact, a.id)
        assert kept.company == "山田事務所" and "二人目" in kept.notes
        assert sorted(t.name for t in kept.tags) == ["乙", "甲"]
        assert sorted(m.value for m in kept.methods) == ["090", "T@Y.jp", "t@y.jp"]
        touchpoints = session.scalars(select(Touchpoint)).all()
        assert len(touchpoints) == 3 and all(
            [c.id for c in t.contacts] in ([a.id], [a.id, other.id])
            or [c.id for c in t.contacts] == [a.id]
            for t in touchpoints
        )
        assert kept.last_touch_on == date(2026, 3, 1)
        referrals = session.scalars(select(Referral)).all()
        assert {(r.contact_id, r.other_contact_id) for r in referrals} == {
            (a.id, None),
            (other.id, a.id),
        }
    assert "No likely duplicates." in signed_in.get("/contacts/duplicates").get_data(as_text=True)


def test_cli_import_export_restore(runner, app, user, make_user, tmp_path):
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "import" / "vcard30_android.vcf"
    dry = runner.invoke(args=["import", str(fixture), "--user", user.email, "--dry-run"])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
    done = runner.invoke(args=["import", str(fixture), "--user", user.email])
    assert done.exit_code == 0, done.output
    bad = Path(__file__).parent / "fixtures" / "import" / "malformed" / "truncated.vcf"
    with write_transaction(app) as session:
        before = session.scalars(select(func.count()).select_from(Contact)).one()
    # --strict keeps the old all-or-nothing: the cut-off record refuses the whole file.
    strict = runner.invoke(args=["import", str(bad), "--user", user.email, "--strict"])
    assert strict.exit_code != 0 and "nothing was written" in strict.output
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == before
    # Without it the good records are imported, the bad one is named on stderr, exit 0.
    result = runner.invoke(args=["import", str(bad), "--user", user.email])
    assert result.exit_code == 0, result.output
    assert "skipped: record 3 (line 13): the record is cut off" in result.stderr
    with write_transaction(app) as session:
        count = session.scalars(select(func.count()).select_from(Contact)).one()
    assert count == before + 2
    output = tmp_path / "backup.json"
    assert (
        runner.invoke(
            args=["export", "--user", user.email, "--format", "json", "--output", str(output)]
        ).exit_code
        == 0
    )
    vcf = runner.invoke(args=["export", "--user", user.email, "--format", "vcf"])
    assert vcf.output.count("BEGIN:VCARD") == count
    target = make_user()
    restored = runner.invoke(args=["restore", str(output), "--user", target.email])
    assert restored.exit_code == 0, restored.output
    again = runner.invoke(args=["restore", str(output), "--user", target.email])
    assert again.exit_code != 0 and "empty account" in again.output
    second = tmp_path / "second.json"
    runner.invoke(
        args=["export", "--user", target.email, "--format", "json", "--output", str(second)]
    )
    assert second.read_text() == output.read_text()
