"""What the security tests share: walking ``app.url_map``, filling URL variables with a
user's objects, reading the forms of a page, signing in, and dumping the whole database.

The walkers know no route by name: they read the rules the app has, so a route added
later is covered without touching the tests. What they cannot invent is listed here:
the object kind each id variable names (``ID_KINDS``), the variables that are not ids
(``OTHER_VARIABLES``) and the query arguments some pages need (``QUERY_ARGS``).
"""

import io
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text
from werkzeug.routing import Rule

from tests.conftest import PASSWORD, log_in, make_config
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.models import User
from tracker.services.tokens import create_token

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Every URL variable that names a row, and the kind of row it names. A route with an id
# variable missing here fails test_every_id_variable_is_known: add it, with its objects.
ID_KINDS = {
    "contact_id": "contact",
    "touchpoint_id": "touchpoint",
    "event_id": "event",
    "referral_id": "referral",
    "tag_id": "tag",
    "draft_id": "draft",
    "entry_id": "trash entry",
    "token_id": "api token",
}
# URL variables that are not row ids: what fills them, and why.
OTHER_VARIABLES = {
    "filename": "static files: public, the same for everyone",
    "token": "the calendar feed's secret address (filled with the user's own token)",
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SKIPPED_ENDPOINTS = {
    "static": "public files, no account, no database",
    # Programs' routes: a token on every request, no cookie, no form, so no CSRF token;
    # their sign-in, isolation and errors are tested in test_api.py, test_carddav.py and by
    # schemathesis (test_api_schemathesis.py).
    **{
        endpoint: "token-authenticated API"
        for endpoint in (
            "api.contacts",
            "api.create",
            "api.contact",
            "api.update",
            "api.archive",
            "api.touchpoints",
            "api.log_touchpoint",
            "api.touchpoint",
            "api.referrals",
            "api.add_referral",
            "api.referral",
            "api.events",
            "api.add_event",
            "api.event",
            "api.morning_digest",
            "api-docs.openapi_json",
        )
    },
    **{
        endpoint: "CardDAV, token-authenticated"
        for endpoint in ("carddav.well_known", "carddav.root", "carddav.dav")
    },
}

_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\([^)]*\))?:)?(?P<name>\w+)>")


# ---------------------------------------------------------------------------------------
# Rules


def rule_app() -> Flask:
    """An app built only to read its url_map at collection time (it opens no database)."""
    return create_app(make_config(Path("unused.sqlite3"), DATABASE_URL="sqlite://"))


def variables(rule: Rule) -> dict[str, str]:
    """The rule's URL variables and their converter names ('default' when none is given)."""
    return {
        m.group("name"): m.group("converter") or "default" for m in _VARIABLE.finditer(rule.rule)
    }


def id_variables(rule: Rule) -> list[str]:
    """The variables that name a row: int converters, and anything called *_id or id."""
    return [
        name
        for name, converter in variables(rule).items()
        if converter == "int" or name == "id" or name.endswith("_id")
    ]


def unknown_variables(rule: Rule) -> list[str]:
    return [name for name in variables(rule) if name not in ID_KINDS | OTHER_VARIABLES]


def methods(rule: Rule) -> list[str]:
    """The methods a rule's view answers (OPTIONS only when the view itself handles it)."""
    found = set(rule.methods or ())
    if getattr(rule, "provide_automatic_options", True):
        found.discard("OPTIONS")
    return sorted(found)


def app_rules(app: Flask, *, skip: bool = True) -> list[Rule]:
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    return [r for r in rules if not (skip and r.endpoint in SKIPPED_ENDPOINTS)]


def rule_id(rule: Rule) -> str:
    return f"{rule.endpoint}[{rule.rule}]"


def path_of(rule: Rule, values: dict[str, Any]) -> str:
    """The path of this exact rule with these variables (not another rule of the endpoint)."""
    built = rule.build(values, append_unknown=False)
    assert built is not None, (rule.rule, values)
    return built[1]


