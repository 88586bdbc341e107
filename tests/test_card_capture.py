"""Capturing a card (issue 13): the photo read and confirmed, one person one record (a likely
duplicate named, one record per form however often it is sent), and nothing typed lost to
an ended session, on every form."""

import io
import re
import threading
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, log_in, stored, upload_import
from tests.test_cardreader_qr import _no_ocr, _qr_photo
from tracker.auth import SEEN_KEY
from tracker.cardreader import Reader
from tracker.db import write_transaction
from tracker.models import (
    CardImage,
    Contact,
    Event,
    FormDraft,
    FormSubmission,
    Referral,
    Tag,
    Touchpoint,
    User,
)

MECARD = "MECARD:N:佐藤,花子;SOUND:さとう,はなこ;ORG:佐藤社労士事務所;TEL:042-361-1234;TEL:090-1234-5678;EMAIL:hanako@sato-sr.example.jp;ADR:〒183-0022 東京都府中市宮西町1-1;;"


def count(app: Flask, model: type) -> int:
    with write_transaction(app) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def page_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def value_of(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if found is None:
        found = re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page)
    return found.group(1) if found else ""


def input_tag(page: str, name: str) -> str:
    """The whole <input> tag of this name, which the page must have."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, f"no {name} input on the page"
    return found.group(0)


def card(**overrides: Any) -> dict[str, Any]:
    data = {
        "family_name": "佐藤",
        "given_name": "花子",
        "family_reading": "さとう",
        "given_reading": "はなこ",
        "company": "佐藤社労士事務所",
        "met_on": "2026-11-20",
        "save": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def read_photo(client: FlaskClient, photo: bytes, **fields: str) -> Any:
    return client.post(
        "/cards/new",
        data={**fields, "photo": (io.BytesIO(photo), "card.jpg"), "read": "1"},
        content_type="multipart/form-data",
    )


# ---------------------------------------------------------------------------------------
# Photo first


def test_a_photographed_card_is_read_kept_and_confirmed(signed_in, app) -> None:
    response = read_photo(signed_in, _qr_photo(MECARD.encode()), met_on="2026-11-20")
    assert response.status_code == 302
    target = urlsplit(response.location)
    assert target.path == "/cards/new" and "draft" in parse_qs(target.query)
    page = page_of(signed_in, response.location)
    for name, value in [
        ("family_name", "佐藤"),
        ("given_name", "花子"),
        ("family_reading", "さとう"),
        ("company", "佐藤社労士事務所"),
        ("phone", "042-361-1234"),
        ("mobile", "090-1234-5678"),
        ("email", "hanako@sato-sr.example.jp"),
        ("postal_code", "183-0022"),
        ("met_on", "2026-11-20"),
    ]:
        assert value_of(page, name) == value, name
    assert "QR" in page and "/cards/new/photo?draft=" in page
    draft = value_of(page, "draft")
    photo = signed_in.get(f"/cards/new/photo?draft={draft}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"

    # Confirmed as read: the contact, its card image, and the draft gone.
    fields = {
        name: value_of(page, name)
        for name in (
            "family_name",
            "given_name",
            "family_reading",
            "given_reading",
            "company",
            "email",
            "phone",
            "mobile",
            "postal_code",
            "address",
            "met_on",
            "draft",
            "form_token",
        )
    }
    saved = signed_in.post("/cards/new", data={**fields, "save": "1"})
    assert saved.status_code == 302 and "/contacts/" in saved.location
    with write_transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        assert contact.first_met_on == date(2026, 11, 20)
        assert sorted((m.kind, m.value, m.label) for m in contact.methods) == [
            ("address", "〒183-0022 東京都府中市宮西町1-1", ""),
            ("email", "hanako@sato-sr.example.jp", ""),
            ("phone", "042-361-1234", ""),
            ("phone", "090-1234-5678", "mobile"),
        ]
        image = session.scalars(select(CardImage)).one()
        assert image.contact_id == contact.id and image.data[:3] == b"\xff\xd8\xff"
        assert session.scalars(select(FormDraft)).all() == []
    assert signed_in.get(f"/cards/new/photo?draft={draft}").status_code == 404


def test_reading_never_overwrites_what_was_typed(signed_in) -> None:
    typed = read_photo(
        signed_in, _qr_photo(MECARD.encode()), company="佐藤社会保険労務士事務所", title="所長"
    )
    page = page_of(signed_in, typed.location)
    assert value_of(page, "company") == "佐藤社会保険労務士事務所"
    assert value_of(page, "title") == "所長"
    assert value_of(page, "family_name") == "佐藤"  # empty, so read

    # A second reading (another photo) replaces what the first put in, not what was typed.
    fields = {name: value_of(page, name) for name in ("family_name", "company", "title", "draft")}
    fields["given_name"] = "はな子"  # corrected by hand
    again = read_photo(
        signed_in,
        _qr_photo("MECARD:N:佐藤,花子;ORG:別の会社;TEL:03-0000-0000;;".encode()),
        **fields,
    )
    page = page_of(signed_in, again.location)
    assert value_of(page, "given_name") == "はな子"
    assert value_of(page, "company") == "佐藤社会保険労務士事務所"
    assert value_of(page, "phone") == "03-0000-0000"
    assert value_of(page, "draft") == fields["draft"]


def test_save_and_next_card_keeps_the_event_and_the_date_through_the_photo(signed_in, app):
    first = signed_in.post(
        "/cards/new", data=card(new_event="府中 異業種交流会", save=None, save_another="1")
    )
    args = parse_qs(urlsplit(first.location).query)
    assert args["date"] == ["2026-11-20"]
    page = page_of(signed_in, first.location)
    read = read_photo(
        signed_in,
        _qr_photo("MECARD:N:鈴木,一郎;ORG:鈴木商店;;".encode()),
        event=args["event"][0],
        met_on=value_of(page, "met_on"),
        form_token=value_of(page, "form_token"),
    )
    page = page_of(signed_in, read.location)
    assert value_of(page, "met_on") == "2026-11-20"
    assert f'<option selected value="{args["event"][0]}">' in page


def test_without_ocr_a_qr_code_is_read_and_the_page_says_why(signed_in, monkeypatch) -> None:
    monkeypatch.setattr("tracker.cardreader._READER", Reader(_no_ocr))
    page = page_of(signed_in, "/cards/new")
    assert "QR codes still can." in page
    assert "the OCR models could not be loaded: test" in page
    read = read_photo(signed_in, _qr_photo(MECARD.encode()))
    assert value_of(page_of(signed_in, read.location), "family_name") == "佐藤"


def test_a_photo_that_is_no_picture_is_refused_and_nothing_kept(signed_in, app) -> None:
    response = read_photo(signed_in, b"\xff\xd8\xff not really a jpeg")
    assert response.status_code == 200
    assert "cannot be read" in response.get_data(as_text=True)
    assert count(app, FormDraft) == 0
    response = read_photo(signed_in, b"%PDF-1.4")
    assert "Choose a JPEG, PNG, WebP or HEIC picture." in response.get_data(as_text=True)


def heic(jpeg: bytes) -> bytes:
    """The picture as an iPhone saves it: HEIC (HEVC in a HEIF file)."""
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, format="HEIF", quality=90)
    assert out.getvalue()[4:12] == b"ftypheic"
    return out.getvalue()


def test_an_iphones_heic_photo_is_read_and_kept_as_jpeg(signed_in, app, make_contact) -> None:
    response = read_photo(signed_in, heic(_qr_photo(MECARD.encode())))
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    page = page_of(signed_in, response.location)
    assert (
        value_of(page, "family_name") == "佐藤" and value_of(page, "company") == "佐藤社労士事務所"
    )
    photo = signed_in.get(f"/cards/new/photo?draft={value_of(page, 'draft')}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.data[:3] == b"\xff\xd8\xff"

    # On a contact's page too: the HEIC becomes the contact's JPEG card image.
    person = make_contact(family_name="鈴木")
    sent = signed_in.post(
        f"/contacts/{person.id}/card-image",
        data={"image": (io.BytesIO(heic(_qr_photo(b"x"))), "IMG_0001.HEIC"), "save": "1"},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    with write_transaction(app) as session:
        image = session.scalars(select(CardImage).where(CardImage.contact_id == person.id)).one()
        assert image.content_type == "image/jpeg" and image.data[:3] == b"\xff\xd8\xff"


def test_a_draft_is_its_owners_alone(signed_in, app, make_user) -> None:
    read = read_photo(signed_in, _qr_photo(MECARD.encode()))
    token = parse_qs(urlsplit(read.location).query)["draft"][0]
    other = app.test_client()
    log_in(other, make_user())
    assert other.get(f"/cards/new/photo?draft={token}").status_code == 404
    page = page_of(other, f"/cards/new?draft={token}")
    assert "佐藤" not in page


# ---------------------------------------------------------------------------------------
# One person, one record


@pytest.fixture
def hanako(make_contact) -> Contact:
    return make_contact(
        family_name="佐藤",
        given_name="花子",
        family_reading="さとう",
        given_reading="はなこ",
        company="佐藤社労士事務所",
        first_met_on=date(2026, 10, 1),
    )


def test_a_likely_duplicate_is_named_on_save_and_nothing_is_saved(signed_in, app, hanako):
    response = signed_in.post("/cards/new", data=card(talked_about="労務の相談"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You may have this person already:" in page
    assert "佐藤 花子 (佐藤社労士事務所), met on 1 Oct 2026" in page
    assert f'name="touch_existing" value="{hanako.id}"' in page
    assert count(app, Contact) == 1 and count(app, Touchpoint) == 0
    assert value_of(page, "family_name") == "佐藤"  # nothing typed is lost


def test_the_duplicate_is_named_in_the_users_date_style(signed_in, app, user, hanako):
    with write_transaction(app) as session:
        stored(session, User, user.id).language = "ja"
    page = signed_in.post("/cards/new", data=card()).get_data(as_text=True)
    assert "佐藤 花子（佐藤社労士事務所）、2026年10月1日に会った人" in page


def test_log_the_card_exchange_with_the_person_instead(signed_in, app, hanako) -> None:
    response = signed_in.post(
        "/cards/new",
        data=card(
            talked_about="労務の相談",
            email="hanako@sato-sr.example.jp",
            touch_existing=str(hanako.id),
            save=None,
        ),
    )
    assert response.location.endswith(f"/contacts/{hanako.id}")
    assert count(app, Contact) == 1
    with write_transaction(app) as session:
        touchpoint = session.scalars(select(Touchpoint)).one()
        assert (touchpoint.kind, touchpoint.summary) == ("card_exchange", "労務の相談")
        assert [c.id for c in touchpoint.contacts] == [hanako.id]
        contact = stored(session, Contact, hanako.id)
        assert [(m.kind, m.value) for m in contact.methods] == [
            ("email", "hanako@sato-sr.example.jp")
        ]


def test_a_different_person_after_all_is_saved_as_new(signed_in, app, hanako) -> None:
    response = signed_in.post("/cards/new", data=card(save=None, save_new="1"))
    assert response.status_code == 302
    assert count(app, Contact) == 2


def test_a_duplicate_named_while_typing_is_not_asked_about_again(signed_in, app, hanako):
    response = signed_in.post("/cards/new", data=card(seen_duplicate=str(hanako.id)))
    assert response.status_code == 302
    assert count(app, Contact) == 2


def test_the_form_asks_while_typing(signed_in, hanako, make_user, make_contact) -> None:
    found = signed_in.get(
        "/cards/duplicates?family_name=佐藤&given_name=花子&company=佐藤社労士事務所"
    )
    assert found.get_json() == {
        "duplicates": [
            {
                "id": hanako.id,
                "text": "佐藤 花子 (佐藤社労士事務所), met on 1 Oct 2026",
                "url": f"/contacts/{hanako.id}",
            }
        ]
    }
    # By the reading in katakana and the company, and never someone else's contact.
    by_reading = signed_in.get(
        "/cards/duplicates?family_reading=サトウ&given_reading=ハナコ&company=佐藤社労士事務所"
    )
    assert [d["id"] for d in by_reading.get_json()["duplicates"]] == [hanako.id]
    other = make_user()
    make_contact(owner=other, family_name="鈴木", given_name="一郎", company="鈴木商店")
    nobody = signed_in.get("/cards/duplicates?family_name=鈴木&given_name=一郎&company=鈴木商店")
    assert nobody.get_json() == {"duplicates": []}
    assert signed_in.get("/cards/duplicates").get_json() == {"duplicates": []}


def test_a_resent_form_saves_once_and_leads_where_the_first_went(signed_in, app) -> None:
    token = value_of(page_of(signed_in, "/cards/new"), "form_token")
    assert len(token) >= 40
    first = signed_in.post("/cards/new", data=card(form_token=token))
    again = signed_in.post("/cards/new", data=card(form_token=token))
    assert first.status_code == again.status_code == 302
    assert again.location == first.location
    assert count(app, Contact) == 1 and count(app, Touchpoint) == 1
    assert count(app, FormSubmission) == 1
    # A new form is a new card (and the name is now a likely duplicate).
    fresh = value_of(page_of(signed_in, "/cards/new"), "form_token")
    assert fresh != token


def test_three_concurrent_posts_of_one_form_make_one_record(app, user) -> None:
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        log_in(client, user)
    token = value_of(page_of(clients[0], "/cards/new"), "form_token")
    start = threading.Barrier(3)
    answers: list[Any] = []

    def send(client: FlaskClient) -> None:
        start.wait()
        answers.append(client.post("/cards/new", data=card(form_token=token)))

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answer.status_code for answer in answers) == [302, 302, 302]
    assert len({answer.location for answer in answers}) == 1
    assert count(app, Contact) == 1 and count(app, Touchpoint) == 1


# ---------------------------------------------------------------------------------------
# An ended session loses nothing


def end_session_by_idling(client: FlaskClient) -> None:
    """Let the session pass its idle limit, as a phone left in a pocket does."""
    with client.session_transaction() as session:
        session[SEEN_KEY] = 0


def log_in_again(client: FlaskClient, user: User, login_location: str) -> str:
    """Log in through the real form at the address the app sent us to; where it leads."""
    url = urlsplit(login_location)
    assert url.path == "/login"
    page = page_of(client, f"{url.path}?{url.query}")
    assert "what you typed is kept" in page, login_location
    response = client.post(
        f"{url.path}?{url.query}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response.location


def forms(factory: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(form address, what was typed, a value that must come back) for every form."""
    contact, event, referral, touchpoint = (
        factory["contact"],
        factory["event"],
        factory["referral"],
        factory["touchpoint"],
    )
    return [
        ("/cards/new", card(talked_about="顧問先の労務の件"), "顧問先の労務の件"),
        (
            "/contacts/new",
            {"family_name": "高橋", "given_name": "誠", "notes": "ゴルフ仲間", "save": "1"},
            "ゴルフ仲間",
        ),
        (
            f"/contacts/{contact.id}/edit",
            {"family_name": "山田", "given_name": "太郎", "expertise": "事業承継", "save": "1"},
            "事業承継",
        ),
        (
            f"/touchpoints/new?contact={contact.id}",
            {
                "contacts": str(contact.id),
                "kind": "meal",
                "occurred_on": "2026-11-26",
                "summary": "決算の打ち上げ",
                "save": "1",
            },
            "決算の打ち上げ",
        ),
        (
            f"/touchpoints/{touchpoint.id}/edit",
            {
                "contacts": str(contact.id),
                "kind": "call",
                "occurred_on": "2026-11-02",
                "summary": "電話で近況",
                "save": "1",
            },
            "電話で近況",
        ),
        (
            "/referrals/new",
            {
                "referred_on": "2026-11-25",
                "direction": "received",
                "contact": str(contact.id),
                "subject": "飲食店の社長",
                "status": "introduced",
                "save": "1",
            },
            "飲食店の社長",
        ),
        (
            f"/referrals/{referral.id}/edit",
            {
                "referred_on": "2026-10-01",
                "direction": "given",
                "contact": str(contact.id),
                "subject": "相続の相談者",
                "status": "met",
                "save": "1",
            },
            "相続の相談者",
        ),
        ("/events/new", {"name": "多摩 朝会", "place": "立川", "save": "1"}, "多摩 朝会"),
        (
            f"/events/{event.id}/edit",
            {"name": "府中 交流会", "place": "府中駅前", "save": "1"},
            "府中駅前",
        ),
        ("/settings", {"display_name": "天野 一郎", "time_zone": "Asia/Tokyo"}, "天野 一郎"),
    ]


