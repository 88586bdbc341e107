"""Touchpoints: log with several contacts, edit, delete, timelines and follow-ups."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import log_in, stored
from tracker.db import write_transaction
from tracker.models import Contact, Touchpoint


def touchpoint_form(people, **overrides):
    data = {
        "contacts": [str(c.id) for c in people],
        "kind": "meeting",
        "occurred_on": "2026-11-25",
        "occurred_at": "",
        "summary": "事業承継の打ち合わせ",
        "notes": "",
        "initiated_by": "me",
        "follow_up_on": "",
        "event": "",
        "save": "Save",
    }
    data.update(overrides)
    return data


def contact(app, contact_id):
    with write_transaction(app) as session:
        return session.get(Contact, contact_id)


@pytest.mark.parametrize("typed", ["2026-11-25", "2026/11/25", "25 Nov 2026", "2026年11月25日"])
def test_log_with_two_contacts_and_see_both_timelines(signed_in, app, make_contact, typed):
    taro = make_contact()
    hanako = make_contact(family_name="鈴木", given_name="花子")
    response = signed_in.post(
        "/touchpoints/new", data=touchpoint_form([taro, hanako], occurred_on=typed)
    )
    assert response.status_code == 302
    assert response.location == f"/contacts/{taro.id}"
    for person, other in [(taro, "鈴木 花子"), (hanako, "山田 太郎")]:
        page = signed_in.get(f"/contacts/{person.id}").get_data(as_text=True)
        assert "事業承継の打ち合わせ" in page
        assert other in page
        assert contact(app, person.id).last_touch_on == date(2026, 11, 25)


def test_timeline_is_newest_first(signed_in, make_contact, make_touchpoint):
    taro = make_contact()
    make_touchpoint([taro], occurred_on=date(2026, 1, 1), summary="first")
    make_touchpoint([taro], occurred_on=date(2026, 6, 1), summary="third")
    make_touchpoint([taro], occurred_on=date(2026, 3, 1), summary="second")
    page = signed_in.get(f"/contacts/{taro.id}").get_data(as_text=True)
    assert page.index("third") < page.index("second") < page.index("first")


def test_the_form_starts_with_the_contact_it_was_opened_from(signed_in, make_contact):
    taro = make_contact()
    page = signed_in.get(f"/touchpoints/new?contact={taro.id}").get_data(as_text=True)
    assert f'checked id="contacts-0" name="contacts" type="checkbox" value="{taro.id}"' in page


def test_find_adds_people_without_saving(signed_in, app, make_contact):
    taro = make_contact()
    hanako = make_contact(family_name="鈴木", given_name="花子", family_reading="すずき")
    response = signed_in.post(
        "/touchpoints/new",
        data=touchpoint_form([taro], contacts_query="すずき", find_contacts="Find", save=None),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{hanako.id}"' in page
    assert "事業承継の打ち合わせ" in page
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0


def test_edit_moves_the_touchpoint_and_refreshes_both_contacts(
    signed_in, app, make_contact, make_touchpoint
):
    taro = make_contact()
    hanako = make_contact(family_name="鈴木")
    tp = make_touchpoint([taro], occurred_on=date(2026, 11, 1))
    assert contact(app, taro.id).last_touch_on == date(2026, 11, 1)
    response = signed_in.post(
        f"/touchpoints/{tp.id}/edit", data=touchpoint_form([hanako], occurred_on="2026-11-03")
    )
    assert response.status_code == 302
    assert contact(app, taro.id).last_touch_on is None
    assert contact(app, hanako.id).last_touch_on == date(2026, 11, 3)


def test_delete_asks_first_and_refreshes(signed_in, app, make_contact, make_touchpoint):
    taro = make_contact()
    make_touchpoint([taro], occurred_on=date(2026, 10, 1))
    latest = make_touchpoint([taro], occurred_on=date(2026, 11, 1))
    assert "Delete this touchpoint?" in signed_in.get(f"/touchpoints/{latest.id}/delete").get_data(
        as_text=True
    )
    response = signed_in.post(f"/touchpoints/{latest.id}/delete")
    assert response.location == f"/contacts/{taro.id}"
    assert contact(app, taro.id).last_touch_on == date(2026, 10, 1)


def test_a_note_is_not_contact(signed_in, app, make_contact):
    taro = make_contact()
    signed_in.post("/touchpoints/new", data=touchpoint_form([taro], kind="note"))
    assert contact(app, taro.id).last_touch_on is None


def test_follow_up_stays_until_the_next_real_touch(signed_in, app, make_contact):
    taro = make_contact()
    signed_in.post("/touchpoints/new", data=touchpoint_form([taro], follow_up_on="2026-12-01"))
    assert contact(app, taro.id).follow_up_on == date(2026, 12, 1)
    signed_in.post(
        "/touchpoints/new", data=touchpoint_form([taro], kind="note", occurred_on="2026-11-26")
    )
    assert contact(app, taro.id).follow_up_on == date(2026, 12, 1)
    signed_in.post(
        "/touchpoints/new", data=touchpoint_form([taro], kind="call", occurred_on="2026-11-27")
    )
    assert contact(app, taro.id).follow_up_on is None


def test_home_shows_follow_ups_due_within_a_week(signed_in, app, make_contact, make_touchpoint):
    due = make_contact(family_name="期限")
    later = make_contact(family_name="来月")
    make_touchpoint([due], follow_up_on=date(2026, 11, 30), summary="近い")
    make_touchpoint([later], follow_up_on=date(2026, 12, 30), summary="遠い")
    page = signed_in.get("/").get_data(as_text=True)
    follow_ups = page.split('id="follow-ups-heading"')[1].split("</section>")[0]
    assert "期限" in follow_ups
    assert "来月" not in follow_ups


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_on": "not a date"}, "Enter a date such as 2026-11-27."),
        ({"occurred_on": ""}, "This field is required."),
        ({"kind": "party"}, "Not a valid choice."),
        ({"occurred_at": "25:99"}, "Not a valid time value."),
        ({"summary": "x" * 301}, "Field cannot be longer than 300 characters."),
        ({"contacts": []}, "Choose at least one person."),
        ({"contacts": ["abc"]}, "Invalid choice(s)"),
        ({"contacts": ["999999"]}, "not a valid choice"),
    ],
)
def test_bad_touchpoint_input(signed_in, app, make_contact, overrides, message):
    taro = make_contact()
    response = signed_in.post("/touchpoints/new", data=touchpoint_form([taro], **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0


def test_another_users_contact_cannot_join_a_touchpoint(signed_in, app, make_user, make_contact):
    mine = make_contact()
    theirs = make_contact(owner=make_user(), family_name="他人")
    response = signed_in.post("/touchpoints/new", data=touchpoint_form([mine, theirs]))
    assert response.status_code == 200
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0


def test_another_users_touchpoint_is_a_404(client, app, make_user, make_contact, make_touchpoint):
    owner, stranger = make_user(), make_user()
    taro = make_contact(owner=owner)
    tp = make_touchpoint([taro], owner=owner)
    log_in(client, stranger)
    mine = make_contact(owner=stranger, family_name="自分")
    for method, url in [
        ("get", f"/touchpoints/{tp.id}/edit"),
        ("post", f"/touchpoints/{tp.id}/edit"),
        ("get", f"/touchpoints/{tp.id}/delete"),
        ("post", f"/touchpoints/{tp.id}/delete"),
    ]:
        response = getattr(client, method)(url, data=touchpoint_form([mine]))
        assert response.status_code == 404, url
    with write_transaction(app) as session:
        assert stored(session, Touchpoint, tp.id).contacts[0].id == taro.id


def test_a_touchpoint_cannot_be_dated_after_today(signed_in, app, make_contact):
    taro = make_contact()
    response = signed_in.post(
        "/touchpoints/new", data=touchpoint_form([taro], occurred_on="2026-11-28")
    )
    assert response.status_code == 200
    assert "its date cannot be after today" in response.get_data(as_text=True)
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0
