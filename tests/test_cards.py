"""The quick card exchange."""

from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from tracker.db import write_transaction
from tracker.models import Contact, Event, Touchpoint


def card(**overrides):
    data = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_reading": "やまだ",
        "given_reading": "たろう",
        "company": "山田税理士事務所",
        "department": "",
        "title": "所長",
        "email": "taro@yamada.example.jp",
        "phone": "042-000-0000",
        "event": "",
        "new_event": "府中 異業種交流会",
        "met_on": "2026/11/20",
        "talked_about": "相続の相談が増えている",
        "follow_up_on": "2026-12-01",
        "save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_card_creates_contact_event_and_card_exchange(signed_in, app):
    response = signed_in.post("/cards/new", data=card())
    assert response.status_code == 302
    with write_transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        event = session.scalars(select(Event)).one()
        touchpoint = session.scalars(select(Touchpoint)).one()
        assert event.name == "府中 異業種交流会"
        assert event.held_on == date(2026, 11, 20)
        assert contact.origin_event_id == event.id
        assert contact.first_met_on == date(2026, 11, 20)
        assert contact.stage == "card"
        assert [(m.kind, m.value) for m in contact.methods] == [
            ("email", "taro@yamada.example.jp"),
            ("phone", "042-000-0000"),
        ]
        assert touchpoint.kind == "card_exchange"
        assert touchpoint.summary == "相続の相談が増えている"
        assert touchpoint.event_id == event.id
        assert [c.id for c in touchpoint.contacts] == [contact.id]
        assert contact.last_touch_on == date(2026, 11, 20)
        assert contact.follow_up_on == date(2026, 12, 1)


def test_save_and_add_another_keeps_event_and_date(signed_in, app):
    response = signed_in.post(
        "/cards/new", data=card(save=None, save_another="Save and add another")
    )
    target = urlsplit(response.location)
    assert target.path == "/cards/new"
    args = parse_qs(target.query)
    assert args["date"] == ["2026-11-20"]
    page = signed_in.get(response.location).get_data(as_text=True)
    assert 'value="2026-11-20"' in page
    assert f'<option selected value="{args["event"][0]}">' in page
    second = signed_in.post(
        "/cards/new",
        data=card(
            family_name="鈴木",
            family_reading="すずき",
            company="鈴木デザイン",
            email="suzuki@example.jp",
            phone="03-0000-0000",
            new_event="",
            event=args["event"][0],
            met_on="2026-11-20",
        ),
    )
    assert second.status_code == 302
    with write_transaction(app) as session:
        assert len(session.scalars(select(Event)).all()) == 1
        assert {c.origin_event_id for c in session.scalars(select(Contact))} == {
            int(args["event"][0])
        }


def test_typing_an_existing_event_name_reuses_it(signed_in, app, make_event):
    event = make_event(name="BNI 府中", held_on=date(2026, 11, 20))
    signed_in.post("/cards/new", data=card(new_event="BNI 府中"))
    with write_transaction(app) as session:
        assert [e.id for e in session.scalars(select(Event))] == [event.id]


def test_the_date_defaults_to_today(signed_in, app):
    app.config["TODAY"] = "2026-11-27"
    page = signed_in.get("/cards/new").get_data(as_text=True)
    assert 'value="2026-11-27"' in page


def test_bad_card_input_saves_nothing(signed_in, app, make_user, make_event):
    foreign = make_event(owner=make_user())
    for bad in [
        card(email="not an address"),
        card(met_on="someday"),
        card(met_on=""),
        card(family_name="", given_name=""),
        card(new_event="", event=str(foreign.id)),
        card(company="x" * 201),
    ]:
        response = signed_in.post("/cards/new", data=bad)
        assert response.status_code == 200, bad
        assert 'class="error"' in response.get_data(
            as_text=True
        ) or "form-errors" in response.get_data(as_text=True)
    with write_transaction(app) as session:
        assert session.scalars(select(Contact)).all() == []
        assert [e.id for e in session.scalars(select(Event))] == [foreign.id]


# The card form asks the database only for the contacts that could be the same person
# (tracker.services.cards.likely_duplicate). It must find what the app's matching finds
# over the whole account, which the import does (tracker.services.imports.existing_index).
# Keyword arguments of make_contact: names as text, methods as a list of dicts.
PEOPLE: list[dict[str, Any]] = [
    {
        "family_name": "佐藤",
        "given_name": "花子",
        "family_reading": "さとう",
        "given_reading": "はなこ",
        "company": "佐藤社労士事務所",
    },
    {
        "family_name": "斎藤",
        "given_name": "健",
        "family_reading": "さいとう",
        "given_reading": "けん",
    },
    {"family_name": "森", "given_name": "誠", "company": "森会計"},
    {"family_name": "Smith", "given_name": "Jane", "company": "Smith Design"},
    {
        "family_name": "田中",
        "given_name": "一郎",
        "methods": [{"kind": "email", "value": "ichiro@tanaka.example.jp"}],
    },
    {
        "family_name": "高橋",
        "given_name": "直子",
        "methods": [{"kind": "phone", "value": "+81 42-361-1234"}],
    },
    {"family_name": "", "given_name": "ゆかり", "company": "花屋ゆかり"},
]
# What a card gives: ContactFields keyword arguments, and (kind, value) methods.
CARDS: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    ({"family_name": "佐藤", "given_name": "花子", "company": "佐藤社労士事務所"}, []),
    ({"family_name": "佐藤", "given_name": "花子", "company": "別の会社"}, []),
    (
        {
            "family_name": "齊藤",
            "given_name": "健",
            "family_reading": "サイトウ",
            "given_reading": "ケン",
        },
        [],
    ),
    ({"family_name": "森", "given_name": "誠", "company": "森会計"}, []),
    ({"family_name": "森", "given_name": "誠"}, []),
    ({"family_name": "Smith", "given_name": "Jane", "company": "Smith Design"}, []),
    ({"family_name": "田中", "given_name": "一郎"}, [("email", "ICHIRO@tanaka.example.jp")]),
    ({"family_name": "別人", "given_name": "太郎"}, [("email", "ichiro@tanaka.example.jp")]),
    ({"family_name": "高橋", "given_name": "直子"}, [("phone", "042-361-1234")]),
    ({"family_name": "", "given_name": "ゆかり", "company": "花屋ゆかり"}, []),
    ({"family_name": "鈴木", "given_name": "一郎", "company": "鈴木商店"}, []),
]


def test_the_card_form_finds_the_duplicates_the_whole_account_would(app, user, make_contact):
    from tracker.fields import ContactFields
    from tracker.services.cards import likely_duplicate
    from tracker.services.contacts import MethodData
    from tracker.services.imports import existing_index
    from tracker.services.matching import keys_for

    for known in PEOPLE:
        make_contact(**known)
    found_any = 0
    with write_transaction(app) as session:
        index, _names = existing_index(session, user.id)
        for fields, details in CARDS:
            person = ContactFields(**fields)
            methods = [MethodData(kind, value) for kind, value in details]
            whole = index.find(keys_for(person, details))
            narrow = likely_duplicate(session, user.id, person, methods)
            assert (narrow[0].id if narrow else None) == (whole[0] if whole else None), fields
            found_any += narrow is not None
    assert found_any >= 6
