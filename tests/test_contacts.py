"""Contacts: the form, the list with search and sort, archive, delete, and isolation."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import log_in
from tracker.db import write_transaction
from tracker.models import Contact, ContactMethod, Tag, Touchpoint


def contact_form(**overrides):
    data = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_reading": "やまだ",
        "given_reading": "たろう",
        "company": "山田税理士事務所",
        "department": "相続部",
        "title": "所長",
        "methods-0-kind": "email",
        "methods-0-label": "work",
        "methods-0-value": "taro@yamada.example.jp",
        "methods-1-kind": "phone",
        "methods-1-label": "携帯",
        "methods-1-value": "090-1234-5678",
        "expertise": "相続税, 事業承継",
        "tags": "税理士, 府中、 税理士",
        "notes": "犬を飼っている",
        "first_met_on": "2026/11/20",
        "stage": "acquaintance",
        "origin_event": "",
        "introduced_by": "",
        "origin_note": "",
        "save": "Save",
    }
    data.update(overrides)
    return data


def load(app, contact_id):
    with write_transaction(app) as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            return None
        _ = contact.methods, contact.tags
        return contact


def test_create_a_contact_with_every_field(signed_in, app):
    response = signed_in.post("/contacts/new", data=contact_form())
    assert response.status_code == 302
    contact_id = int(response.location.rsplit("/", 1)[1])
    contact = load(app, contact_id)
    assert (contact.family_name, contact.given_name) == ("山田", "太郎")
    assert contact.reading == "やまだ たろう"
    assert contact.first_met_on == date(2026, 11, 20)
    assert contact.stage == "acquaintance"
    assert [(m.kind, m.label, m.value) for m in contact.methods] == [
        ("email", "work", "taro@yamada.example.jp"),
        ("phone", "携帯", "090-1234-5678"),
    ]
    assert sorted(tag.name for tag in contact.tags) == ["府中", "税理士"]
    page = signed_in.get(response.location).get_data(as_text=True)
    for text in [
        "山田 太郎",
        "やまだ たろう",
        "山田税理士事務所",
        "相続部",
        "所長",
        "090-1234-5678",
        "犬を飼っている",
    ]:
        assert text in page


def test_western_names_show_given_name_first(signed_in, make_contact):
    contact = make_contact(family_name="Smith", given_name="Jane")
    page = signed_in.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "<h1>Jane Smith</h1>" in page


def test_edit_keeps_and_changes_what_the_form_says(signed_in, app, make_contact):
    contact = make_contact(methods=[{"kind": "email", "value": "old@example.jp"}], tags=["a"])
    form = signed_in.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert "old@example.jp" in form
    response = signed_in.post(
        f"/contacts/{contact.id}/edit",
        data=contact_form(
            **{"methods-0-value": "new@example.jp", "methods-1-value": "", "tags": "b"}
        ),
    )
    assert response.status_code == 302
    saved = load(app, contact.id)
    assert [m.value for m in saved.methods] == ["new@example.jp"]
    assert [t.name for t in saved.tags] == ["b"]
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(ContactMethod)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "x" * 101, "Field cannot be longer than 100 characters."),
        ("first_met_on", "the 45th of Smarch", "Enter a date such as 2026-11-27."),
        ("stage", "guru", "Not a valid choice."),
        ("notes", "x" * 10_001, "Field cannot be longer than 10000 characters."),
    ],
)
def test_bad_input_gives_a_form_error_and_saves_nothing(signed_in, app, field, value, message):
    response = signed_in.post("/contacts/new", data=contact_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        assert session.scalar(select(func.count()).select_from(Tag)) == 0


def test_a_name_is_required(signed_in, app):
    response = signed_in.post("/contacts/new", data=contact_form(family_name="", given_name=""))
    assert "Enter a family name or a given name." in response.get_data(as_text=True)


def test_nul_bytes_are_dropped_not_a_crash(signed_in, app):
    response = signed_in.post(
        "/contacts/new", data=contact_form(family_name="山\x00田", notes="a\x00b")
    )
    assert response.status_code == 302
    contact = load(app, int(response.location.rsplit("/", 1)[1]))
    assert contact.family_name == "山田"
    assert contact.notes == "ab"


def test_introducer_is_picked_with_the_find_button(signed_in, app, make_contact):
    introducer = make_contact(family_name="鈴木", given_name="花子", family_reading="すずき")
    found = signed_in.post(
        "/contacts/new",
        data=contact_form(introducer_query="suzuki", find_introducer="Find", save=None),
    )
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    assert f'value="{introducer.id}"' in page
    assert "鈴木 花子" in page
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
    response = signed_in.post("/contacts/new", data=contact_form(introduced_by=str(introducer.id)))
    assert response.status_code == 302
    contact = load(app, int(response.location.rsplit("/", 1)[1]))
    assert contact.introduced_by_id == introducer.id


def test_another_users_contact_cannot_be_named_as_introducer(
    signed_in, app, make_user, make_contact
):
    stranger = make_contact(owner=make_user(), family_name="他人")
    response = signed_in.post("/contacts/new", data=contact_form(introduced_by=str(stranger.id)))
    assert response.status_code == 200
    assert "Not a valid choice." in response.get_data(as_text=True)


def names_on(page_html):
    return [
        part.split("</a>")[0] for part in page_html.split('class="row-title" href="/contacts/')[1:]
    ]


def test_list_sorts_by_reading_and_by_last_touch(signed_in, make_contact, make_touchpoint):
    abe = make_contact(family_name="阿部", given_name="一郎", family_reading="あべ")
    kato = make_contact(family_name="加藤", given_name="二郎", family_reading="かとう")
    smith = make_contact(family_name="Smith", given_name="Jane")
    make_touchpoint([kato], occurred_on=date(2026, 10, 1))
    make_touchpoint([smith], occurred_on=date(2026, 11, 1))
    by_reading = names_on(signed_in.get("/contacts").get_data(as_text=True))
    assert [n.split(">")[1] for n in by_reading] == ["阿部 一郎", "加藤 二郎", "Jane Smith"]
    by_touch = names_on(signed_in.get("/contacts?sort=last_touch").get_data(as_text=True))
    assert [n.split(">")[1] for n in by_touch] == ["Jane Smith", "加藤 二郎", "阿部 一郎"]
    assert abe.id


@pytest.mark.parametrize("query", ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "yamada", "山田", "税理士", "ＺＥＩ"])
def test_search_by_name_reading_or_company(signed_in, make_contact, query):
    make_contact(family_name="山田", family_reading="やまだ", company="ZEI 税理士法人")
    make_contact(family_name="鈴木", family_reading="すずき", company="デザイン")
    page = signed_in.get("/contacts", query_string={"q": query}).get_data(as_text=True)
    assert "山田" in page
    assert "鈴木" not in page


def test_search_treats_like_wildcards_as_text(signed_in, make_contact):
    make_contact(family_name="山田", company="100%")
    make_contact(family_name="鈴木", company="100 yen")
    page = signed_in.get("/contacts", query_string={"q": "100%"}).get_data(as_text=True)
    assert "山田" in page
    assert "鈴木" not in page


def test_list_is_paginated(signed_in, app, make_contact):
    app.config["PAGE_SIZE"] = 3
    for i in range(7):
        make_contact(family_name=f"Person{i}", given_name="X")
    first = signed_in.get("/contacts").get_data(as_text=True)
    assert "Page 1 of 3" in first
    last = signed_in.get("/contacts?page=3").get_data(as_text=True)
    assert len(names_on(last)) == 1
    assert signed_in.get("/contacts?page=abc").status_code == 200


def test_archive_and_restore(signed_in, app, make_contact):
    contact = make_contact()
    signed_in.post(f"/contacts/{contact.id}/archive")
    assert load(app, contact.id).archived_at is not None
    assert "山田" not in signed_in.get("/contacts").get_data(as_text=True)
    assert "山田" in signed_in.get("/contacts?archived=1").get_data(as_text=True)
    signed_in.post(f"/contacts/{contact.id}/restore")
    assert load(app, contact.id).archived_at is None


def test_delete_asks_first_then_deletes_with_lone_touchpoints(
    signed_in, app, make_contact, make_touchpoint
):
    contact = make_contact()
    other = make_contact(family_name="鈴木")
    make_touchpoint([contact])
    shared = make_touchpoint([contact, other])
    confirm = signed_in.get(f"/contacts/{contact.id}/delete")
    assert "Delete 山田 太郎?" in confirm.get_data(as_text=True)
    assert load(app, contact.id) is not None
    signed_in.post(f"/contacts/{contact.id}/delete")
    assert load(app, contact.id) is None
    with write_transaction(app) as session:
        remaining = session.scalars(select(Touchpoint)).all()
        assert [tp.id for tp in remaining] == [shared.id]


def test_a_long_history_shows_the_newest_30_and_all_on_request(
    signed_in, make_contact, make_touchpoint
):
    contact = make_contact()
    for day in range(1, 36):
        make_touchpoint([contact], occurred_on=date(2026, 10, day % 31 + 1), summary=f"会議{day}")
    page = signed_in.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert page.count('class="timeline-item') == 30
    assert "Show all 35 touchpoints" in page
    # The rules still read the whole history: all 35 count, not the 30 shown.
    assert "35 touchpoints over" in page
    everything = signed_in.get(f"/contacts/{contact.id}?timeline=all").get_data(as_text=True)
    assert everything.count('class="timeline-item') == 35
    assert "Show all" not in everything


def test_another_users_contact_is_always_a_404(client, app, make_user, make_contact):
    owner, stranger = make_user(), make_user()
    contact = make_contact(owner=owner)
    log_in(client, stranger)
    for method, url in [
        ("get", f"/contacts/{contact.id}"),
        ("get", f"/contacts/{contact.id}/edit"),
        ("post", f"/contacts/{contact.id}/edit"),
        ("post", f"/contacts/{contact.id}/archive"),
        ("post", f"/contacts/{contact.id}/restore"),
        ("get", f"/contacts/{contact.id}/delete"),
        ("post", f"/contacts/{contact.id}/delete"),
        ("get", "/contacts/999999"),
    ]:
        assert getattr(client, method)(url, data=contact_form()).status_code == 404, url
    assert load(app, contact.id).family_name == "山田"
    assert "山田" not in client.get("/contacts").get_data(as_text=True)
    assert client.get("/contacts/lookup?q=山田").json == []


def test_one_search_after_another_finds_each_its_own(signed_in, make_contact):
    """The compiled search is cached per statement shape: the term must not stick to it."""
    make_contact(family_name="山田", family_reading="やまだ")
    make_contact(family_name="鈴木", given_name="一郎", family_reading="すずき")
    make_contact(family_name="鈴木", given_name="花子", family_reading="すずき")
    for term, found, not_found, count in [
        ("yamada", "山田", "鈴木", "1 person"),
        ("suzuki", "鈴木", "山田", "2 people"),
        ("やまだ", "山田", "鈴木", "1 person"),
    ]:
        page = signed_in.get("/contacts", query_string={"q": term}).get_data(as_text=True)
        assert found in page and not_found not in page, term
        assert count in page, term


def test_a_search_of_three_characters_or_more_uses_the_index(app, user, make_contact):
    """The stored keys are indexed: SQLite's FTS5 trigram table, PostgreSQL's pg_trgm."""
    from sqlalchemy import func, select

    from tests.conftest import ON_POSTGRES
    from tracker.db import database
    from tracker.services.contacts import search_filter

    make_contact(family_name="山田", family_reading="やまだ")
    make_contact(family_name="鈴木", family_reading="すずき")
    stmt = (
        select(func.count())
        .select_from(Contact)
        .where(Contact.user_id == user.id, *search_filter("yamada"))
    )
    with database(app).engine.connect() as connection:
        assert connection.execute(stmt).scalar() == 1
        # The plan of the search alone: on a table this small the planner may
        # rightly prefer the owner's index, which says nothing about the search's.
        compiled = (
            select(Contact.id).where(*search_filter("yamada")).compile(dialect=connection.dialect)
        )
        prefix = "EXPLAIN " if ON_POSTGRES else "EXPLAIN QUERY PLAN "
        if ON_POSTGRES:
            connection.exec_driver_sql("SET enable_seqscan = off")
        params = (
            compiled.params
            if ON_POSTGRES
            else tuple(compiled.params[key] for key in compiled.positiontup or ())
        )
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(prefix + str(compiled), params)
        )
    assert (
        "ix_contacts_search_key_trgm" if ON_POSTGRES else "contacts_search VIRTUAL TABLE INDEX"
    ) in plan