@pytest.fixture
def objects(make_contact, make_event, make_touchpoint, make_referral) -> dict[str, Any]:
    contact = make_contact()
    return {
        "contact": contact,
        "event": make_event(),
        "touchpoint": make_touchpoint([contact]),
        "referral": make_referral(contact),
    }


def test_every_form_comes_back_filled_in_after_logging_in_again(client, app, user, objects):
    before = {model: count(app, model) for model in (Contact, Touchpoint, Referral, Event)}
    for address, typed, expected in forms(objects):
        log_in(client, user)
        page_of(client, address)
        end_session_by_idling(client)
        sent = client.post(address, data=typed)
        assert sent.status_code == 302, address
        back_to = log_in_again(client, user, sent.location)
        assert urlsplit(back_to).path == urlsplit(address).path, address
        page = page_of(client, back_to)
        assert expected in page, address
        assert "What you typed before logging in again is back." in page
    assert {model: count(app, model) for model in before} == before
    with write_transaction(app) as session:
        assert stored(session, User, user.id).display_name != "天野 一郎"


def test_a_kept_card_saves_after_logging_in_again(client, app, user) -> None:
    log_in(client, user)
    token = value_of(page_of(client, "/cards/new"), "form_token")
    end_session_by_idling(client)
    sent = client.post("/cards/new", data=card(form_token=token))
    page = page_of(client, log_in_again(client, user, sent.location))
    assert value_of(page, "form_token") == token
    fields = {name: value_of(page, name) for name in ("family_name", "met_on", "form_token")}
    saved = client.post("/cards/new", data={**fields, "save": "1"})
    assert saved.status_code == 302 and "/contacts/" in saved.location
    assert count(app, Contact) == 1


