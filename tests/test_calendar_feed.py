"""The calendar feed (issue 15, findings 8 and 9): written by the icalendar library, so no
bare CR (or any control character) reaches SUMMARY or DESCRIPTION; its address changes on a
password change and on "log out everywhere", and Settings says so."""

from datetime import date

import icalendar
from sqlalchemy import select

from tests.conftest import PASSWORD, log_in, stored
from tracker.db import write_transaction
from tracker.models import User


def feed_token(app, user):
    with write_transaction(app) as session:
        return stored(session, User, user.id).calendar_token


def test_finding_9_no_bare_cr_reaches_summary_or_description(
    signed_in, app, user, make_contact, make_touchpoint
):
    person = make_contact(
        family_name="山田\rX-INJECTED:1",
        given_name="太郎",
        company="Y社\r\nDESCRIPTION:偽\x0b",  # (PostgreSQL stores no NUL at all)
        title="所長\rEND:VEVENT",
    )
    make_touchpoint([person], occurred_on=date(2026, 11, 20), follow_up_on=date(2026, 12, 3))
    signed_in.post("/settings/calendar")
    body = signed_in.get(f"/calendar/{feed_token(app, user)}.ics").data
    lines = body.split(b"\r\n")
    assert b"\r" not in b"".join(lines) and b"\x0b" not in body and b"\x00" not in body
    assert not any(
        line.startswith((b"X-INJECTED", b"END:VEVENT ", b"DESCRIPTION:\xe5\x81\xbd"))
        for line in lines
    )
    calendar = icalendar.Calendar.from_ical(body)
    (follow_up,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Follow up")]
    assert str(follow_up["SUMMARY"]) == "Follow up: 山田\nX-INJECTED:1 太郎"
    assert str(follow_up["DESCRIPTION"]) == "Y社\nDESCRIPTION:偽 · 所長\nEND:VEVENT"
    assert len(calendar.walk("VEVENT")) == 2
    assert all(len(line) <= 75 for line in lines)


def test_finding_8_the_feed_address_changes_with_the_password(signed_in, app, user):
    signed_in.post("/settings/calendar")
    old = feed_token(app, user)
    assert signed_in.get(f"/calendar/{old}.ics").status_code == 200
    new_password = "a brand new passphrase"
    response = signed_in.post(
        "/settings/password",
        data={"current": PASSWORD, "new": new_password, "confirm": new_password},
    )
    assert response.status_code == 302
    assert "calendar feed has a new address" in signed_in.get("/settings").get_data(as_text=True)
    new = feed_token(app, user)
    assert new and new != old
    assert signed_in.get(f"/calendar/{old}.ics").status_code == 404
    assert signed_in.get(f"/calendar/{new}.ics").status_code == 200


def test_finding_8_the_feed_address_changes_on_log_out_everywhere(client, app, user):
    log_in(client, user)
    client.post("/settings/calendar")
    old = feed_token(app, user)
    client.post("/settings/logout-everywhere")
    new = feed_token(app, user)
    assert new and new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_feed_that_is_off_stays_off(signed_in, app, user):
    signed_in.post(
        "/settings/password",
        data={"current": PASSWORD, "new": "another passphrase", "confirm": "another passphrase"},
    )
    assert feed_token(app, user) is None


def test_settings_says_when_the_address_changes(signed_in):
    page = signed_in.get("/settings").get_data(as_text=True)
    assert "The address also changes when you change your password or log out everywhere" in page
    with write_transaction(signed_in.application) as session:
        assert session.scalar(select(User.calendar_token)) is None
