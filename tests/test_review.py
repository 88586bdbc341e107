"""The collaborators review, places that suit you, who can help, the network picture."""

import json
from datetime import date, timedelta

import pytest

from tests.conftest import TODAY, stored
from tracker.db import write_transaction
from tracker.models import Contact


def stage_of(app, contact):
    with write_transaction(app) as session:
        return stored(session, Contact, contact.id).stage


def section(page, heading_id):
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_review_lists_candidates_collaborators_unsupported_and_one_way(
    signed_in, app, make_contact, make_touchpoint, make_referral
):
    ready = make_contact(family_name="候補")
    for day in (date(2026, 1, 10), date(2026, 3, 1), date(2026, 6, 1), date(2026, 9, 1)):
        make_touchpoint([ready], occurred_on=day)
    labelled = make_contact(family_name="名ばかり", stage="collaborator")
    make_touchpoint([labelled], occurred_on=date(2026, 11, 1))
    real = make_contact(family_name="本物", stage="collaborator")
    make_touchpoint([real], kind="worked_together", occurred_on=date(2026, 5, 1))
    make_referral(real, direction="given")
    make_referral(real, direction="received")
    taker = make_contact(family_name="片道")
    make_referral(taker, direction="received", referred_on=date(2026, 2, 1))
    make_referral(taker, direction="received", referred_on=date(2026, 4, 1))
    page = signed_in.get("/review").get_data(as_text=True)
    candidates = section(page, "candidates-heading")
    assert "候補" in candidates and "4 touchpoints over 234 days" in candidates
    assert "本物" in section(page, "collaborators-heading")
    unsupported = section(page, "unsupported-heading")
    assert "名ばかり" in unsupported and "本物" not in unsupported
    one_way = section(page, "one-way-heading")
    assert "片道" in one_way and "Only they give" in one_way


def test_promote_in_one_step(signed_in, app, make_contact, make_touchpoint):
    ready = make_contact(family_name="候補")
    make_touchpoint([ready], occurred_on=date(2026, 11, 1))
    make_touchpoint([ready], occurred_on=date(2026, 11, 20))
    response = signed_in.post(
        f"/contacts/{ready.id}/stage?next=/review", data={"stage": "acquaintance"}
    )
    assert response.location == "/review"
    assert stage_of(app, ready) == "acquaintance"
    assert "候補" not in section(
        signed_in.get("/review").get_data(as_text=True), "candidates-heading"
    )
    signed_in.post(f"/contacts/{ready.id}/stage", data={"stage": "guru"})
    assert stage_of(app, ready) == "acquaintance"


def test_places_rank_where_collaborators_came_from(
    signed_in, app, make_contact, make_event, make_referral
):
    good = make_event(name="勉強会", kind="community")
    noisy = make_event(name="大交流会")
    for i in range(3):
        make_contact(family_name=f"騒{i}", origin_event_id=noisy.id)
    star = make_contact(family_name="星", origin_event_id=good.id, stage="collaborator")
    make_contact(family_name="並", origin_event_id=good.id, stage="acquaintance")
    introducer = make_contact(family_name="紹介者", stage="trusted")
    make_contact(family_name="紹介先", introduced_by_id=introducer.id, stage="trusted")
    make_referral(star, direction="received")
    page = signed_in.get("/places").get_data(as_text=True)
    assert page.index("勉強会") < page.index("紹介者") < page.index("大交流会")
    row = page.split("勉強会")[1].split("</tr>")[0]
    assert ">2<" in row and '1 <span class="muted">(50%)' in row and "0 / 1" in row
    by_people = signed_in.get("/places?sort=people").get_data(as_text=True)
    assert by_people.index("大交流会") < by_people.index("勉強会")


def test_who_can_help_ranks_by_stage_warmth_strength_and_says_why(
    signed_in, make_contact, make_touchpoint
):
    cold_trusted = make_contact(family_name="古株", stage="trusted", expertise="相続税の申告")
    make_touchpoint([cold_trusted], occurred_on=TODAY - timedelta(days=300))
    warm_trusted = make_contact(family_name="近し", stage="trusted", tags=["相続"])
    make_touchpoint([warm_trusted], occurred_on=TODAY - timedelta(days=5))
    collab = make_contact(family_name="頼れる", stage="collaborator", notes="相続に強い司法書士")
    make_touchpoint([collab], occurred_on=TODAY - timedelta(days=20))
    make_contact(family_name="無関係", expertise="ウェブ制作")
    page = signed_in.get("/help?q=相続").get_data(as_text=True)
    assert page.index("頼れる") < page.index("近し") < page.index("古株")
    assert "無関係" not in page
    assert "Can help with:</strong> 相続税の申告" in page
    assert "Tags:</strong> 相続" in page
    assert "Notes:</strong> 相続に強い司法書士" in page


def test_network_picture_draws_introductions_and_referrals(signed_in, make_contact, make_referral):
    hub = make_contact(family_name="要", given_name="", stage="collaborator")
    newcomer = make_contact(family_name="新", given_name="", introduced_by_id=hub.id)
    other = make_contact(family_name="他", given_name="", stage="trusted")
    make_referral(hub, direction="given")
    make_referral(hub, direction="given")
    make_referral(other, direction="received")
    make_referral(hub, direction="introduction", other_contact_id=other.id)
    make_contact(family_name="孤立")
    page = signed_in.get("/network").get_data(as_text=True)
    drawing = page.split('<svg class="network-drawing"')[1].split("</svg>")[0]
    assert drawing.count('class="node stage-node-') == 3
    assert "孤立" not in page
    # One arrow per person and direction (two referrals given to 要 are one, thicker, arrow),
    # one arc per introduction; the legend draws each kind once more.
    assert drawing.count('class="lane lane-given"') == 1
    assert drawing.count('class="lane lane-received"') == 1
    assert drawing.count('class="arc arc-introduced"') == 1
    assert drawing.count('class="arc arc-introduction"') == 1
    assert 'marker-end="url(#arrow-given)"' in drawing
    assert page.count("arc arc-introduction") == 2
    words = page.split('id="links-heading"')[1].split("</section>")[0]
    assert "You gave them 2 referrals." in words
    assert "They gave you 1 referral." in words
    assert "Introduced 新 to you." in words and "Introduced to you by 要." in words
    assert "You introduced them to 他." in words and "You introduced them to 要." in words
    trusted_only = signed_in.get("/network?stage=trusted").get_data(as_text=True)
    assert "新" not in trusted_only.split("<figure")[1].split("</figure>")[0]
    assert newcomer.id