def test_a_photo_sent_after_the_session_ended_is_kept_too(client, app, user) -> None:
    log_in(client, user)
    end_session_by_idling(client)
    sent = read_photo(client, _qr_photo(MECARD.encode()))
    page = page_of(client, log_in_again(client, user, sent.location))
    assert "/cards/new/photo?draft=" in page
    read = client.post(
        "/cards/new",
        data={"read": "1", "draft": value_of(page, "draft")},
        content_type="multipart/form-data",
    )
    assert value_of(page_of(client, read.location), "family_name") == "佐藤"


def test_a_logged_out_session_leaves_no_draft(client, app, user) -> None:
    log_in(client, user)
    page_of(client, "/cards/new")
    with client.session_transaction() as session:
        token = dict(session)
    client.post("/logout")
    with client.session_transaction() as session:
        session.update(token)  # a copy of the cookie from before the logout
    sent = client.post("/cards/new", data=card())
    assert sent.status_code == 302 and "draft" not in sent.location
    assert count(app, FormDraft) == 0


class TestExpiredCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_form_refused_for_its_token_comes_back_filled_in(self, signed_in, app) -> None:
        stale = {**card(talked_about="顧問先の労務の件"), "csrf_token": "stale"}
        response = signed_in.post("/cards/new", data=stale)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "The form had expired." in page
        assert value_of(page, "talked_about") == "顧問先の労務の件"
        assert count(app, Contact) == 0
        fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert fresh, "no fresh CSRF token on the page"
        fields = {name: value_of(page, name) for name in ("family_name", "met_on", "form_token")}
        saved = signed_in.post(
            "/cards/new", data={**fields, "csrf_token": fresh.group(1), "save": "1"}
        )
        assert saved.status_code == 302 and count(app, Contact) == 1

    def test_every_400_page_names_its_reference(self, client) -> None:
        response = client.post("/login", data={"email": "x@example.jp", "password": "x"})
        assert response.status_code == 400
        found = re.search(r"reference ([0-9a-f]{16})", response.get_data(as_text=True))
        assert found and found.group(1) == response.headers["X-Request-Id"]


