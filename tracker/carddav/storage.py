"""Radicale's plugins, backed by this app's database: the storage, the rights and the login.

Radicale asks the storage for collections and items by path: ``/`` (the root),
``/<user id>/`` (the user's principal, which is also the home of their address books) and
``/<user id>/contacts/`` (their one address book), whose items are the cards that
tracker.services.phone_book makes and stores. The plugins run inside the Flask request that
handed the call to Radicale, so they use that request's database session and the user it
signed in (tracker.views.carddav); the view commits once Radicale has answered.
"""

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from flask import current_app, g
from radicale import auth as radicale_auth
from radicale import item as radicale_item
from radicale import pathutils, rights, storage
from radicale import types as radicale_types

from tracker.dates import today_in
from tracker.db import get_session
from tracker.models import User
from tracker.services import ServiceError
from tracker.services.phone_book import BookCard, archive_card, card_at, cards, save_card, uid_taken

BOOK = "contacts"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
USER_KEY = "jinmyaku.carddav_user"
# The properties of a card the app keeps in its own fields; the phone's other properties
# are kept as they came. X-ABLABEL is a label of a grouped property (item1.TEL).
REPRESENTED = frozenset(
    {
        "VERSION",
        "PRODID",
        "UID",
        "REV",
        "N",
        "FN",
        "X-PHONETIC-FIRST-NAME",
        "X-PHONETIC-LAST-NAME",
        "SORT-STRING",
        "ORG",
        "TITLE",
        "TEL",
        "EMAIL",
        "ADR",
        "URL",
        "NOTE",
        "BDAY",
    }
)


def signed_in() -> User:
    """The user the CardDAV view signed in for this request."""
    user: User = g.carddav_user
    return user


