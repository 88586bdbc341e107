"""Issue 11's lists at work: the cold list led by stage, faded cards and their one-step
archive (and its undo), unsupported labels with their reason and fixes, places by series."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import TODAY, stored
from tracker.db import write_transaction
from tracker.i18n import format_log_detail
from tracker.models import Contact, Event, SecurityEvent
from tracker.relationships import is_faded, met_only_once, stage_rank
from tracker.series import suggest_series
from tracker.services.dashboard import cold_list, counts
from tracker.services.review import review


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def archived(app, contact) -> bool:
    with write_transaction(app) as session:
        return stored(session, Contact, contact.id).archived_at is not None


@pytest.fixture
def faded_pair(make_contact, make_touchpoint):
    """Two cards met once, over a year ago (dormant), and one met twice (cold, not faded)."""
    old = make_contact(family_name="昔", given_name="", first_met_on=date(2025, 5, 1))
    make_touchpoint([old], kind="card_exchange", occurred_on=date(2025, 5, 1))
    older = make_contact(family_name="大昔", given_name="")
    make_touchpoint([older], kind="card_exchange", occurred_on=date(2024, 3, 3))
    twice = make_contact(family_name="二度", given_name="")
    make_touchpoint([twice], kind="card_exchange", occurred_on=date(2025, 5, 1))
    make_touchpoint([twice], kind="call", occurred_on=date(2025, 5, 8))
    return old, older, twice


def test_faded_cards_leave_the_cold_list_for_their_own(signed_in, faded_pair):
    page = signed_in.get("/").get_data(as_text=True)
    cold = section(page, "cold-heading")
    faded = section(page, "faded-heading")
    assert "二度" in cold and "昔" not in cold
    assert faded.index("昔") < faded.index("大昔")  # the most recently met first
    assert "met 1 May 2025, never since" in faded
    assert "Archive all 2 faded cards" in faded
    listed = signed_in.get("/faded").get_data(as_text=True)
    assert "昔" in listed and "大昔" in listed and "二度" not in listed
    assert "昔" in signed_in.get("/contacts?warmth=faded").get_data(as_text=True)
    going_cold = signed_in.get("/contacts?warmth=going_cold").get_data(as_text=True)
    assert "二度" in going_cold and "大昔" not in going_cold


def test_archive_one_faded_card_then_undo(app, signed_in, user, faded_pair):
    old, older, _twice = faded_pair
    response = signed_in.post("/faded/archive", data={"contact": str(old.id)})
    assert response.status_code == 302
    assert response.location.startswith("/?archived=")
    assert archived(app, old) and not archived(app, older)
    board = signed_in.get(response.location).get_data(as_text=True)
    assert "1 card archived." in section(board, "faded-heading")
    stamp = response.location.split("archived=")[1].split("#")[0]
    from urllib.parse import unquote

    back = signed_in.post("/faded/restore", data={"archived": unquote(stamp)})
    assert back.status_code == 302 and not archived(app, old)
    with write_transaction(app) as session, app.test_request_context():
        kinds = [
            (e.kind, format_log_detail(e.detail))
            for e in session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.user_id == user.id)
                .order_by(SecurityEvent.id)
            )
        ]
    assert kinds == [("archive", "faded cards: 昔"), ("unarchive", "faded cards brought back: 1")]


def test_archive_all_faded_cards_in_one_step(app, signed_in, faded_pair):
    old, older, twice = faded_pair
    response = signed_in.post("/faded/archive", data={"back": "faded"})
    assert response.location.startswith("/faded?archived=")
    assert archived(app, old) and archived(app, older) and not archived(app, twice)
    listed = signed_in.get(response.location).get_data(as_text=True)
    assert "2 cards archived." in listed and "Undo" in listed
    # A card that is not faded (or not the user's) is never archived from this list.
    signed_in.post("/faded/archive", data={"contact": str(twice.id)})
    assert not archived(app, twice)


def test_the_digest_lists_faded_cards_and_why_labels_are_unsupported(
    runner, app, user, make_contact, make_touchpoint, make_referral, faded_pair
):
    stale = make_contact(family_name="疎遠", given_name="", stage="collaborator")
    make_touchpoint([stale], kind="worked_together", occurred_on=date(2024, 1, 10))
    make_referral(stale, direction="given", referred_on=date(2024, 2, 1))
    make_referral(stale, direction="received", referred_on=date(2024, 3, 1))
    hopeful = make_contact(family_name="期待", given_name="", stage="trusted")
    make_touchpoint([hopeful], occurred_on=date(2026, 10, 1))
    data = json.loads(runner.invoke(args=["digest", "--user", user.email, "--json"]).output)
    assert data["faded_total"] == 2
    assert [entry["name"] for entry in data["faded"]] == ["昔", "大昔"]
    reasons = {entry["name"]: entry for entry in data["unsupported_labels"]}
    assert reasons["疎遠"]["reason"] == "no_exchange"
    assert reasons["疎遠"]["supported_stage"] == "trusted"
    assert reasons["期待"]["reason"] == "evidence"
    assert reasons["期待"]["supported_stage"] == "card"
    assert all(entry["reason"] in ("evidence", "no_exchange") for entry in reasons.values())
    text = runner.invoke(args=["digest", "--user", user.email]).output
    assert (
        "- 疎遠 [Collaborator] No referral or consultation, either way, in the last 12 months."
        in text
    )
    assert "- 期待 [Trusted] The evidence supports only Card only." in text
    assert "Faded cards (2)\n" in text and "- 昔 [Card only] met 1 May 2025, never since" in text


def test_a_collaborator_consulted_both_ways_this_year_is_supported(
    app, user, make_contact, make_touchpoint
):
    person = make_contact(family_name="相談", given_name="", stage="collaborator")
    make_touchpoint([person], kind="worked_together", occurred_on=date(2025, 1, 10))
    make_touchpoint([person], kind="consulted_me", occurred_on=date(2026, 3, 1))
    make_touchpoint([person], kind="consulted_them", occurred_on=date(2026, 9, 1))
    with write_transaction(app) as session:
        checked = review(session, user.id, TODAY)
    assert [item.contact.id for item in checked.collaborators] == [person.id]
    assert checked.unsupported == []


def test_unsupported_rows_say_why_and_offer_their_fixes(
    signed_in, app, make_contact, make_touchpoint, make_referral
):
    stale = make_contact(family_name="疎遠", given_name="", stage="collaborator")
    make_touchpoint([stale], kind="worked_together", occurred_on=date(2024, 1, 10))
    make_referral(stale, direction="given", referred_on=date(2024, 2, 1))
    make_referral(stale, direction="received", referred_on=date(2024, 3, 1))
    hopeful = make_contact(family_name="期待", given_name="", stage="trusted")
    make_touchpoint([hopeful], occurred_on=date(2026, 10, 1))
    page = signed_in.get("/review").get_data(as_text=True)
    rows = section(page, "unsupported-heading").split('<li class="row-item">')[1:]
    assert len(rows) == 2
    for row in rows:
        assert 'class="reason"' in row and 'name="stage"' in row
    stale_row = next(row for row in rows if "疎遠" in row)
    assert "No referral or consultation, either way, in the last 12 months." in stale_row
    assert 'name="stage" value="trusted"' in stale_row
    assert f"/touchpoints/new?contact={stale.id}&amp;kind=consulted_me" in stale_row
    assert f"/referrals/new?contact={stale.id}" in stale_row
    hopeful_row = next(row for row in rows if "期待" in row)
    assert "The evidence supports only Card only." in hopeful_row
    assert f"/touchpoints/new?contact={hopeful.id}" in hopeful_row
    # One POST sets the stage the evidence supports; the row leaves the list.
    signed_in.post(f"/contacts/{stale.id}/stage?next=/review", data={"stage": "trusted"})
    assert "疎遠" not in section(
        signed_in.get("/review").get_data(as_text=True), "unsupported-heading"
    )
    # The contact page says why too, with the same fixes.
    detail = signed_in.get(f"/contacts/{hopeful.id}").get_data(as_text=True)
    assert "The evidence supports only Card only." in detail
    assert "Set the stage to Card only" in detail
    form = signed_in.get(f"/touchpoints/new?contact={stale.id}&kind=consulted_me")
    assert '<option selected value="consulted_me">' in form.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "series"),
    [
        ("倫理法人会 モーニングセミナー 第312回 2026/11/05", "倫理法人会 モーニングセミナー"),
        ("倫理法人会 モーニングセミナー", "倫理法人会 モーニングセミナー"),
        ("第三回 経営者朝活交流会（水）", "経営者朝活交流会"),
        ("２０２６年１１月 士業交流会", "士業交流会"),
        ("商工会議所 青年部 例会 2026.11.05", "商工会議所 青年部 例会"),
        ("令和8年11月5日 相続セミナー", "相続セミナー"),
        ("DX推進セミナー vol.3 【11/5】", "DX推進セミナー"),
        ("Tokyo Mixer #12 (Nov 5, 2026)", "Tokyo Mixer"),
        ("Tokyo Business Mixer - 5 Nov 2026", "Tokyo Business Mixer"),
        ("BNI 東京 第5期 - 3rd", "BNI 東京"),
        ("忘年会2025", "忘年会"),
        ("Web3交流会", "Web3交流会"),  # a number inside a word stays
        ("異業種交流会 in 神田", "異業種交流会 in 神田"),
        ("2026/11/05", ""),
    ],
)
def test_the_suggested_series_is_the_name_without_dates_and_numbers(name, series):
    assert suggest_series(name) == series


def test_places_group_a_series_and_each_row_opens_its_events(
    signed_in, app, make_contact, make_event, make_referral
):
    series = "倫理法人会 モーニングセミナー"
    first = make_event(name=f"{series} 第311回", held_on=date(2026, 10, 29), series=series)
    second = make_event(name=f"{series} 第312回", held_on=date(2026, 11, 5), series=series)
    alone = make_event(name="大交流会", held_on=date(2026, 6, 1))
    make_contact(family_name="朝一", origin_event_id=first.id, stage="trusted")
    star = make_contact(family_name="朝二", origin_event_id=second.id, stage="collaborator")
    make_referral(star, direction="received")
    for i in range(3):
        make_contact(family_name=f"騒{i}", origin_event_id=alone.id)
    page = signed_in.get("/places").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tr>")
    assert len(rows) - 1 == 2  # the series is one row, the event of its own another
    series_row = next(row for row in rows if series in row)
    assert "2 events" in series_row and ">2<" in series_row and "0 / 1" in series_row
    assert "/events?series=" in series_row
    events = signed_in.get("/events", query_string={"series": series}).get_data(as_text=True)
    assert "第311回" in events and "第312回" in events and "大交流会" not in events


def test_the_event_form_suggests_the_series(signed_in, app, make_event):
    event = make_event(name="倫理法人会 モーニングセミナー 第312回 2026/11/05")
    form = signed_in.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="倫理法人会 モーニングセミナー"' in form
    suggestion = signed_in.get("/events/series-suggestion?name=朝会 第3回").get_json()
    assert suggestion == {"series": "朝会"}
    signed_in.post(
        f"/events/{event.id}/edit",
        data={"name": event.name, "kind": "community", "series": "  朝会   東京 "},
    )
    with write_transaction(app) as session:
        assert stored(session, Event, event.id).series == "朝会 東京"


def test_seeded_solo_cold_list_leads_with_stage_then_relative_overdue(app, runner, user, signed_in):
    """The solo tier, seeded as `flask seed` does: the cold list is ordered by stage, then by
    how overdue each contact is for its cadence, and the figure shown agrees."""
    assert runner.invoke(args=["seed", "--user", user.email, "--tier", "solo"]).exit_code == 0
    with write_transaction(app) as session:
        counted = counts(session, user.id, TODAY)
        entries = cold_list(session, user.id, TODAY, limit=counted.going_cold)
    assert len(entries) == counted.going_cold > 100 and counted.faded > 0
    keys = [(-stage_rank(e.contact.stage), -e.ratio) for e in entries]
    assert keys == sorted(keys)
    assert [e.contact.stage for e in entries[:1]] == ["collaborator"]
    for entry in entries:  # no faded card is left on it
        c = entry.contact
        once = met_only_once(c.first_met_on, c.first_touch_on, c.last_touch_on)
        assert not is_faded(c.stage, entry.warmth, met_once=once)
    # The figure shown (× its cadence) never rises within a stage: on the page, in the digest.
    page = section(signed_in.get("/").get_data(as_text=True), "cold-heading")
    shown = [
        (
            row.split('class="badge stage-')[1].split('"')[0],
            float(row.split("× its cadence")[0].split(">")[-1]),
        )
        for row in page.split('<li class="row-item">')[1:]
    ]
    data = json.loads(runner.invoke(args=["digest", "--user", user.email, "--json"]).output)
    assert len(shown) == 5 and len(data["cold"]) == 25
    for figures in (shown, [(e["stage"], e["overdue_ratio"]) for e in data["cold"]]):
        ranks = [(-stage_rank(stage), -ratio) for stage, ratio in figures]
        assert ranks == sorted(ranks)


def test_no_unsupported_row_lacks_a_reason_on_the_seeded_solo_tier(app, runner, user, signed_in):
    assert runner.invoke(args=["seed", "--user", user.email, "--tier", "solo"]).exit_code == 0
    with write_transaction(app) as session:
        checked = review(session, user.id, TODAY)
    assert checked.unsupported
    assert all(item.reason in ("evidence", "no_exchange") for item in checked.unsupported)
    page = signed_in.get("/review").get_data(as_text=True)
    rows = section(page, "unsupported-heading").split('<li class="row-item">')[1:]
    assert len(rows) == len(checked.unsupported)
    assert all('<span class="reason">' in row and "</span>" in row for row in rows)
    assert not any('<span class="reason"></span>' in row for row in rows)


def test_the_contact_page_says_how_long_a_new_card_has_left(
    signed_in, make_contact, make_touchpoint
):
    new = make_contact(family_name="新顔", given_name="", first_met_on=TODAY - timedelta(days=20))
    make_touchpoint([new], kind="card_exchange", occurred_on=TODAY - timedelta(days=20))
    page = signed_in.get(f"/contacts/{new.id}").get_data(as_text=True)
    assert "A new card: follow up within 10 days" in page  # met 7 Nov: the month ends 7 Dec
    old = make_contact(family_name="昔", given_name="")
    make_touchpoint([old], kind="card_exchange", occurred_on=date(2025, 5, 1))
    page = signed_in.get(f"/contacts/{old.id}").get_data(as_text=True)
    assert "A new card" not in page and "A faded card" in page


def test_events_that_look_like_one_series_are_grouped_in_one_step(
    signed_in, app, make_event, make_contact
):
    first = make_event(name="倫理法人会 モーニングセミナー 第311回", held_on=date(2026, 10, 29))
    second = make_event(name="倫理法人会 モーニングセミナー 第312回 2026/11/05")
    alone = make_event(name="大交流会 2026")
    make_contact(family_name="朝一", origin_event_id=first.id)
    make_contact(family_name="朝二", origin_event_id=second.id)
    page = section(signed_in.get("/events").get_data(as_text=True), "series-heading")
    assert "倫理法人会 モーニングセミナー" in page and "2 events" in page
    assert "大交流会" not in page  # a name of its own suggests no series
    response = signed_in.post("/events/series", data={"series": "倫理法人会 モーニングセミナー"})
    assert response.status_code == 302
    with write_transaction(app) as session:
        assert [stored(session, Event, e.id).series for e in (first, second, alone)] == [
            "倫理法人会 モーニングセミナー",
            "倫理法人会 モーニングセミナー",
            "",
        ]
    assert 'id="series-heading"' not in signed_in.get("/events").get_data(as_text=True)
    places = signed_in.get("/places").get_data(as_text=True)
    assert places.count("倫理法人会 モーニングセミナー</a>") == 1