def test_digest_as_json_and_text(runner, app, user, make_contact, make_touchpoint, make_referral):
    cold = make_contact(family_name="冷え", given_name="")
    make_touchpoint([cold], occurred_on=date(2026, 9, 1))
    new = make_contact(family_name="新顔", given_name="", first_met_on=date(2026, 11, 20))
    make_touchpoint(
        [new], kind="card_exchange", occurred_on=date(2026, 11, 20), follow_up_on=date(2026, 11, 27)
    )
    result = runner.invoke(args=["digest", "--user", user.email, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {
        "today",
        "cold",
        "cooling",
        "first_follow_up",
        "follow_ups_due",
        "promotion_candidates",
        "unsupported_labels",
        "one_way",
        "places",
    }
    assert data["today"] == "2026-11-27"
    (entry,) = data["cold"]
    assert entry == {
        "id": cold.id,
        "name": "冷え",
        "stage": "card",
        "last_touch_on": "2026-09-01",
        "due_on": "2026-10-01",
        "warmth": "cold",
        "overdue_days": 57,
        "overdue_ratio": 1.9,
    }
    assert data["faded"] == [] and data["faded_total"] == 0
    assert data["first_follow_up"][0]["days_left"] == 23
    assert data["follow_ups_due"][0] == {
        "id": new.id,
        "name": "新顔",
        "stage": "card",
        "due_on": "2026-11-27",
        "when": "today",
    }
    later = json.loads(
        runner.invoke(
            args=["digest", "--user", user.email, "--json", "--today", "2027-06-01"]
        ).output
    )
    # By then both cards met once are dormant: faded cards, off the cold list, the most
    # recently met first.
    assert later["cold"] == [] and later["cold_total"] == 0
    assert [entry["name"] for entry in later["faded"]] == ["新顔", "冷え"]
    assert later["faded"][1] == {
        "id": cold.id,
        "name": "冷え",
        "stage": "card",
        "met_on": "2026-09-01",
        "due_on": "2026-10-01",
        "overdue_days": 243,
    }
    assert later["faded_total"] == 2
    text = runner.invoke(args=["digest", "--user", user.email]).output
    assert "Going cold (1)\n" in text and "冷え" in text and "23 days left" in text
    assert runner.invoke(args=["digest", "--user", "nobody@example.jp"]).exit_code != 0
    assert runner.invoke(args=["digest", "--user", user.email, "--today", "someday"]).exit_code != 0


def test_recompute_repairs_the_derived_fields(runner, app, make_contact, make_touchpoint):
    person = make_contact()
    make_touchpoint([person], occurred_on=date(2026, 11, 1))
    with write_transaction(app) as session:
        broken = stored(session, Contact, person.id)
        broken.last_touch_on, broken.next_due_on, broken.evidence_stage = None, None, "collaborator"
    result = runner.invoke(args=["recompute"])
    assert result.exit_code == 0 and "Recomputed 1 contacts." in result.output
    with write_transaction(app) as session:
        fixed = stored(session, Contact, person.id)
        assert (fixed.last_touch_on, fixed.next_due_on, fixed.evidence_stage) == (
            date(2026, 11, 1),
            date(2026, 12, 1),
            "card",
        )


@pytest.mark.slow
def test_review_and_places_queries_do_not_grow(
    signed_in, make_contact, make_touchpoint, make_referral, make_event, count_queries
):
    event = make_event()

    def populate(n, offset):
        for i in range(offset, offset + n):
            person = make_contact(
                family_name=f"人{i}",
                stage=["card", "trusted", "collaborator"][i % 3],
                origin_event_id=event.id,
            )
            make_touchpoint(
                [person],
                occurred_on=TODAY - timedelta(days=i % 300),
                kind=["meeting", "consulted_me"][i % 2],
            )
            if i % 5 == 0:
                make_referral(person, direction=["given", "received"][i % 2])

    populate(20, 0)
    small = {
        url: count_queries(lambda url=url: signed_in.get(url))
        for url in ("/review", "/places", "/help?q=人", "/network", "/referrals")
    }
    populate(480, 20)
    large = {url: count_queries(lambda url=url: signed_in.get(url)) for url in small}
    assert small == large
    assert max(large.values()) <= 8, large


def test_the_digest_mail_speaks_the_users_language(
    runner, app, make_user, make_contact, make_touchpoint
):
    owner = make_user(language="ja")
    cold = make_contact(owner=owner, family_name="冷え", given_name="")
    make_touchpoint([cold], owner=owner, occurred_on=date(2026, 9, 1))
    text = runner.invoke(args=["digest", "--user", owner.email]).output
    assert "冷えつつある関係（1）\n" in text
    assert "- 冷え [名刺交換のみ] 冷えている · 間隔の 1.9 倍超過（57 日）" in text
    # Without PUBLIC_URL the links point where `make run` serves the app.
    assert "\n  http://127.0.0.1:5000/contacts/" in text
