"""The security log is complete (issue 15, finding 7): logins, failed logins, password and
two-step changes, imports of any size, exports, restores, and deleting a contact, an event,
a referral or a tag each leave their line. (Merges: tests of the merge itself.)"""

import csv
import io

from sqlalchemy import select

from tests.conftest import PASSWORD, log_in, upload_import
from tracker.db import write_transaction
from tracker.i18n import format_log_detail
from tracker.models import SecurityEvent, Tag, TrashEntry


def log_of(app, user_id):
    """The user's log as Settings shows it (in English): details are kept as messages."""
    with write_transaction(app) as session, app.test_request_context():
        return [
            (e.kind, format_log_detail(e.detail, e.kind))
            for e in session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.user_id == user_id)
                .order_by(SecurityEvent.id)
            )
        ]


def test_every_sensitive_action_is_logged(
    client, app, user, make_contact, make_event, make_referral
):
    assert (
        client.post("/login", data={"email": user.email, "password": "wrong one"}).status_code
        == 200
    )
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    vcards = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:\xe5\xb0\x8f;;;;\r\nEND:VCARD\r\n"  # one card
    draft = upload_import(client, vcards, "small.vcf").location
    assert client.post(draft + "/confirm", data={"duplicates": "merge"}).status_code == 302
    client.post("/export", data={"format": "vcf", "password": PASSWORD})
    person = make_contact(family_name="消す人")
    event = make_event(name="消す会")
    referral = make_referral(make_contact(family_name="紹介先"))
    client.post(f"/contacts/{person.id}/delete")
    with write_transaction(app) as session:
        entry = session.scalars(select(TrashEntry)).one()
        batch = session.scalars(select(Tag).where(Tag.imported_at.is_not(None))).one()
    client.post(f"/trash/{entry.id}/restore")
    client.post(f"/events/{event.id}/delete")
    client.post(f"/referrals/{referral.id}/delete")
    client.post(f"/import/batches/{batch.id}/delete")
    logged = log_of(app, user.id)
    kinds = [kind for kind, _detail in logged]
    assert kinds == [
        "login_failed",
        "login",
        "import",
        "export",
        "deletion",
        "restore",
        "deletion",
        "deletion",
        "deletion",
        "deletion",
    ]
    details = [detail for _kind, detail in logged]
    assert details[2] == "small.vcf: 1 new, 0 merged, 0 skipped"
    assert details[4] == "contact 消す人 太郎"
    assert details[6] == "event 消す会"
    assert details[7].startswith("referral Given 1 Oct 2026 紹介先")
    assert details[8].startswith("1 contacts of import") and details[9].startswith("tag import")


def test_logins_with_a_session_that_fails_and_logging_out_are_logged(client, app, user):
    log_in(client, user)
    client.post("/logout")
    assert [kind for kind, _ in log_of(app, user.id)] == ["logout"]


def test_finding_10_the_csv_export_neutralises_full_width_starters_and_the_pipe(
    signed_in, make_contact
):
    make_contact(
        family_name='＝HYPERLINK("http://x")', given_name="|cmd", company="＠SUM(1)", title="－1"
    )
    response = signed_in.post("/export", data={"format": "csv", "password": PASSWORD})
    (row,) = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert row["family_name"] == '\'＝HYPERLINK("http://x")'
    assert (row["given_name"], row["company"], row["title"]) == ("'|cmd", "'＠SUM(1)", "'－1")


def test_a_long_detail_is_shortened_whole_and_still_reads_in_the_users_language(app):
    import json

    from sqlalchemy import String

    from tracker.i18n import format_log_detail
    from tracker.messages import LOG_DETAIL_LEN, N_, log_detail
    from tracker.models import SecurityEvent

    column_type = SecurityEvent.__table__.c.detail.type
    assert isinstance(column_type, String) and column_type.length == LOG_DETAIL_LEN
    names = ", ".join(f"色あせた名刺{n}" for n in range(60))
    detail = log_detail(N_("faded cards: %(names)s"), names=names)
    assert len(detail) <= LOG_DETAIL_LEN
    assert json.loads(detail)["params"]["names"].endswith("…")
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        shown = format_log_detail(detail)
    assert shown.startswith("色あせた名刺: 色あせた名刺0, ") and shown.endswith("…")


def test_dates_and_kinds_in_the_log_read_in_the_readers_language(
    app, make_user, make_contact, make_touchpoint, make_referral
):
    """What a Japanese user did reads in English to an English reader: the log keeps a
    referral's direction and date, and a restored touchpoint's date and kind, as codes."""
    from datetime import date

    from flask.testing import FlaskClient

    writer = make_user(language="ja")
    person = make_contact(owner=writer, family_name="山田", given_name="太郎")
    referral = make_referral(person, owner=writer, referred_on=date(2026, 10, 1))
    touchpoint = make_touchpoint([person], owner=writer, kind="meal", occurred_on=date(2026, 9, 3))
    client: FlaskClient = app.test_client()
    log_in(client, writer)
    assert client.post(f"/referrals/{referral.id}/delete").status_code == 302
    assert client.post(f"/touchpoints/{touchpoint.id}/delete").status_code == 302
    with write_transaction(app) as session:
        entry = session.scalars(select(TrashEntry)).one()
    assert client.post(f"/trash/{entry.id}/restore").status_code == 302
    with write_transaction(app) as session:
        stored = [
            e.detail
            for e in session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.kind.in_(["deletion", "restore"]))
                .order_by(SecurityEvent.id)
            )
        ]
    referral_line, restore_line = stored[0], stored[-1]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_log_detail(referral_line).startswith("referral Given 1 Oct 2026 山田")
        assert (
            format_log_detail(restore_line, "restore") == "touchpoint 3 Sep 2026 Meal · 山田 太郎"
        )
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert format_log_detail(referral_line).startswith("紹介（紹介した）2026年10月1日 山田")
        assert format_log_detail(restore_line, "restore").startswith("接点 2026年9月3日 ")