def test_an_import_batch_is_named_in_the_users_language(signed_in, app, user) -> None:
    with write_transaction(app) as session:
        stored(session, User, user.id).language = "ja"
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:佐藤;花子;;;\r\nFN:佐藤 花子\r\nEND:VCARD\r\n"
    done = upload_import(signed_in, vcard, "a.vcf").location
    signed_in.post(done + "/confirm", data={"duplicates": "new"})
    with write_transaction(app) as session:
        tag = session.scalars(select(Tag).where(Tag.imported_at.is_not(None))).one()
    assert re.fullmatch(r"インポート 2026年11月27日 #\d+", tag.name), tag.name


def test_the_card_form_types_less(signed_in) -> None:
    page = page_of(signed_in, "/cards/new")
    photo = input_tag(page, "photo")
    assert 'type="file"' in photo and 'accept="image/*"' in photo
    assert 'capture="environment"' in photo
    inputs = {
        name: input_tag(page, name)
        for name in ("family_name", "email", "phone", "mobile", "postal_code", "met_on")
    }
    assert "autofocus" in inputs["family_name"]  # the first empty field
    assert 'data-reading-field="family_reading"' in inputs["family_name"]
    assert 'type="email"' in inputs["email"]
    assert 'type="tel"' in inputs["phone"] and 'type="tel"' in inputs["mobile"]
    assert 'inputmode="numeric"' in inputs["postal_code"]
    assert 'type="date"' in inputs["met_on"] and 'value="2026-11-27"' in inputs["met_on"]
    # A card's order: name, reading, company, title; the rarely used behind 「詳細」.
    order = [
        page.index(f'name="{name}"')
        for name in ("family_name", "family_reading", "company", "title")
    ]
    assert order == sorted(order)
    details = page[
        page.index('<details class="more"') : page.index(
            "</details>", page.index('<details class="more"')
        )
    ]
    assert 'name="department"' in details and 'name="postal_code"' in details
    assert 'name="company"' not in details


