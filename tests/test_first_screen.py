"""The dashboard's first screen and every empty list: at most five rows a list with a link
to all of them, the first follow-ups whose month runs out within a week, a new account's
first steps, and an empty list that says what would fill it."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY, stored
from tracker.db import write_transaction
from tracker.models import User
from tracker.relationships import first_follow_up_days_left
from tracker.services.dashboard import (
    LIST_LIMIT,
    RUNNING_OUT_DAYS,
    dashboard,
    last_met_running_out,
)


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("today", "last_met"),
    [
        (date(2026, 11, 27), date(2026, 11, 4)),  # its month runs out on 4 Dec, 7 days on
        (date(2027, 2, 21), date(2027, 1, 31)),  # Jan 29, 30 and 31 all run out on 28 Feb
        (date(2028, 2, 22), date(2028, 1, 31)),  # a leap year: Jan 29 to 31 run out on 29 Feb
        (date(2027, 3, 24), date(2027, 2, 28)),  # Feb 28 runs out on 28 Mar; Mar 1 on 1 Apr
    ],
)
def test_the_last_day_met_whose_month_runs_out_this_week(today, last_met):
    assert last_met_running_out(today, RUNNING_OUT_DAYS) == last_met


@given(today=st.dates(date(2020, 1, 1), date(2035, 12, 31)), back=st.integers(0, 31))
def test_running_out_agrees_with_the_days_left(today, back):
    met = today - timedelta(days=back)
    running_out = met <= last_met_running_out(today, RUNNING_OUT_DAYS)
    assert running_out == (first_follow_up_days_left(met, today) <= RUNNING_OUT_DAYS)


def test_the_first_follow_ups_running_out_lead_and_the_rest_are_counted(
    app, user, make_contact, make_touchpoint
):
    for name, back in [("今週a", 25), ("今週b", 28), ("来週", 20), ("昨日", 1)]:
        person = make_contact(family_name=name, first_met_on=TODAY - timedelta(days=back))
        make_touchpoint([person], kind="card_exchange", occurred_on=TODAY - timedelta(days=back))
    with write_transaction(app) as session:
        board = dashboard(session, user.id, TODAY)
    assert [(e.contact.family_name, e.days_left) for e in board.running_out] == [
        ("今週b", 3),
        ("今週a", 5),
    ]
    assert (board.running_out_total, board.first_total) == (2, 4)
    assert [e.contact.family_name for e in board.first_follow_ups] == [
        "今週b",
        "今週a",
        "来週",
        "昨日",
    ]


def test_each_list_shows_five_rows_and_links_to_all_of_them(
    signed_in, make_contact, make_touchpoint
):
    for i in range(7):
        person = make_contact(family_name=f"冷{i}", stage="trusted")
        make_touchpoint(
            [person], occurred_on=TODAY - timedelta(days=90 + i), follow_up_on=TODAY - timedelta(i)
        )
    page = signed_in.get("/").get_data(as_text=True)
    for heading, link in [
        ("cold-heading", "/contacts?warmth=going_cold&amp;sort=overdue"),
        ("follow-ups-heading", "/contacts?due=follow_up&amp;sort=due"),
    ]:
        shown = section(page, heading)
        assert shown.count('<li class="row-item">') == LIST_LIMIT == 5
        assert f'<a class="see-all" href="{link}">' in shown
        assert "See all 7: " in shown
        # Each row's actions: logging today and snoozing, behind its ⋯ button.
        assert shown.count('<details class="row-menu">') == LIST_LIMIT
        assert shown.count("/touch?next=/") == shown.count("/snooze?next=/") == LIST_LIMIT
    # Ids stay unique when one person is on two lists.
    ids = [part.split('"')[0] for part in page.split(' id="')[1:]]
    assert len(ids) == len(set(ids))


def test_a_short_list_has_no_link_to_more(signed_in, make_contact, make_touchpoint):
    person = make_contact(family_name="一人", stage="trusted")
    make_touchpoint([person], occurred_on=TODAY - timedelta(days=90))
    shown = section(signed_in.get("/").get_data(as_text=True), "cold-heading")
    assert shown.count('<li class="row-item">') == 1
    assert "see-all" not in shown and "<small>1</small>" in shown


def test_a_new_account_is_shown_its_first_steps_not_praise(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    assert "Well kept" not in page and "よく手入れ" not in page
    steps = page.split('id="first-steps-heading"')[1].split("</section>")[0]
    assert 'href="/cards/new"' in steps
    for source in ["Eight", "LinkedIn", "Google Contacts", "A phone"]:
        assert f'<a href="/import">{source}</a>' in steps
    assert "Connections.csv" in steps and "Google CSV" in steps and ".vcf" in steps
    assert "Going cold" not in page  # no empty lists to read through on the first day


def test_the_first_steps_speak_japanese(signed_in, app, user):
    with write_transaction(app) as session:
        stored(session, User, user.id).language = "ja"
    page = signed_in.get("/").get_data(as_text=True)
    assert "はじめの一歩" in page and "Google コンタクト" in page


def test_the_dashboards_empty_lists_say_what_would_fill_them(
    signed_in, app, make_contact, make_touchpoint
):
    person = make_contact(family_name="温か", stage="trusted")
    make_touchpoint([person], occurred_on=TODAY)  # warm: on no list
    page = signed_in.get("/").get_data(as_text=True)
    for heading, action in [
        ("follow-ups-heading", 'href="/touchpoints/new"'),
        ("first-heading", 'href="/cards/new"'),
        ("cold-heading", 'href="/contacts?warmth=cooling&amp;sort=due"'),
        ("referrals-heading", 'href="/referrals/new"'),
    ]:
        shown = section(page, heading)
        assert '<div class="empty-state' in shown and action in shown, heading
    assert "Nobody is going cold. A contact shows here when" in page


# Every list of an empty account: what would fill it, and the link that fills it.
EMPTY_PAGES = [
    ("/contacts", "first-steps-heading", 'href="/import"'),
    ("/contacts?stage=trusted", "Nobody matches these filters.", 'href="/contacts"'),
    ("/contacts?q=zz", "The search reads names", 'href="/cards/new"'),
    ("/contacts?archived=1", "No archived contacts. Archive someone", 'href="/contacts"'),
    ("/events", "An event is added when you log a card exchange", 'href="/events/new"'),
    ("/referrals", "Record one each time you refer", 'href="/referrals/new"'),
    ("/referrals?direction=given", "No referral matches these filters.", 'href="/referrals"'),
    ("/review", "Someone shows here when what you logged", 'href="/touchpoints/new"'),
    ("/review", "promote a trusted contact", 'href="/contacts?stage=trusted"'),
    ("/review", "when the stage you set is ahead", ""),
    ("/review", "one side gave two referrals or consultations", ""),
    ("/places", "A place shows here once you log where you met", 'href="/cards/new"'),
    ("/network", "record who introduced a contact", 'href="/referrals/new"'),
    ("/network?stage=trusted", "Nobody at this stage or closer", 'href="/network"'),
    ("/trash", "A contact or touchpoint you delete waits here", 'href="/contacts"'),
    ("/import", "Each import you confirm is listed here", ""),
    ("/tags", "Add them when you edit a contact", 'href="/contacts"'),
    ("/contacts/duplicates", "Two contacts show here when they share", ""),
    ("/help?q=相続", "write their expertise on their page", 'href="/contacts"'),
    ("/faded", "No faded cards", ""),
]


@pytest.mark.parametrize(("url", "words", "action"), EMPTY_PAGES)
def test_every_empty_list_says_what_would_fill_it(signed_in, url, words, action):
    response = signed_in.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert words in page
    if action:
        # The action sits in the same empty list as the words.
        empty = next((part for part in page.split('class="empty-state')[1:] if words in part), page)
        assert action in empty


def test_an_empty_event_and_contact_offer_what_fills_them(signed_in, make_event, make_contact):
    event = make_event(name="朝会", held_on=date(2026, 11, 1))
    page = signed_in.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/cards/new?event={event.id}&amp;date=2026-11-01"' in section(
        page, "people-heading"
    )
    person = make_contact(family_name="未接触")
    with_nothing = signed_in.get(f"/contacts/{person.id}").get_data(as_text=True)
    assert f'href="/touchpoints/new?contact={person.id}"' in with_nothing
    assert "referrals both ways make a collaborator" in with_nothing