# ---------------------------------------------------------------------------------------
# A user's objects, and filling URL variables with them


@dataclass
class Owned:
    """One user's rows, by the kind of object an id variable names."""

    user: User
    ids: dict[str, list[int]] = field(default_factory=dict)
    calendar_token: str = ""
    contact_names: list[str] = field(default_factory=list)

    def first(self, kind: str) -> int:
        return self.ids[kind][0]


# Query arguments a page needs and a test cannot leave out, made from the user's objects.
QUERY_ARGS: dict[str, Callable[[Owned], dict[str, Any]]] = {
    "contacts.merge_view": lambda o: {"keep": o.ids["contact"][0], "drop": o.ids["contact"][1]},
    "contacts.lookup_json": lambda o: {"q": o.contact_names[0]},
}


def value_sets(rule: Rule, owned: Owned, *, every: bool = True) -> Iterator[dict[str, Any]]:
    """Every combination of the user's objects for the rule's variables (or the first)."""
    names = list(variables(rule))
    choices: list[list[Any]] = []
    for name in names:
        if name in ID_KINDS:
            found = owned.ids.get(ID_KINDS[name], [])
            assert found, f"{rule.rule}: the user has no {ID_KINDS[name]} for <{name}>"
            choices.append(found if every else found[:1])
        elif name == "token":
            choices.append([owned.calendar_token])
        else:
            raise AssertionError(f"{rule.rule}: no way to fill <{name}>; see security_support")
    for combination in product(*choices):
        yield dict(zip(names, combination, strict=True))


def urls(rule: Rule, owned: Owned, *, every: bool = True) -> list[str]:
    """The rule's URLs filled with the user's objects, with the query arguments it needs."""
    query = QUERY_ARGS[rule.endpoint](owned) if rule.endpoint in QUERY_ARGS else {}
    suffix = "?" + urlencode(query) if query else ""
    return [path_of(rule, values) + suffix for values in value_sets(rule, owned, every=every)]


# ---------------------------------------------------------------------------------------
# Signing in


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign a client in as the suite's log_in does, else through the real login form."""
    log_in(client, user)
    if is_signed_in(client):
        return
    page = client.get("/login").get_data(as_text=True)
    data = {"email": user.email, "password": PASSWORD}
    token = csrf_token(page)
    if token:
        data["csrf_token"] = token
    client.post("/login", data=data)
    assert is_signed_in(client), "could not sign in"


def csrf_token(page: str) -> str | None:
    for form in parse_forms(page):
        for item in form.fields:
            if item.name == "csrf_token":
                return item.value
    return None


# ---------------------------------------------------------------------------------------
# The database, whole


