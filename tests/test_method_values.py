"""What phones type: full-width digits, letters and dashes in phones, emails and postal codes
are converted on every way in (the contact form, the card form, imports, and the data stored
before), tel: links call the digits, and the contact search finds phones by any run of their
digits and emails by any part."""

import pytest
from sqlalchemy import insert, select, text

from tracker.db import database, write_transaction
from tracker.method_values import (
    normal_address,
    normal_email,
    normal_phone,
    phone_digits,
    searched_digits,
    tel_uri,
)
from tracker.models import Contact, ContactMethod


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０４２－３６１－１２３４", "042-361-1234"),
        ("042ー361ー1234", "042-361-1234"),  # the long-vowel mark an IME gives for a hyphen
        ("042‐361―1234", "042-361-1234"),
        ("０９０−１２３４−５６７８", "090-1234-5678"),  # minus sign
        ("＋８１　４２　３６１　１２３４", "+81 42 361 1234"),
        ("（０３）１２３４－５６７８", "(03)1234-5678"),
        ("  03-1234-5678 ", "03-1234-5678"),
    ],
)
def test_phones_in_ascii_with_hyphens(typed, stored):
    assert normal_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("yamada－taro@example.jp", "yamada-taro@example.jp"),
        ("taro ＠ example。jp", "taro@example.jp"),
        ("Taro.Yamada@Example.JP", "Taro.Yamada@Example.JP"),  # case as typed
    ],
)
def test_emails_in_ascii(typed, stored):
    assert normal_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("〒１８３－００２２ 東京都府中市宮町１－２－３", "〒183-0022 東京都府中市宮町１－２－３"),
        ("〒183ー0022 府中市", "〒183-0022 府中市"),
        ("〒 1830022 府中市", "〒183-0022 府中市"),
        ("１８３－００２２ 東京都府中市", "183-0022 東京都府中市"),
        ("東京都府中市 〒183‐0022", "東京都府中市 〒183-0022"),
        ("センタービル 3F", "センタービル 3F"),  # a katakana ー is no hyphen
        ("1-1-1 Marunouchi, Tokyo 100-0005", "1-1-1 Marunouchi, Tokyo 100-0005"),
    ],
)
def test_postal_codes_in_ascii(typed, stored):
    assert normal_address(typed) == stored


@pytest.mark.parametrize(
    ("value", "uri"),
    [
        ("０４２－３６１－１２３４", "tel:0423611234"),
        ("+81-42-361-1234", "tel:+81423611234"),
        ("03 (1234) 5678 内線 12", "tel:0312345678"),
        ("内線のみ", ""),
    ],
)
def test_tel_uri_calls_the_digits(value, uri):
    assert tel_uri(value) == uri


@pytest.mark.parametrize(
    ("term", "runs"),
    [
        ("3611234", ["3611234"]),
        ("042-361", ["042361", "8142361"]),
        ("０４２ー３６１", ["042361", "8142361"]),
        ("+8142361", ["8142361", "042361"]),
        ("36", []),  # too short to be worth a look in the phones
        ("やまだ", []),
        ("a1b2c3", []),
    ],
)
def test_search_terms_that_are_pieces_of_phone_numbers(term, runs):
    assert searched_digits(term) == runs
    assert all(phone_digits(run) == run for run in runs)


def methods_of(app, family_name: str) -> list[tuple[str, str]]:
    with write_transaction(app) as session:
        contact = session.scalars(select(Contact).where(Contact.family_name == family_name)).one()
        return [(m.kind, m.value) for m in contact.methods]


def test_the_contact_form_converts_what_a_phone_typed(signed_in, app):
    from tests.test_contacts import contact_form

    response = signed_in.post(
        "/contacts/new",
        data=contact_form(
            **{
                "methods-0-value": "ｔａｒｏ＠ｙａｍａｄａ．ｅｘａｍｐｌｅ．ｊｐ",
                "methods-1-value": "０４２－３６１－１２３４",
                "methods-2-kind": "address",
                "methods-2-label": "",
                "methods-2-value": "〒１８３－００２２ 東京都府中市",
            }
        ),
    )
    assert response.status_code == 302
    assert methods_of(app, "山田") == [
        ("email", "taro@yamada.example.jp"),
        ("phone", "042-361-1234"),
        ("address", "〒183-0022 東京都府中市"),
    ]
    page = signed_in.get(response.location).get_data(as_text=True)
    assert 'href="tel:0423611234"' in page and ">042-361-1234</a>" in page


def test_the_card_form_converts_a_full_width_email_instead_of_refusing_it(signed_in, app):
    from tests.test_cards import card

    response = signed_in.post(
        "/cards/new",
        data=card(email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", phone="０９０ー１２３４ー５６７８"),
    )
    assert response.status_code == 302
    assert methods_of(app, "山田") == [("email", "taro@example.jp"), ("phone", "090-1234-5678")]


def test_the_card_form_still_refuses_what_is_no_email(signed_in, app):
    from tests.test_cards import card

    response = signed_in.post("/cards/new", data=card(email="ｔａｒｏ　ｅｘａｍｐｌｅ"))
    assert response.status_code == 200
    assert "name@example.jp" in response.get_data(as_text=True)


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:佐藤;花子;;;\r\nFN:佐藤 花子\r\n"
    "TEL;TYPE=CELL:０８０－１１１１－２２２２\r\nEMAIL:ｈａｎａｋｏ＠ｓａｔｏ．ｅｘａｍｐｌｅ．ｊｐ\r\n"
    "ADR;TYPE=WORK:;;府中市宮町1-2-3;;;〒１８３－００２２;Japan\r\nEND:VCARD\r\n"
)


