"""Referrals: the form, the ledger and its filters, the one-way list, and isolation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import log_in, stored
from tracker.db import write_transaction
from tracker.models import Contact, Referral


def referral_form(person, **overrides):
    data = {
        "referred_on": "2026-11-20",
        "direction": "given",
        "contact": str(person.id),
        "other_contact": "",
        "subject": "相続の相談者",
        "subject_contact": "",
        "status": "introduced",
        "notes": "",
        "save": "Save",
    }
    data.update(overrides)
    return data


def count(app):
    with write_transaction(app) as session:
        return session.scalar(select(func.count()).select_from(Referral))


def evidence_stage(app, contact):
    with write_transaction(app) as session:
        return stored(session, Contact, contact.id).evidence_stage


def test_record_given_and_received_and_the_evidence_follows(
    signed_in, app, make_contact, make_touchpoint
):
    lawyer = make_contact(family_name="弁護")
    make_touchpoint([lawyer], kind="worked_together", occurred_on=date(2026, 6, 1))
    assert evidence_stage(app, lawyer) == "trusted"
    assert signed_in.post("/referrals/new", data=referral_form(lawyer)).status_code == 302
    assert evidence_stage(app, lawyer) == "trusted"
    signed_in.post(
        "/referrals/new", data=referral_form(lawyer, direction="received", subject="顧問先")
    )
    assert evidence_stage(app, lawyer) == "collaborator"
    ledger = signed_in.get("/referrals").get_data(as_text=True)
    assert ledger.count("弁護") >= 2 and "相続の相談者" in ledger and "顧問先" in ledger


def test_an_introduction_counts_as_given_to_both(
    app, signed_in, make_contact, make_touchpoint, make_referral
):
    a = make_contact(family_name="甲")
    b = make_contact(family_name="乙")
    for person in (a, b):
        make_touchpoint([person], kind="worked_together", occurred_on=date(2026, 1, 5))
        make_referral(person, direction="received")
    assert (evidence_stage(app, a), evidence_stage(app, b)) == ("trusted", "trusted")
    response = signed_in.post(
        "/referrals/new",
        data=referral_form(a, direction="introduction", other_contact=str(b.id), subject=""),
    )
    assert response.status_code == 302
    assert (evidence_stage(app, a), evidence_stage(app, b)) == ("collaborator", "collaborator")
    page = signed_in.get(f"/contacts/{b.id}").get_data(as_text=True)
    assert "1 referrals given, 1 received" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"referred_on": "2026-12-01"}, "its date cannot be after today"),
        ({"referred_on": "nope"}, "Enter a date such as 2026-11-27."),
        ({"direction": "sideways"}, "Not a valid choice."),
        ({"status": "maybe"}, "Not a valid choice."),
        ({"contact": ""}, "Choose one of your contacts."),
        ({"subject": ""}, "Say who was referred"),
        (
            {"direction": "introduction", "other_contact": ""},
            "Choose the second contact you introduced.",
        ),
    ],
)
def test_bad_referrals_are_refused(signed_in, app, make_contact, overrides, message):
    person = make_contact()
    response = signed_in.post("/referrals/new", data=referral_form(person, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(app) == 0


def test_an_introduction_needs_two_different_contacts(signed_in, app, make_contact):
    person = make_contact()
    response = signed_in.post(
        "/referrals/new",
        data=referral_form(person, direction="introduction", other_contact=str(person.id)),
    )
    assert "An introduction needs two different contacts." in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_referral_may_only_name_your_own_contacts(signed_in, app, make_user, make_contact):
    mine = make_contact()
    theirs = make_contact(owner=make_user(), family_name="他人")
    for overrides in [
        {"contact": str(theirs.id)},
        {"direction": "introduction", "other_contact": str(theirs.id)},
        {"subject_contact": str(theirs.id)},
    ]:
        response = signed_in.post("/referrals/new", data=referral_form(mine, **overrides))
        assert response.status_code == 200
    assert count(app) == 0


def test_ledger_filters(signed_in, make_contact, make_referral):
    a = make_contact(family_name="甲")
    b = make_contact(family_name="乙")
    make_referral(
        a, direction="given", subject="件1", referred_on=date(2025, 5, 1), status="engaged"
    )
    make_referral(b, direction="received", subject="件2", referred_on=date(2026, 5, 1))
    make_referral(
        a,
        direction="introduction",
        other_contact_id=b.id,
        subject="件3",
        referred_on=date(2026, 6, 1),
    )

    def shown(**args):
        page = signed_in.get("/referrals", query_string=args).get_data(as_text=True)
        return sorted(s for s in ("件1", "件2", "件3") if s in page)

    assert shown() == ["件1", "件2", "件3"]
    assert shown(direction="received") == ["件2"]
    assert shown(status="engaged") == ["件1"]
    assert shown(year=2026) == ["件2", "件3"]
    assert shown(contact=a.id) == ["件1", "件3"]
    assert shown(contact=b.id, year=2026, direction="introduction") == ["件3"]


def test_edit_and_delete_refresh_the_evidence(
    signed_in, app, make_contact, make_touchpoint, make_referral
):
    person = make_contact()
    make_touchpoint([person], kind="worked_together", occurred_on=date(2026, 1, 5))
    make_referral(person, direction="given")
    referral = make_referral(person, direction="given")
    assert evidence_stage(app, person) == "trusted"
    signed_in.post(
        f"/referrals/{referral.id}/edit", data=referral_form(person, direction="received")
    )
    assert evidence_stage(app, person) == "collaborator"
    assert "Delete this referral?" in signed_in.get(f"/referrals/{referral.id}/delete").get_data(
        as_text=True
    )
    signed_in.post(f"/referrals/{referral.id}/delete")
    assert evidence_stage(app, person) == "trusted"
    assert count(app) == 1


def test_one_way_list(signed_in, make_contact, make_referral, make_touchpoint):
    taker = make_contact(family_name="一方")
    balanced = make_contact(family_name="双方")
    make_referral(taker, direction="given")
    make_touchpoint([taker], kind="consulted_me", occurred_on=date(2026, 2, 1))
    make_referral(balanced, direction="given")
    make_referral(balanced, direction="given")
    make_referral(balanced, direction="received")
    page = signed_in.get("/referrals").get_data(as_text=True)
    one_way = page.split('id="one-way-heading"')[1]
    assert "一方" in one_way and "Only you give" in one_way
    assert "双方" not in one_way


def test_another_users_referral_is_a_404(client, app, make_user, make_contact, make_referral):
    owner, stranger = make_user(), make_user()
    referral = make_referral(make_contact(owner=owner), owner=owner)
    log_in(client, stranger)
    mine = make_contact(owner=stranger)
    for method, url in [
        ("get", f"/referrals/{referral.id}/edit"),
        ("post", f"/referrals/{referral.id}/edit"),
        ("get", f"/referrals/{referral.id}/delete"),
        ("post", f"/referrals/{referral.id}/delete"),
    ]:
        assert getattr(client, method)(url, data=referral_form(mine)).status_code == 404
    assert "顧問先の社長" not in client.get("/referrals").get_data(as_text=True)
    assert count(app) == 1