def http_date(moment: datetime) -> str:
    """An HTTP date; PostgreSQL hands back times in its session's zone, HTTP wants GMT."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite's are naive UTC
    return format_datetime(aware.astimezone(UTC), usegmt=True)


def _last_modified(card: BookCard) -> str:
    return http_date(card.modified)


def extra_lines(vobject_item: Any) -> str:
    """The content lines of a card the app has no field for, as the phone wrote them."""
    children = list(vobject_item.getChildren())
    kept_groups = {
        (child.group or "").lower()
        for child in children
        if child.group and child.name.upper() in REPRESENTED
    }
    lines = []
    for child in children:
        name = child.name.upper()
        if name in REPRESENTED:
            continue
        if name == "X-ABLABEL" and (child.group or "").lower() in kept_groups:
            continue
        lines.append(child.serialize())
    return "".join(lines)


class Collection(storage.BaseCollection):
    """The root, a principal, or an address book (only the last holds cards)."""

    def __init__(self, path: str, user: User | None, book: bool = False) -> None:
        self._path = path
        self._user = user
        self._book = book
        self._cards: list[BookCard] | None = None

    @property
    def path(self) -> str:
        return self._path

    def _item(self, card: BookCard) -> radicale_item.Item:
        return radicale_item.Item(
            collection=self,
            href=card.href,
            text=card.text,
            last_modified=_last_modified(card),
            uid=card.uid,
            name="VCARD",
            component_name="VCARD",
            time_range=(0, 0),
        )

    def _all_cards(self) -> list[BookCard]:
        if not self._book or self._user is None:
            return []
        if self._cards is None:
            self._cards = cards(get_session(), self._user.id)
        return self._cards

    def get_all(self) -> Iterator[radicale_item.Item]:
        return (self._item(card) for card in self._all_cards())

    def get_multi(self, hrefs: Iterable[str]) -> Iterable[tuple[str, radicale_item.Item | None]]:
        wanted = list(dict.fromkeys(hrefs))
        found: dict[str, BookCard] = {}
        if self._book and self._user is not None and wanted:
            found = {card.href: card for card in cards(get_session(), self._user.id, wanted)}
        return [(href, self._item(found[href]) if href in found else None) for href in wanted]

    def item(self, href: str) -> radicale_item.Item | None:
        if not self._book or self._user is None:
            return None
        card = card_at(get_session(), self._user.id, href)
        return self._item(card) if card else None

    def has_uid(self, uid: str) -> bool:
        return self._user is not None and uid_taken(get_session(), self._user.id, uid)

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        if not self._book or self._user is None or item.name != "VCARD":
            raise ValueError("only vCards belong in an address book")
        old = self.item(href)
        user = self._user
        today = today_in(user.time_zone, current_app.config.get("TODAY"))
        try:
            card = save_card(
                get_session(),
                user.id,
                href,
                item.uid,
                item.serialize(),
                extra_lines(item.vobject_item),
                today,
            )
        except ServiceError as error:
            raise ValueError(str(error)) from error
        self._cards = None
        return self._item(card), old

    def delete(self, href: str | None = None) -> None:
        if href is None or not self._book or self._user is None:
            raise ValueError("address books are not deleted over CardDAV")
        if not archive_card(get_session(), self._user.id, href):
            raise storage.ComponentNotFoundError(href)
        self._cards = None

    def get_meta(self, key: str | None = None) -> Any:
        meta: dict[str, str] = {}
        if self._book:
            meta = {"tag": "VADDRESSBOOK", "D:displayname": "Jinmyaku"}
        return meta if key is None else meta.get(key)

    def set_meta(self, props: Mapping[str, str]) -> None:
        raise ValueError("the address book's properties are fixed")

    @property
    def last_modified(self) -> str:
        times = [card.modified for card in self._all_cards()]
        if not times:
            return http_date(self._user.created_at if self._user else _EPOCH)
        return http_date(max(times))


class Storage(storage.BaseStorage):
    """The signed-in user's principal and address book, and nothing of anyone else's."""

    def discover(
        self,
        path: str,
        depth: str = "0",
        child_context_manager: Any = None,
        user_groups: Any = None,
    ) -> Iterable[radicale_types.CollectionOrItem]:
        user: User | None = g.get("carddav_user")
        parts = pathutils.strip_path(pathutils.sanitize_path(path)).split("/")
        parts = [part for part in parts if part]
        mine = user is not None and bool(parts) and parts[0] == str(user.id)
        if not parts:
            yield Collection("", user)
            if depth != "0" and user is not None:
                yield Collection(str(user.id), user)
            return
        if not mine:
            return
        if len(parts) == 1:
            yield Collection(parts[0], user)
            if depth != "0":
                yield Collection(f"{parts[0]}/{BOOK}", user, book=True)
            return
        if parts[1] != BOOK or len(parts) > 3:
            return
        book = Collection(f"{parts[0]}/{BOOK}", user, book=True)
        if len(parts) == 3:
            found = book.item(parts[2])
            if found is not None:
                yield found
            return
        yield book
        if depth != "0":
            yield from book.get_all()

    def move(self, item: radicale_item.Item, to_collection: Any, to_href: str) -> None:
        raise ValueError("cards are not moved over CardDAV")

    def create_collection(
        self, href: str, items: Any = None, props: Any = None
    ) -> tuple[storage.BaseCollection, dict[str, radicale_item.Item], list[str]]:
        raise ValueError("each account has one address book; no other is made")

    @contextlib.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args: Any, **kwargs: Any) -> Iterator[None]:
        # The request's database transaction is the lock: writes begin it as a write.
        yield

    def verify(self) -> bool:
        return True


class Rights(rights.BaseRights):
    """Read the root and your principal; read and write the cards of your address book."""

    def authorization(self, user: str, user_groups: Any, path: str) -> str:
        parts = [part for part in pathutils.strip_path(path).split("/") if part]
        if not user:
            return ""
        if not parts:
            return "R"
        if parts[0] != user:
            return ""
        if len(parts) == 1:
            return "R"
        if parts[1] == BOOK and len(parts) <= 3:
            return "rw"
        return ""


class Auth(radicale_auth.BaseAuth):
    """The user the Flask view signed in with their email and a token, and no one else.

    Radicale never reads the Authorization header itself: the view checks it (and answers
    401 with a Basic challenge) before Radicale is called.
    """

    def get_external_login(self, environ: radicale_types.WSGIEnviron) -> tuple[str, str]:
        return str(environ.get(USER_KEY, "")), ""

    def _login(self, login: str, password: str) -> str:
        return login