def test_a_date_typed_leniently_is_read_and_one_that_is_not_stays_as_typed(signed_in, app):
    refused = signed_in.post("/cards/new", data=card(met_on="someday"))
    met_on = input_tag(refused.get_data(as_text=True), "met_on")
    assert 'type="text"' in met_on and 'value="someday"' in met_on
    saved = signed_in.post("/cards/new", data=card(met_on="2026年11月20日"))
    assert saved.status_code == 302
    with write_transaction(app) as session:
        assert session.scalars(select(Contact)).one().first_met_on == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("address", "typed", "model"),
    [
        (
            "/contacts/new",
            {
                "family_name": "高橋",
                "given_name": "誠",
                "stage": "card",
                "origin_event": "",
                "introduced_by": "",
                "methods-0-kind": "email",
                "methods-1-kind": "phone",
                "save": "1",
            },
            Contact,
        ),
        (
            "/touchpoints/new?contact={contact}",
            {"contacts": "{contact}", "kind": "meal", "occurred_on": "2026-11-26", "save": "1"},
            Touchpoint,
        ),
        (
            "/referrals/new",
            {
                "referred_on": "2026-11-25",
                "direction": "received",
                "contact": "{contact}",
                "subject": "飲食店の社長",
                "status": "introduced",
                "save": "1",
            },
            Referral,
        ),
        ("/events/new", {"name": "多摩 朝会", "save": "1"}, Event),
    ],
)
def test_every_new_record_form_saves_once(signed_in, app, make_contact, address, typed, model):
    contact = make_contact()
    address = address.format(contact=contact.id)
    typed = {name: value.format(contact=contact.id) for name, value in typed.items()}
    before = count(app, model)
    token = value_of(page_of(signed_in, address), "form_token")
    assert token
    first = signed_in.post(address, data={**typed, "form_token": token})
    again = signed_in.post(address, data={**typed, "form_token": token})
    assert first.status_code == again.status_code == 302
    assert again.location == first.location
    assert count(app, model) == before + 1


