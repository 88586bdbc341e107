"""The dashboard: going cold, first follow-ups, follow-ups due, counts, referral balance,
and the one-step actions on each row."""

from datetime import date, timedelta

import pytest

from tests.conftest import TODAY, stored
from tracker.db import write_transaction
from tracker.models import Contact, Touchpoint
from tracker.services.dashboard import dashboard


def board(app, user):
    with write_transaction(app) as session:
        return dashboard(session, user.id, TODAY)


def section(page, heading_id):
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_cold_list_orders_by_stage_then_overdue_share(app, user, make_contact, make_touchpoint):
    # A card (1 month) touched 45 days ago is 15/30 overdue; a trusted contact (2 months)
    # touched 120 days ago is ~59/61 overdue; a collaborator (6 weeks) 63 days ago: 21/42.
    card = make_contact(family_name="名刺")
    trusted = make_contact(family_name="信頼", stage="trusted")
    collab = make_contact(family_name="協力", stage="collaborator")
    tie = make_contact(family_name="同率", stage="acquaintance", cadence="6 weeks")
    fresh = make_contact(family_name="新鮮")
    make_touchpoint([card], occurred_on=TODAY - timedelta(days=45))
    make_touchpoint([trusted], occurred_on=TODAY - timedelta(days=120))
    make_touchpoint([collab], occurred_on=TODAY - timedelta(days=63))
    make_touchpoint([tie], occurred_on=TODAY - timedelta(days=63))
    make_touchpoint([fresh], occurred_on=TODAY - timedelta(days=3))
    result = board(app, user)
    names = [entry.contact.family_name for entry in result.cold]
    assert names == ["協力", "信頼", "同率", "名刺"]
    assert result.cold_total == 4
    assert [e.warmth for e in result.cold] == ["cold"] * 4
    # Touched 2026-07-30; two months later, 2026-09-30, it was due.
    assert result.cold[1].overdue_days == (TODAY - date(2026, 9, 30)).days
    assert [round(e.ratio, 2) for e in result.cold] == [0.5, 0.94, 0.5, 0.45]


def test_dormant_snoozed_and_archived(app, user, make_contact, make_touchpoint):
    dormant = make_contact(family_name="休眠", stage="trusted")
    snoozed = make_contact(family_name="保留", stage="trusted")
    archived = make_contact(family_name="保管")
    for person in (dormant, snoozed, archived):
        make_touchpoint([person], occurred_on=TODAY - timedelta(days=200))
    with write_transaction(app) as session:
        stored(session, Contact, snoozed.id).snoozed_until = TODAY
        stored(session, Contact, archived.id).archived_at = stored(
            session, Contact, archived.id
        ).created_at
    result = board(app, user)
    assert [(e.contact.family_name, e.warmth) for e in result.cold] == [("休眠", "dormant")]
    with write_transaction(app) as session:
        stored(session, Contact, snoozed.id).snoozed_until = TODAY - timedelta(days=1)
    assert {e.contact.family_name for e in board(app, user).cold} == {"休眠", "保留"}


def test_first_follow_up_counts_the_days_to_the_month_mark(
    app, user, make_contact, make_touchpoint
):
    new = make_contact(family_name="新人", first_met_on=date(2026, 11, 20))
    make_touchpoint([new], kind="card_exchange", occurred_on=date(2026, 11, 20))
    followed = make_contact(family_name="済み", first_met_on=date(2026, 11, 10))
    make_touchpoint([followed], kind="card_exchange", occurred_on=date(2026, 11, 10))
    make_touchpoint([followed], kind="call", occurred_on=date(2026, 11, 15))
    old = make_contact(family_name="古い", first_met_on=date(2026, 10, 1))
    make_touchpoint([old], kind="card_exchange", occurred_on=date(2026, 10, 1))
    result = board(app, user)
    assert [(e.contact.family_name, e.days_left) for e in result.first_follow_ups] == [("新人", 23)]
    assert "古い" in {e.contact.family_name for e in result.cold}


def test_follow_ups_due_are_grouped(app, user, make_contact, make_touchpoint):
    for name, due in [
        ("過去", TODAY - timedelta(days=2)),
        ("今日", TODAY),
        ("来週", TODAY + timedelta(days=7)),
        ("遠い", TODAY + timedelta(days=8)),
    ]:
        person = make_contact(family_name=name)
        make_touchpoint([person], occurred_on=TODAY - timedelta(days=10), follow_up_on=due)
    result = board(app, user)
    assert [(e.contact.family_name, e.when) for e in result.follow_ups] == [
        ("過去", "overdue"),
        ("今日", "today"),
        ("来週", "soon"),
    ]


