"""CardDAV as phones use it: discovery, sign-in, one ETag per card everywhere, cards
uploaded by a phone keeping their name, UID and what the app has no field for."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import TODAY, stored
from tracker.db import database, write_transaction
from tracker.models import Contact, User
from tracker.services.contacts import contact_data, update_contact
from tracker.services.tokens import create_token

LISTING = (
    b'<propfind xmlns="DAV:"><prop><resourcetype/><getcontenttype/><getetag/></prop></propfind>'
)
CTAG = b'<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag/></prop></propfind>'
PHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:佐藤;花子;;;\r\nFN:佐藤 花子\r\n"
    "X-PHONETIC-LAST-NAME:さとう\r\nX-PHONETIC-FIRST-NAME:はなこ\r\n"
    "ORG:佐藤デザイン\r\nTITLE:デザイナー\r\nTEL;TYPE=CELL:080-2222-3333\r\n"
    "item1.EMAIL;TYPE=INTERNET:hanako@sato.example.jp\r\nitem1.X-ABLabel:会社\r\n"
    "NICKNAME:はなちゃん\r\nitem2.X-ABDATE:2020-04-01\r\nitem2.X-ABLabel:_$!<Anniversary>!$_\r\n"
    "UID:{uid}\r\nEND:VCARD\r\n"
)


def multiget(hrefs: list[str]) -> bytes:
    links = "".join(f"<href>{href}</href>" for href in hrefs)
    return (
        '<C:addressbook-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
        f"<prop><getetag/><C:address-data/></prop>{links}</C:addressbook-multiget>"
    ).encode()


@pytest.fixture
def phone(app: Flask, user: User) -> tuple[str, str]:
    with write_transaction(app) as session:
        _token, secret = create_token(session, user.id, "phone")
    return user.email, secret


def etags(body: str) -> dict[str, str]:
    found = re.findall(r"<href>([^<]+\.vcf)</href>.*?<getetag>([^<]+)</getetag>", body)
    return dict(found)


def test_a_request_without_a_good_token_is_asked_for_basic_auth(
    client: FlaskClient, phone: tuple[str, str], user: User, make_user: Callable[..., User]
) -> None:
    other = make_user()
    for auth in (None, (user.email, "jm_wrong"), (other.email, phone[1]), (user.email, "")):
        response = client.open(f"/dav/{user.id}/contacts/", method="PROPFIND", auth=auth)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert client.open("/.well-known/carddav", method="PROPFIND").status_code == 401


def test_well_known_leads_to_the_principal_and_its_one_address_book(
    client: FlaskClient, phone: tuple[str, str], user: User
) -> None:
    found = client.open("/.well-known/carddav", method="PROPFIND", auth=phone)
    assert found.status_code == 301
    assert found.headers["Location"].endswith(f"/dav/{user.id}/")
    home = client.open(
        f"/dav/{user.id}/",
        method="PROPFIND",
        auth=phone,
        headers={"Depth": "1"},
        data=b'<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop>'
        b"<resourcetype/><C:addressbook-home-set/></prop></propfind>",
    ).get_data(as_text=True)
    assert home.count("<CR:addressbook />") == 1
    assert f"<href>/dav/{user.id}/contacts/</href>" in home


def test_another_accounts_address_book_is_out_of_reach(
    client: FlaskClient, phone: tuple[str, str], make_user: Callable[..., User], make_contact: Any
) -> None:
    other = make_user()
    make_contact(owner=other, family_name="他人")
    for method, path in (
        ("PROPFIND", f"/dav/{other.id}/contacts/"),
        ("GET", f"/dav/{other.id}/contacts/jinmyaku-1.vcf"),
        ("PUT", f"/dav/{other.id}/contacts/x.vcf"),
    ):
        response = client.open(path, method=method, auth=phone, data=PHONE_CARD.format(uid="x"))
        assert response.status_code in (403, 404), (method, response.status_code)
        assert "他人" not in response.get_data(as_text=True)


def test_each_card_has_one_etag_in_the_listing_the_multiget_and_the_get(
    client: FlaskClient, phone: tuple[str, str], user: User, make_contact: Any
) -> None:
    make_contact(
        family_reading="やまだ",
        given_reading="たろう",
        company="山田商事",
        title="社長",
        methods=[{"kind": "phone", "value": "03-1234-5678", "label": "work"}],
    )
    make_contact(family_name="鈴木", given_name="一郎")
    book = f"/dav/{user.id}/contacts/"
    listing = client.open(book, method="PROPFIND", auth=phone, headers={"Depth": "1"}, data=LISTING)
    listed = etags(listing.get_data(as_text=True))
    assert len(listed) == 2
    report = client.open(
        book, method="REPORT", auth=phone, headers={"Depth": "1"}, data=multiget(list(listed))
    )
    assert etags(report.get_data(as_text=True)) == listed
    for href, etag in listed.items():
        card = client.get(href, auth=phone)
        assert card.headers["ETag"] == etag
        text = card.get_data(as_text=True)
        assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    yamada = client.get(f"{book}jinmyaku-1.vcf", auth=phone).get_data(as_text=True)
    for line in (
        "X-PHONETIC-LAST-NAME:やまだ",
        "X-PHONETIC-FIRST-NAME:たろう",
        "ORG:山田商事",
        "TITLE:社長",
        "TEL;TYPE=work:03-1234-5678",
        "UID:jinmyaku-1",
    ):
        assert line in yamada


def test_the_ctag_changes_only_when_a_card_does(
    app: Flask,
    client: FlaskClient,
    phone: tuple[str, str],
    user: User,
    make_contact: Any,
    make_touchpoint: Any,
) -> None:
    contact = make_contact()
    book = f"/dav/{user.id}/contacts/"

    def ctag() -> str:
        body = client.open(book, method="PROPFIND", auth=phone, headers={"Depth": "0"}, data=CTAG)
        return re.findall(r"getctag>([^<]+)<", body.get_data(as_text=True))[0]

    first = ctag()
    assert ctag() == first
    # A touchpoint changes the contact's warmth, not its card.
    make_touchpoint([contact])
    assert ctag() == first
    with write_transaction(app) as session:
        found = stored(session, Contact, contact.id)
        data = contact_data(found)
        data.title = "部長"
        update_contact(session, found.user_id, found.id, data, TODAY)
    assert ctag() != first


def test_a_phone_card_keeps_its_name_uid_and_the_fields_the_app_lacks(
    app: Flask, client: FlaskClient, phone: tuple[str, str], user: User
) -> None:
    uid = "A1B2C3D4-E5F6-4711-8000-000000000001"
    href = f"/dav/{user.id}/contacts/{uid}.vcf"
    put = client.put(
        href,
        auth=phone,
        data=PHONE_CARD.format(uid=uid).encode(),
        headers={"Content-Type": "text/vcard", "If-None-Match": "*"},
    )
    assert put.status_code == 201
    card = client.get(href, auth=phone)
    assert card.headers["ETag"] == put.headers["ETag"]
    text = card.get_data(as_text=True)
    assert f"UID:{uid}" in text
    assert "NICKNAME:はなちゃん" in text
    assert "ITEM2.X-ABDATE:2020-04-01" in text.upper()
    assert "X-PHONETIC-LAST-NAME:さとう" in text
    # The label on the grouped email is the app's now: it is written once, by the app.
    assert text.count("会社") == 1
    with write_transaction(app) as session:  # it reads, then writes
        hanako = session.scalars(select(Contact).where(Contact.family_name == "佐藤")).one()
        assert sorted((m.kind, m.value, m.label) for m in hanako.methods) == [
            ("email", "hanako@sato.example.jp", "会社"),
            ("phone", "080-2222-3333", "mobile"),
        ]
        # Edited in the app: the card changes, and the nickname is still there.
        data = contact_data(hanako)
        data.title = "アートディレクター"
        update_contact(session, hanako.user_id, hanako.id, data, TODAY)
        session.commit()
    after = client.get(href, auth=phone)
    assert after.headers["ETag"] != put.headers["ETag"]
    assert "TITLE:アートディレクター" in after.get_data(as_text=True)
    assert "NICKNAME:はなちゃん" in after.get_data(as_text=True)
    # The same UID at another name is a conflict, as CardDAV asks.
    again = client.put(
        f"/dav/{user.id}/contacts/other.vcf",
        auth=phone,
        data=PHONE_CARD.format(uid=uid).encode(),
        headers={"Content-Type": "text/vcard"},
    )
    assert again.status_code == 409
    # A stale ETag is refused; the current one is accepted.
    stale = client.put(
        href,
        auth=phone,
        data=PHONE_CARD.format(uid=uid).encode(),
        headers={"Content-Type": "text/vcard", "If-Match": put.headers["ETag"]},
    )
    assert stale.status_code == 412


def test_a_card_deleted_on_the_phone_archives_the_contact(
    app: Flask, client: FlaskClient, phone: tuple[str, str], user: User, make_contact: Any
) -> None:
    contact = make_contact()
    href = f"/dav/{user.id}/contacts/jinmyaku-{contact.id}.vcf"
    assert client.delete(href, auth=phone).status_code in (200, 204)
    with database(app).sessionmaker() as session:
        assert session.get(Contact, contact.id).archived_at is not None  # type: ignore[union-attr]
    assert client.get(href, auth=phone).status_code == 404


def test_an_unreadable_card_is_refused_and_nothing_is_saved(
    app: Flask, client: FlaskClient, phone: tuple[str, str], user: User
) -> None:
    nameless = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:empty\r\nEND:VCARD\r\n"
    response = client.put(
        f"/dav/{user.id}/contacts/empty.vcf",
        auth=phone,
        data=nameless.encode(),
        headers={"Content-Type": "text/vcard"},
    )
    assert response.status_code == 400
    with database(app).sessionmaker() as session:
        assert session.scalars(select(Contact)).all() == []


def test_carddav_takes_no_cookies_and_needs_no_csrf_token(
    app_config: dict[str, Any], phone: tuple[str, str], user: User, app: Flask
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    client.set_cookie("jinmyaku_session", "forged")
    uid = "COOKIE-TEST"
    response = client.put(
        f"/dav/{user.id}/contacts/{uid}.vcf",
        auth=phone,
        data=PHONE_CARD.format(uid=uid).encode(),
        headers={"Content-Type": "text/vcard"},
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
