"""Output escaping: hostile text stored in every text field the app has, through its own
forms and its vCard import, then every page rendered (walking app.url_map over the rows
that hold it, plus searches with it as the query): it never comes out as markup, a
template never evaluates it, and it never becomes a javascript: link."""

import json
import re
import zlib
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.security_support import (
    QUERY_ARGS,
    Owned,
    all_owned,
    app_rules,
    import_vcard,
    methods,
    page_token,
    rule_app,
    set_calendar_token,
    submit_form,
    urls,
    variables,
    vcard,
    vcard_value,
)
from tracker.db import write_transaction
from tracker.services.tokens import create_token

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{7*7}}",
    "{{ config }}",
    "{% raw %}{{ config }}{% endraw %}",
    "{{ ''.__class__.__mro__ }}{% print 7*7 %}",
    "</textarea><script>alert(1)</script>",
    "</title><style>*{}</style><!--",
]
URL_PAYLOADS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)"]
SPECIAL = set("<>\"'&")
GET_RULES = [rule for rule in app_rules(rule_app()) if "GET" in methods(rule)]

# Fields whose value only comes back in the form that refused it (an invalid cadence is
# not saved): they are checked on that response, not looked for on the other pages.
REFUSED_FIELDS = {"contact cadence", "tag cadence"}
# Request headers of a login: checked wherever they come out, but no page has to show them
# (the security log shows the socket's address, not a forwarded one).
HEADER_FIELDS = {"user agent", "forwarded for"}


def marker(field: str, index: int) -> str:
    """A short tag put before the payload, naming the field, to find where it came out."""
    return f"m{zlib.crc32(field.encode()) % 10**6:06d}x{index}q"


class Stored:
    """The values stored for one payload: field name -> value (marker + payload)."""

    def __init__(self, index: int, payload: str) -> None:
        self.index, self.payload = index, payload
        self.values: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        value = marker(field, self.index) + self.payload
        self.values[field] = value
        return value