def test_an_import_converts_them_too(signed_in, app):
    from tests.test_import_flow import preview_and_import

    preview_and_import(signed_in, VCARD.encode("utf-8"))
    methods = dict(methods_of(app, "佐藤"))
    assert methods["phone"] == "080-1111-2222"
    assert methods["email"] == "hanako@sato.example.jp"
    assert methods["address"].startswith("〒183-0022 ")


def test_an_import_matches_a_full_width_phone_to_the_contact_that_has_it(
    signed_in, app, make_contact
):
    from tests.test_import_flow import preview_and_import

    make_contact(
        family_name="佐藤", given_name="花子", methods=[{"kind": "phone", "value": "080-1111-2222"}]
    )
    preview, _summary = preview_and_import(signed_in, VCARD.encode("utf-8"))
    assert "same name and phone number: 08011112222" in preview
    with write_transaction(app) as session:
        assert len(session.scalars(select(Contact).where(Contact.family_name == "佐藤")).all()) == 1


@pytest.fixture
def phone_book(make_contact):
    make_contact(
        family_name="山田",
        methods=[
            {"kind": "phone", "value": "０４２－３６１－１２３４"},
            {"kind": "email", "value": "ｔａｒｏ＠ｙａｍａｄａ－ｔａｘ．ｅｘａｍｐｌｅ．ｊｐ"},
        ],
    )
    make_contact(
        family_name="鈴木",
        methods=[
            {"kind": "phone", "value": "+81 3 5555 0000"},
            {"kind": "email", "value": "ichiro@suzuki.example.com"},
        ],
    )
    make_contact(family_name="佐藤", notes="電話 0423 は古い番号")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("3611234", {"山田"}),
        ("042-361", {"山田"}),
        ("０４２－３６１－１２３４", {"山田"}),
        ("042 361 1234", {"山田"}),
        ("03-5555-0000", {"鈴木"}),  # stored with +81, searched as dialled at home
        ("+81 3 5555", {"鈴木"}),
        ("0423", {"山田", "佐藤"}),  # the digits of a phone, or the text of a note
        ("taro@", {"山田"}),
        ("yamada-tax", {"山田"}),
        ("ＴＡＲＯ＠ＹＡＭＡＤＡ", {"山田"}),
        ("example", {"山田", "鈴木"}),
        ("suzuki.example.com", {"鈴木"}),
        ("4444444", set()),
        ("nobody@", set()),
    ],
)
def test_the_contact_list_finds_phones_by_digits_and_emails_by_any_part(
    signed_in, phone_book, query, found
):
    page = signed_in.get("/contacts", query_string={"q": query}).get_data(as_text=True)
    assert {name for name in ("山田", "鈴木", "佐藤") if name in page} == found, query


def test_every_way_of_writing_a_method_gives_it_its_search_key(app, user, make_contact):
    """The key is worked out as a row is inserted, by the ORM or in bulk (imports, restore,
    seeding), from the kind and value it is inserted with."""
    contact = make_contact(methods=[{"kind": "email", "value": "Taro@Example.JP"}])
    with write_transaction(app) as session:
        session.execute(
            insert(ContactMethod),
            [
                {"contact_id": contact.id, "kind": "phone", "value": "03-1234-5678"},
                {"contact_id": contact.id, "kind": "url", "value": "https://example.jp"},
            ],
        )
        keys = session.scalars(
            select(ContactMethod.search_key)
            .where(ContactMethod.contact_id == contact.id)
            .order_by(ContactMethod.id)
        ).all()
    assert keys == ["taro@example.jp", "0312345678", ""]


def test_the_pickers_find_them_too(signed_in, phone_book):
    found = signed_in.get("/contacts/lookup", query_string={"q": "361-1234"}).get_json()
    assert [row["label"].split()[0] for row in found] == ["山田"]


def test_the_migration_converts_the_values_stored_before(app, runner, make_contact):
    contact = make_contact(methods=[{"kind": "phone", "value": "090-0000-0000"}])
    assert runner.invoke(args=["db", "downgrade", "0009-1"]).exit_code == 0
    engine = database(app).engine
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contact_methods (contact_id, kind, label, value, position) VALUES "
                "(:id, 'phone', '', '０４２－３６１－１２３４', 1), "
                "(:id, 'email', '', 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ', 2), "
                "(:id, 'address', '', '〒１８３ー００２２ 府中市', 3), "
                "(:id, 'url', '', 'ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ', 4)"
            ),
            {"id": contact.id},
        )
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with write_transaction(app) as session:
        rows = session.execute(
            select(ContactMethod.value, ContactMethod.search_key)
            .where(ContactMethod.contact_id == contact.id)
            .order_by(ContactMethod.position)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("090-0000-0000", "09000000000"),
        ("042-361-1234", "0423611234"),
        ("taro@example.jp", "taro@example.jp"),
        ("〒183-0022 府中市", ""),
        ("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ", ""),  # web addresses are left as they are
    ]


def test_who_can_help_looks_at_what_people_do_not_at_their_addresses(signed_in, make_contact):
    make_contact(family_name="税理", expertise="tax returns")
    make_contact(family_name="宛先", methods=[{"kind": "email", "value": "info@tax.example.jp"}])
    page = signed_in.get("/help?q=tax").get_data(as_text=True)
    assert "税理" in page and "宛先" not in page
    listed = signed_in.get("/contacts?q=tax").get_data(as_text=True)
    assert "税理" in listed and "宛先" in listed