def dump(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (as the driver returns it, no type conversion), sorted."""
    engine = database(app).engine
    tables = sorted(inspect(engine).get_table_names())
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in tables:
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted((tuple(row) for row in rows), key=repr)
    return out


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, Any]:
    """What differs between two dumps, per table: the rows gone and the rows new."""
    found: dict[str, Any] = {}
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, []), after.get(table, [])
        if old != new:
            gone = [row for row in old if row not in new]
            added = [row for row in new if row not in old]
            found[table] = {"gone": gone[:3], "new": added[:3]}
    return found


# ---------------------------------------------------------------------------------------
# Forms on a page


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    def path(self, page_path: str) -> str:
        return urlsplit(self.action).path or urlsplit(page_path).path

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields))

    def submits(self) -> list[Field]:
        return [f for f in self.fields if f.kind in ("submit", "button", "image")]

    def files(self) -> list[Field]:
        return [f for f in self.fields if f.kind == "file"]

    def body(self, submit: Field | None = None) -> dict[str, Any]:
        """What a browser would send, pressing this submit button (or none)."""
        data: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind in ("submit", "button", "image"):
                if item is submit:
                    data.setdefault(item.name, []).append(item.value)
            elif item.kind in ("checkbox", "radio"):
                if item.checked:
                    data.setdefault(item.name, []).append(item.value)
            elif item.kind == "select":
                data.setdefault(item.name, []).extend(item.selected[:1] or item.options[:1])
            elif item.kind == "select-multiple":
                data.setdefault(item.name, []).extend(item.selected)
            elif item.kind != "file":
                data.setdefault(item.name, []).append(item.value)
        return {k: v[0] if len(v) == 1 else v for k, v in data.items()}

    def shape(self) -> tuple[Any, ...]:
        """What makes two forms the same form (the logout button is on every page)."""
        return (self.action, tuple((f.name, f.kind, f.value) for f in self.fields))


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=a.get("method", "get").lower(),
                action=a.get("action", ""),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        form = self._form
        if form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            default = "on" if kind in ("checkbox", "radio") else ""  # no value attribute
            form.fields.append(Field(a["name"], kind, a.get("value", default), "checked" in a))
        elif tag == "button":
            kind = a.get("type", "submit").lower()
            form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
            form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            form.fields.append(self._textarea)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            if value is not None:
                self._select.options.append(value)
                if "selected" in a:
                    self._select.selected.append(value)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value[:1] in ("\r", "\n"):
                # a browser drops the newline right after <textarea>
                self._textarea.value = self._textarea.value.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def parse_forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    parser.close()
    return parser.forms


def post_forms(page: str) -> list[Form]:
    return [form for form in parse_forms(page) if form.method == "post"]


def harvest(client: FlaskClient, paths: list[str]) -> dict[str, list[Form]]:
    """The POST forms found on these pages, by the path they are sent to."""
    found: dict[str, list[Form]] = {}
    for page_path in paths:
        response = client.get(page_path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in post_forms(response.get_data(as_text=True)):
            forms = found.setdefault(form.path(page_path), [])
            if all(form.shape() != other.shape() for other in forms):
                forms.append(form)
    return found


# ---------------------------------------------------------------------------------------
# Files and the objects a user owns


def tiny_png() -> bytes:
    """A real 1×1 PNG (one red pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def vcard_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def vcard(family: str, given: str = "", **fields: str) -> bytes:
    """A one-card vCard 3.0; fields: org, title, note, categories, email, url, tel."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{vcard_value(family)};{vcard_value(given)};;;",
        f"FN:{vcard_value(family)} {vcard_value(given)}".rstrip(),
    ]
    names = {"org": "ORG", "title": "TITLE", "note": "NOTE", "categories": "CATEGORIES"}
    for key, prop in names.items():
        if key in fields:
            lines.append(f"{prop}:{vcard_value(fields[key])}")
    if "email" in fields:
        lines.append(f"EMAIL;TYPE=INTERNET:{vcard_value(fields['email'])}")
    if "url" in fields:
        lines.append(f"URL:{vcard_value(fields['url'])}")
    if "tel" in fields:
        lines.append(f"TEL;TYPE=CELL:{vcard_value(fields['tel'])}")
    lines.extend(fields.get("extra", "").splitlines())
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode()


def page_token(client: FlaskClient) -> dict[str, str]:
    """The CSRF token of this client's session, as form data (empty when CSRF is off)."""
    token = csrf_token(client.get("/import").get_data(as_text=True))
    return {"csrf_token": token} if token else {}


def upload(client: FlaskClient, url: str, name: str, data: bytes, filename: str) -> Any:
    body = {**page_token(client), name: (io.BytesIO(data), filename)}
    return client.post(url, data=body, content_type="multipart/form-data")


def import_vcard(client: FlaskClient, data: bytes, *, confirm: bool) -> int:
    """Upload a vCard to /import (and confirm it): the draft's id."""
    response = upload(client, "/import", "file", data, "cards.vcf")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    draft_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    if confirm:
        body = {**page_token(client), "duplicates": "new"}
        confirmed = client.post(f"/import/{draft_id}/confirm", data=body)
        assert confirmed.status_code == 302
    return draft_id


def set_calendar_token(app: Flask, user: User, token: str) -> None:
    with write_transaction(app) as session:
        row = session.get(User, user.id)
        assert row is not None
        row.calendar_token = token


@dataclass
class Factories:
    make_contact: Callable[..., Any]
    make_event: Callable[..., Any]
    make_touchpoint: Callable[..., Any]
    make_referral: Callable[..., Any]


def populate(app: Flask, client: FlaskClient, user: User, make: Factories, tag: str) -> Owned:
    """Give a signed-in user one of every object there is (two where a page needs two)."""
    from tracker.models import ImportDraft, Tag

    event = make.make_event(owner=user, name=f"{tag} 交流会", place="東京", notes="メモ")
    first = make.make_contact(
        owner=user,
        family_name=f"{tag}山田",
        given_name="太郎",
        company=f"{tag}商事",
        tags=[f"{tag}顧問先"],
        origin_event_id=event.id,
        methods=[{"kind": "email", "value": f"{tag.lower()}@example.jp"}],
    )
    second = make.make_contact(owner=user, family_name=f"{tag}佐藤", given_name="花子")
    touchpoint = make.make_touchpoint([first, second], owner=user, summary="打ち合わせ")
    referral = make.make_referral(first, owner=user)
    picture = upload(client, f"/contacts/{first.id}/card-image", "image", tiny_png(), "card.png")
    assert picture.status_code == 302
    card = vcard(f"{tag}鈴木", "一郎", org=f"{tag}物産", email=f"{tag.lower()}.suzuki@example.jp")
    done = import_vcard(client, card, confirm=True)
    previewed = import_vcard(client, card, confirm=False)
    gone = make.make_contact(owner=user, family_name=f"{tag}削除", given_name="済")
    deleted = client.post(f"/contacts/{gone.id}/delete", data=page_token(client))
    assert deleted.status_code == 302
    token = f"{tag.lower()}-calendar-token-0123456789abcdef"
    set_calendar_token(app, user, token)
    with write_transaction(app) as session:
        tags = session.query(Tag).filter(Tag.user_id == user.id).order_by(Tag.id).all()
        plain = [t.id for t in tags if t.imported_at is None]
        batches = [t.id for t in tags if t.imported_at is not None]
        drafts = session.query(ImportDraft).filter(ImportDraft.user_id == user.id).all()
        assert {d.status for d in drafts} == {"done", "previewed"}
        assert session.get(type(first), first.id) is not None
    assert plain and batches
    trash = owned_ids(app, "trash_entries", user.id)
    with write_transaction(app) as session:
        api_token, _secret = create_token(session, user.id, f"{tag} phone")
    return Owned(
        user=user,
        ids={
            "contact": [first.id, second.id],
            "event": [event.id],
            "touchpoint": [touchpoint.id],
            "referral": [referral.id],
            "tag": [plain[0], batches[0]],
            "draft": [previewed, done],
            "trash entry": trash,
            "api token": [api_token.id],
        },
        calendar_token=token,
        contact_names=[f"{tag}山田", f"{tag}佐藤"],
    )


def owned_ids(app: Flask, table: str, user_id: int) -> list[int]:
    """The ids of a user's rows in a table (none when the table does not exist)."""
    engine = database(app).engine
    if table not in inspect(engine).get_table_names():
        return []
    with engine.connect() as connection:
        query = text(f'SELECT id FROM "{table}" WHERE user_id = :user ORDER BY id')
        return list(connection.execute(query, {"user": user_id}).scalars())


def form_bodies(forms: list[Form]) -> list[tuple[dict[str, Any], bool]]:
    """One body per form and submit button (buttons that only search are left out), and
    whether the form sends a file. With no form, one empty body."""
    bodies: list[tuple[dict[str, Any], bool]] = []
    for form in forms:
        buttons: list[Field | None] = [b for b in form.submits() if not b.name.startswith("find")]
        for button in buttons or [None]:
            bodies.append((form.body(button), bool(form.files())))
    return bodies or [({}, False)]


def send(client: FlaskClient, method: str, url: str, body: dict[str, Any], files: bool) -> Any:
    """Request a URL; a body goes as a form (multipart with a real PNG when it has a file)."""
    if method in ("GET", "HEAD", "OPTIONS"):
        return client.open(url, method=method)
    if files:
        data = {**body, "image": (io.BytesIO(tiny_png()), "card.png")}
        data["file"] = (io.BytesIO(vcard("Isolation", "Test")), "cards.vcf")
        return client.open(url, method=method, data=data, content_type="multipart/form-data")
    return client.open(url, method=method, data=body)


# ---------------------------------------------------------------------------------------
# Ownership: no row of one user may point at a row of another


def _owners(app: Flask) -> tuple[list[tuple[str, dict[str, Any], set[int]]], dict]:
    """Each row with the owners it touches: its own user_id and those of the rows its
    foreign keys point at (through the users table itself, excluded)."""
    from sqlalchemy import select

    from tracker.db import Base

    tables = [t for t in Base.metadata.sorted_tables if t.name != "users"]
    owner_of: dict[tuple[str, Any], int] = {}
    rows: list[tuple[str, dict[str, Any], set[int]]] = []
    with database(app).engine.connect() as connection:
        contents = {
            t.name: [dict(r._mapping) for r in connection.execute(select(t))] for t in tables
        }
    for table in tables:
        keys = list(table.primary_key.columns)
        if "user_id" in table.c and len(keys) == 1:
            for row in contents[table.name]:
                owner_of[(table.name, row[keys[0].name])] = row["user_id"]
    for table in tables:
        for row in contents[table.name]:
            owners = {row["user_id"]} if "user_id" in table.c else set()
            for column in table.c:
                for key in column.foreign_keys:
                    target = key.column.table.name
                    if target != "users" and row[column.name] is not None:
                        found = owner_of.get((target, row[column.name]))
                        if found is not None:
                            owners.add(found)
            rows.append((table.name, row, owners))
    return rows, owner_of


def cross_owner_rows(app: Flask) -> list[str]:
    """Rows that belong to one user and point at another user's row."""
    rows, _ = _owners(app)
    return [f"{table}: {row}" for table, row, owners in rows if len(owners) > 1]


def rows_of(app: Flask, user_id: int) -> list[str]:
    """Every row (but the users row) that belongs to this user, as sorted text."""
    rows, _ = _owners(app)
    return sorted(f"{table}: {sorted(row.items())!r}" for table, row, o in rows if user_id in o)


def submit_form(client: FlaskClient, page: str, action: str | None = None, **overrides: Any) -> Any:
    """Open a page, fill its POST form (the one sent to ``action``, else to the page) as a
    browser would, change some fields, press its first button that is not a search, and
    follow the redirect."""
    target = urlsplit(action or page).path
    html = client.get(page).get_data(as_text=True)
    forms = [form for form in post_forms(html) if form.path(page) == target]
    assert forms, f"no form sent to {target} on {page}"
    form = forms[0]
    button = next((b for b in form.submits() if not b.name.startswith("find")), None)
    body = {**form.body(button), **overrides}
    return client.post(form.action or page, data=body, follow_redirects=True)


KIND_TABLES = {
    "contact": "contacts",
    "touchpoint": "touchpoints",
    "event": "events",
    "referral": "referrals",
    "tag": "tags",
    "draft": "import_drafts",
    "trash entry": "trash_entries",
    "api token": "api_tokens",
}


def all_owned(app: Flask, user: User) -> Owned:
    """Every row id the user has, by kind (for walking pages over all of them)."""
    ids = {kind: owned_ids(app, table, user.id) for kind, table in KIND_TABLES.items()}
    return Owned(user=user, ids=ids)