def test_counts_and_referral_balance(app, user, make_contact, make_touchpoint, make_referral):
    a = make_contact(family_name="甲", stage="trusted")
    b = make_contact(family_name="乙")
    make_contact(family_name="丙")
    make_touchpoint([a], occurred_on=TODAY)
    make_touchpoint([b], occurred_on=TODAY - timedelta(days=40))
    make_referral(a, direction="given", referred_on=date(2026, 3, 1))
    make_referral(a, direction="received", referred_on=date(2026, 11, 2))
    make_referral(a, direction="introduction", other_contact_id=b.id, referred_on=date(2026, 11, 3))
    make_referral(b, direction="received", referred_on=date(2025, 11, 26))  # just outside 12 months
    result = board(app, user)
    assert result.stage_counts == {"card": 2, "acquaintance": 0, "trusted": 1, "collaborator": 0}
    assert result.warmth_counts == {"warm": 1, "cooling": 0, "cold": 1, "dormant": 0, "none": 1}
    assert (result.referrals_given, result.referrals_received) == (2, 1)
    months = {month: (g, r) for month, g, r in result.referral_months}
    assert len(result.referral_months) == 12
    assert months[date(2026, 11, 1)] == (1, 1)
    assert months[date(2026, 3, 1)] == (1, 0)


def test_the_page_shows_each_list(signed_in, make_contact, make_touchpoint):
    cold = make_contact(family_name="冷え")
    make_touchpoint([cold], occurred_on=TODAY - timedelta(days=45))
    new = make_contact(family_name="新顔", first_met_on=TODAY - timedelta(days=25))
    make_touchpoint([new], kind="card_exchange", occurred_on=TODAY - timedelta(days=25))
    page = signed_in.get("/").get_data(as_text=True)
    assert "冷え" in section(page, "cold-heading")
    assert "0.5× its cadence past due (14 days)" in section(page, "cold-heading")  # due 13 Nov
    assert "新顔" in section(page, "first-heading")  # its month runs out on 2 Dec
    assert "5 days left" in section(page, "first-heading")


def test_log_a_touchpoint_from_a_row_in_one_step(signed_in, app, make_contact, make_touchpoint):
    cold = make_contact(family_name="冷え")
    make_touchpoint([cold], occurred_on=TODAY - timedelta(days=45))
    response = signed_in.post(f"/contacts/{cold.id}/touch?next=/", data={"kind": "call"})
    assert response.status_code == 302 and response.location == "/"
    with write_transaction(app) as session:
        contact = stored(session, Contact, cold.id)
        assert contact.last_touch_on == TODAY
        assert session.query(Touchpoint).filter_by(kind="call").count() == 1
    assert "冷え" not in section(signed_in.get("/").get_data(as_text=True), "cold-heading")


@pytest.mark.parametrize(
    ("data", "until"),
    [
        ({"period": "1w"}, TODAY + timedelta(days=7)),
        ({"period": "1m"}, date(2026, 12, 27)),
        ({"period": "date", "until": "2027-01-15"}, date(2027, 1, 15)),
    ],
)
def test_snooze_from_a_row_in_one_step(signed_in, app, make_contact, make_touchpoint, data, until):
    cold = make_contact(family_name="冷え")
    make_touchpoint([cold], occurred_on=TODAY - timedelta(days=45))
    response = signed_in.post(f"/contacts/{cold.id}/snooze?next=/", data=data)
    assert response.location == "/"
    with write_transaction(app) as session:
        assert stored(session, Contact, cold.id).snoozed_until == until
    assert "冷え" not in section(signed_in.get("/").get_data(as_text=True), "cold-heading")


@pytest.mark.parametrize(
    "data",
    [
        {"period": "date", "until": "2020-01-01"},
        {"period": "date", "until": "soon"},
        {"period": "forever"},
    ],
)
def test_bad_snoozes_are_refused(signed_in, app, make_contact, data):
    person = make_contact()
    signed_in.post(f"/contacts/{person.id}/snooze", data=data)
    with write_transaction(app) as session:
        assert stored(session, Contact, person.id).snoozed_until is None


def test_dashboard_queries_do_not_grow_with_contacts(
    signed_in, app, user, make_contact, make_touchpoint, count_queries
):
    def populate(n):
        for i in range(n):
            person = make_contact(
                family_name=f"人{i}",
                stage=["card", "acquaintance", "trusted", "collaborator"][i % 4],
            )
            make_touchpoint(
                [person],
                occurred_on=TODAY - timedelta(days=i % 200),
                follow_up_on=TODAY + timedelta(days=i % 9),
            )

    populate(20)
    small = count_queries(lambda: signed_in.get("/"))
    populate(480)
    large = count_queries(lambda: signed_in.get("/"))
    assert small == large
    assert large <= 8