class _Dom(HTMLParser):
    """What a browser would run or follow: handlers, scripts, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script src={src!r}>")
            self._script = True
        if tag in ("style", "iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.problems.append(f"script body {data[:40]!r}")


def page_problems(html: str, stored: Stored, secret: str) -> list[str]:
    """Everything wrong with one page for one payload."""
    problems = []
    if SPECIAL & set(stored.payload) and stored.payload in html:
        problems.append(f"raw payload {stored.payload!r}")
    for value in stored.values.values():
        if SPECIAL & set(value) and value in html:
            problems.append(f"raw value {value!r}")
    for field in stored.values:
        if marker(field, stored.index) + "49" in html:
            problems.append(f"{field}: a template evaluated the payload")
    for leaked in ("&lt;Config", "<Config", "&lt;class", "<class", secret):
        if leaked in html:
            problems.append(f"template output {leaked!r}")
    dom = _Dom()
    dom.feed(html)
    dom.close()
    return problems + dom.problems


def _id_from(response: Any, prefix: str) -> int:
    found = re.search(rf"{prefix}/(\d+)", response.request.path)
    assert found, (response.request.path, response.get_data(as_text=True)[:300])
    return int(found.group(1))


def store_everywhere(app: Flask, client: FlaskClient, user: Any, s: Stored) -> list[str]:
    """Put the payload in every text field, through the forms and the import; returns
    the HTML of the responses to those posts (forms shown again, flashed messages)."""
    seen: list[str] = []

    def post(page: str, action: str | None = None, **fields: Any) -> Any:
        response = submit_form(client, page, action, **fields)
        assert response.status_code == 200, (page, response.status_code)
        seen.append(response.get_data(as_text=True))
        return response

    post("/settings", display_name=s("display name"))
    event = _id_from(
        post("/events/new", name=s("event name"), place=s("event place"), notes=s("event notes")),
        "/events",
    )
    introducer = _id_from(
        post("/contacts/new", family_name=s("introducer"), given_name=s("introducer given")),
        "/contacts",
    )
    methods_: dict[str, str] = {}
    kinds = ["email", "phone", "address", "url", "url", *["url"] * len(URL_PAYLOADS)]
    values = [
        s("email"),
        s("phone"),
        s("address"),
        s("url"),
        "https://example.jp/" + s("url path"),
        *URL_PAYLOADS,
    ]
    for i, (kind, value) in enumerate(zip(kinds, values, strict=True)):
        methods_ |= {
            f"methods-{i}-kind": kind,
            f"methods-{i}-value": value,
            f"methods-{i}-label": s(f"label {i}"),
        }
    contact = _id_from(
        post(
            "/contacts/new",
            family_name=s("family name"),
            given_name=s("given name"),
            family_reading=s("family reading"),
            given_reading=s("given reading"),
            company=s("company"),
            department=s("department"),
            title=s("title"),
            expertise=s("expertise"),
            notes=s("notes"),
            tags=s("tag"),
            origin_note=s("origin note"),
            origin_event=str(event),
            introduced_by=str(introducer),
            **methods_,
        ),
        "/contacts",
    )
    refused = post(f"/contacts/{contact}/edit", cadence=s("contact cadence"))
    assert "cadence" in refused.get_data(as_text=True).lower()
    post(
        "/touchpoints/new",
        contacts=[str(contact), str(introducer)],
        summary=s("touchpoint summary"),
        notes=s("touchpoint notes"),
        event=str(event),
    )
    post(
        f"/referrals/new?contact={contact}",
        direction="introduction",
        other_contact=str(introducer),
        subject=s("referral subject"),
        notes=s("referral notes"),
    )
    post(
        "/cards/new",
        family_name=s("card name"),
        company=s("card company"),
        new_event=s("card new event"),
        talked_about=s("card talked about"),
        follow_up_on="2026-12-01",
    )
    tags = client.get("/tags").get_data(as_text=True)
    for tag_id in sorted(set(re.findall(r'action="/tags/(\d+)"', tags))):
        post("/tags", f"/tags/{tag_id}", **{f"tag{tag_id}-cadence": s("tag cadence")})
    # Trash and the security log: one contact deleted and restored, one left in the trash.
    for field in ("restored", "trashed"):
        gone = _id_from(post("/contacts/new", family_name=s(field)), "/contacts")
        post(f"/contacts/{gone}/delete")
    trash = client.get("/trash").get_data(as_text=True)
    first_entry = re.search(r'action="(/trash/\d+/restore)"', trash)
    assert first_entry
    post("/trash", first_entry.group(1))
    # The import: names and fields from a vCard, previewed, then imported.
    card = vcard(
        s("vcard family"),
        s("vcard given"),
        org=s("vcard org"),
        title=s("vcard title"),
        note=s("vcard note"),
        categories=s("vcard category"),
        email=s("vcard email"),
        url=URL_PAYLOADS[0],
        extra=(
            f"URL:https://example.jp/{vcard_value(s('vcard url'))}\r\n"
            f"ADR:;;{vcard_value(s('vcard address'))};;;;"
        ),
    )
    import_vcard(client, card, confirm=False)
    import_vcard(client, card, confirm=True)
    # A second session signed in with a hostile browser name and forwarded address.
    other = app.test_client()
    other.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, **page_token(other)},
        headers={"User-Agent": s("user agent"), "X-Forwarded-For": s("forwarded for")[:40]},
    )
    set_calendar_token(app, user, "calendar-token-for-escaping-0123456789")
    # A token for phone sync, named with the payload (Settings and its revoke page show it).
    with write_transaction(app) as session:
        create_token(session, user.id, s("token name")[:100])
    return seen


def pages_to_render(owned: Owned, s: Stored) -> list[str]:
    """Every GET page over every row of the user, and each page without variables again
    with the payload in the query string (searches, filters, next=…)."""
    pages = []
    hostile = {"q": s.payload, "next": s.payload, "contact": s.payload, "event": s.payload}
    for rule in GET_RULES:
        pages.extend(urls(rule, owned))
        if not variables(rule) and rule.endpoint not in QUERY_ARGS:
            pages.append(f"{rule.rule}?{'&'.join(f'{k}={quote(v)}' for k, v in hostile.items())}")
    pages.append(f"/contacts?q={quote(s.values['family name'])}")
    pages.append(f"/help?q={quote(s.values['expertise'])}")
    pages.append("/nothing/here/" + quote(s.payload, safe=""))
    return pages


@pytest.mark.parametrize(("index", "payload"), list(enumerate(PAYLOADS)))
def test_stored_text_is_escaped_on_every_page(app, signed_in, user, index, payload, capsys):
    s = Stored(index, payload)
    seen_after_posts = store_everywhere(app, signed_in, user, s)
    owned = all_owned(app, user)
    owned.contact_names = [s.values["family name"]]
    secret = app.config["SECRET_KEY"]

    checked, shown, fields_seen, problems = 0, 0, set(), {}
    rendered = [(f"POST #{i}", html) for i, html in enumerate(seen_after_posts)]
    for page in pages_to_render(owned, s):
        response = signed_in.get(page)
        assert response.status_code < 500, page
        if response.mimetype == "text/html":
            rendered.append((page, response.get_data(as_text=True)))
    for page, html in rendered:
        checked += 1
        here = {field for field, value in s.values.items() if marker(field, index) in html}
        fields_seen |= here
        shown += bool(here)
        found = page_problems(html, s, secret)
        if found:
            problems[page] = found
    with capsys.disabled():
        print(f"\nescaping {payload!r}: {checked} pages checked, payload shown on {shown}")
    assert not problems
    assert shown >= 30
    assert set(s.values) - fields_seen <= REFUSED_FIELDS | HEADER_FIELDS


@pytest.mark.parametrize(("index", "payload"), list(enumerate(PAYLOADS)))
def test_lookup_returns_the_payload_as_json_text(signed_in, make_contact, index, payload):
    name = marker("lookup", index) + payload
    make_contact(family_name=name, given_name="", company=payload)
    response = signed_in.get("/contacts/lookup", query_string={"q": marker("lookup", index)})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    (item,) = response.get_json()
    assert item["label"] == f"{name} ({payload})"
    body = response.get_data(as_text=True)
    assert json.loads(body) == [item]
    assert json.dumps(payload, ensure_ascii=False)[1:-1] in body  # quotes escaped by JSON
    if '"' in payload:
        assert re.search(r'(?<!\\)"><', body) is None


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<input value=""><img src=x onerror=alert(1)>">',
        "<input value='' onmouseover='alert(1)'>",
        '<a href=" JavaScript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<p>{m}49</p>",
        "<p>&lt;Config {{'DEBUG': False}}&gt;</p>",
        "<p>the-secret-key</p>",
    ],
)
def test_the_page_check_can_fail(html):
    s = Stored(5, "{{7*7}}")
    s("x")
    page = html.format(m=marker("x", 5))
    assert page_problems(page, s, "the-secret-key")
    assert not page_problems(f"<p>{s.values['x']}</p>", s, "the-secret-key")