def test_a_token_spends_once_and_the_loser_can_go_on(app, user) -> None:
    from tracker.services.once import AlreadySpent, lead_to, spend, spent

    with write_transaction(app) as session:
        lead_to(spend(session, user.id, "t" * 43), "/contacts/1")
    with write_transaction(app) as session:
        with pytest.raises(AlreadySpent):
            spend(session, user.id, "t" * 43)
        # Only the savepoint was undone: the transaction still reads and writes.
        submission = spent(session, user.id, "t" * 43)
        assert submission is not None and submission.target == "/contacts/1"
        # With that row still loaded, the next spend's purge works (it compares no loaded
        # row in Python, where SQLite's naive times would not compare with aware ones).
        spend(session, user.id, "u" * 43)
    assert count(app, FormSubmission) == 2


@pytest.mark.parametrize(
    ("brand", "name"), [(b"heic", "HEIC"), (b"hevc", "HEIC"), (b"mif1", "HEIF"), (b"avif", "AVIF")]
)
def test_heif_files_are_known_by_their_brand(brand: bytes, name: str) -> None:
    from tracker.images import image_format, image_type, readable_photo

    data = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + brand
    assert image_format(data) == name and image_type(data) is None
    assert readable_photo(data) == (name != "AVIF")
    assert image_format(b"\x00\x00\x00\x18ftypisom") is None  # an MP4 video is no picture
