"""Phone sync with a real CardDAV client: vdirsyncer against the app served by waitress.

vdirsyncer keeps a folder of .vcf files in step with the server's address book, the way a
phone keeps its contacts: it discovers the address book from the site's root, downloads
every card, and uploads the cards created or edited in the folder. The server records
which requests it answered, so the test can tell a sync that transferred nothing from one
that downloaded or uploaded cards.
"""

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import TODAY
from tests.live import LiveServer
from tracker.db import database, write_transaction
from tracker.models import Contact, SyncedCard, User
from tracker.services.contacts import ContactData, MethodData, create_contact
from tracker.services.tokens import create_token

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")


class Recorder:
    """WSGI middleware that notes each request's method and path (it changes nothing)."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.lock:
            self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
        return self.wsgi_app(environ, start_response)

    def take(self) -> list[tuple[str, str]]:
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


@pytest.fixture
def synced(app: Flask, user: User, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """A live server, a token, a vdirsyncer configuration, and a function that runs it."""
    with write_transaction(app) as session:
        _token, secret = create_token(session, user.id, "vdirsyncer")
        create_contact(
            session,
            user.id,
            ContactData(
                family_name="山田",
                given_name="太郎",
                family_reading="やまだ",
                given_reading="たろう",
                company="山田商事",
                title="代表取締役",
                methods=[
                    MethodData("phone", "090-1234-5678", "mobile"),
                    MethodData("email", "taro@yamada.example.jp", "work"),
                ],
            ),
            TODAY,
        )
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder  # type: ignore[method-assign]
    phone = tmp_path / "phone"
    with LiveServer(app) as server:
        config = tmp_path / "vdirsyncer.conf"
        config.write_text(
            f"""[general]
status_path = "{tmp_path / "status"}/"

[pair contacts]
a = "phone"
b = "server"
collections = ["from b"]
conflict_resolution = "b wins"

[storage phone]
type = "filesystem"
path = "{phone}/"
fileext = ".vcf"

[storage server]
type = "carddav"
url = "{server.url}/"
username = "{user.email}"
password = "{secret}"
""",
            encoding="utf-8",
        )

        def run(*args: str) -> list[tuple[str, str]]:
            recorder.take()
            done = subprocess.run(
                [str(VDIRSYNCER), "-c", str(config), *args],
                input="y\n",
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            return recorder.take()

        run.phone = phone  # type: ignore[attr-defined]
        yield run
    database(app).engine.dispose()


def cards_in(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.vcf")}


def transfers(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The requests that carried cards: reads of cards, uploads and deletions."""
    return [
        (method, path) for method, path in requests if method in ("GET", "REPORT", "PUT", "DELETE")
    ]


def test_vdirsyncer_discovers_syncs_and_uploads(
    synced: Callable[..., Any], app: Flask, user: User
) -> None:
    requests = synced("discover", "contacts")
    # vdirsyncer starts at the site's root, then follows the principal to the address book.
    assert requests[0] == ("PROPFIND", "/")
    assert ("PROPFIND", f"/dav/{user.id}/") in requests

    requests = synced("sync")
    book = synced.phone / "contacts"  # type: ignore[attr-defined]
    cards = cards_in(book)
    assert list(cards) == ["jinmyaku-1.vcf"]
    card = cards["jinmyaku-1.vcf"]
    for line in (
        "VERSION:3.0",
        "X-PHONETIC-LAST-NAME:やまだ",
        "X-PHONETIC-FIRST-NAME:たろう",
        "ORG:山田商事",
        "TITLE:代表取締役",
        "090-1234-5678",
        "taro@yamada.example.jp",
        "UID:jinmyaku-1",
    ):
        assert line in card
    assert ("REPORT", f"/dav/{user.id}/contacts/") in requests

    # Nothing changed on either side: the second sync lists the cards and transfers none.
    requests = synced("sync")
    assert requests, "the sync asked the server nothing"
    assert transfers(requests) == []

    # A card made on the phone goes up, keeps its name and UID, and becomes a contact.
    new_uid = "6F1E2D3C-0001-4A5B-9C8D-PHONE"
    (book / f"{new_uid}.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 18.0//EN\r\n"
        "N:佐藤;花子;;;\r\nFN:佐藤 花子\r\nX-PHONETIC-LAST-NAME:さとう\r\n"
        "X-PHONETIC-FIRST-NAME:はなこ\r\nORG:佐藤デザイン;制作部\r\nTITLE:デザイナー\r\n"
        "TEL;TYPE=CELL:080-2222-3333\r\nEMAIL;TYPE=INTERNET,WORK:hanako@sato.example.jp\r\n"
        f"UID:{new_uid}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    requests = synced("sync")
    assert ("PUT", f"/dav/{user.id}/contacts/{new_uid}.vcf") in transfers(requests)
    with database(app).sessionmaker() as session:
        hanako = session.scalars(select(Contact).where(Contact.family_name == "佐藤")).one()
        assert (hanako.given_name, hanako.given_reading) == ("花子", "はなこ")
        assert (hanako.company, hanako.department, hanako.title) == (
            "佐藤デザイン",
            "制作部",
            "デザイナー",
        )
        assert sorted(m.value for m in hanako.methods) == [
            "080-2222-3333",
            "hanako@sato.example.jp",
        ]
        stored = session.scalars(select(SyncedCard).where(SyncedCard.contact_id == hanako.id)).one()
        assert (stored.href, stored.uid) == (f"{new_uid}.vcf", new_uid)
    assert transfers(synced("sync")) == []

    # An edit on the phone goes up; what the app has no field for (a nickname, a social
    # profile) is kept and comes back in the card.
    edited = (book / f"{new_uid}.vcf").read_text(encoding="utf-8")
    edited = edited.replace("TITLE:デザイナー", "TITLE:アートディレクター").replace(
        "END:VCARD",
        "NICKNAME:はなちゃん\r\nX-SOCIALPROFILE;TYPE=twitter:https://x.example/hanako\r\nEND:VCARD",
    )
    (book / f"{new_uid}.vcf").write_text(edited, encoding="utf-8")
    requests = synced("sync")
    assert ("PUT", f"/dav/{user.id}/contacts/{new_uid}.vcf") in transfers(requests)
    with database(app).sessionmaker() as session:
        hanako = session.scalars(select(Contact).where(Contact.family_name == "佐藤")).one()
        assert hanako.title == "アートディレクター"
    client = app.test_client()
    with database(app).sessionmaker() as session:
        _token, secret = create_token(session, user.id, "check")
        session.commit()
    served = client.get(
        f"/dav/{user.id}/contacts/{new_uid}.vcf", auth=(user.email, secret)
    ).get_data(as_text=True)
    assert "NICKNAME:はなちゃん" in served
    assert "X-SOCIALPROFILE;TYPE=twitter:https://x.example/hanako" in served
    assert "TITLE:アートディレクター" in served
    assert transfers(synced("sync")) == []
