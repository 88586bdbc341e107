"""Security of the routes, found by walking app.url_map (so new routes are covered too):

- isolation: another user's object is 404 for every method of every id route, and
  nothing in the database changes; ids of another user in form fields are refused;
- CSRF: every write route refuses a POST without the token, signed in and out;
- no GET changes the database, signed in and out;
- the security headers on every response, and no inline script or style in templates.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security_support import (
    ID_KINDS,
    OTHER_VARIABLES,
    QUERY_ARGS,
    SKIPPED_ENDPOINTS,
    TEMPLATES,
    WRITE_METHODS,
    Factories,
    Form,
    Owned,
    app_rules,
    changes,
    cross_owner_rows,
    dump,
    form_bodies,
    harvest,
    id_variables,
    methods,
    populate,
    rows_of,
    rule_app,
    rule_id,
    send,
    sign_in,
    unknown_variables,
    urls,
)

RULES = app_rules(rule_app())
ID_RULES = [rule for rule in RULES if id_variables(rule)]
GET_RULES = [rule for rule in RULES if "GET" in methods(rule)]
WRITE_RULES = [rule for rule in RULES if WRITE_METHODS & set(methods(rule))]


def _cases(rules: list[Rule]) -> list[Any]:
    return [pytest.param(rule, id=rule_id(rule)) for rule in rules]


@dataclass
class Account:
    client: FlaskClient
    owned: Owned
    _forms: dict[str, list[Form]] | None = None

    @property
    def forms(self) -> dict[str, list[Form]]:
        """The POST forms of every page this user can open, by where they are sent."""
        if self._forms is None:
            pages = [url for rule in GET_RULES for url in urls(rule, self.owned)]
            self._forms = harvest(self.client, pages)
        return self._forms


@pytest.fixture
def factories(make_contact, make_event, make_touchpoint, make_referral) -> Factories:
    return Factories(make_contact, make_event, make_touchpoint, make_referral)


def _account(app: Flask, make_user, factories: Factories, tag: str) -> Account:
    user = make_user(display_name=f"User {tag}")
    client = app.test_client()
    sign_in(client, user)
    return Account(client, populate(app, client, user, factories, tag))


@pytest.fixture
def accounts(app, make_user, factories) -> tuple[Account, Account]:
    """User A (the victim) and user B (the attacker), each with one of every object."""
    return _account(app, make_user, factories, "Alpha"), _account(
        app, make_user, factories, "Bravo"
    )


# ---------------------------------------------------------------------------------------
# 1. Isolation


def test_every_id_variable_is_known():
    """A new route whose URL names a row must be added to ID_KINDS (and its objects made),
    so that it cannot slip past the isolation walk."""
    unknown = {rule_id(rule): unknown_variables(rule) for rule in RULES if unknown_variables(rule)}
    assert not unknown, f"add these URL variables to ID_KINDS or OTHER_VARIABLES: {unknown}"
    assert {name for rule in ID_RULES for name in id_variables(rule)} <= set(ID_KINDS)
    assert not set(ID_KINDS) & set(OTHER_VARIABLES)
    assert len(ID_RULES) >= 20


def _cross_account(rule: Rule, victim: Account, attacker: Account, app: Flask):
    """Request the rule with every method, as the attacker, on each of the victim's objects:
    (requests tried, the problems: anything but a 404, or any change in the database)."""
    tried, problems = 0, []
    for url in urls(rule, victim.owned):
        for method in methods(rule):
            forms = victim.forms.get(urlsplit(url).path, [])
            bodies = form_bodies(forms) if method in WRITE_METHODS else [({}, False)]
            for body, files in bodies:
                before = dump(app)
                response = send(attacker.client, method, url, body, files)
                tried += 1
                changed = changes(before, dump(app))
                if response.status_code != 404 or changed:
                    problems.append((method, url, body, response.status_code, changed))
    return tried, problems


@pytest.mark.parametrize("rule", _cases(ID_RULES))
def test_another_users_object_is_404_for_every_method(rule, accounts, app):
    victim, attacker = accounts
    tried, problems = _cross_account(rule, victim, attacker, app)
    assert tried >= len(methods(rule))
    assert not problems


def test_the_isolation_walk_covers_every_id_route(accounts, app):
    """The whole walk at once: its figures, and exactly the known bugs let anything through."""
    victim, attacker = accounts
    before = dump(app)
    total, leaking = 0, set()
    for rule in ID_RULES:
        tried, problems = _cross_account(rule, victim, attacker, app)
        total += tried
        if problems:
            leaking.add(rule_id(rule))
    floor = sum(len(methods(rule)) for rule in ID_RULES)
    print(
        f"\nisolation: {len(ID_RULES)} id routes walked, {total} cross-account requests tried "
        f"(at least {floor}), {len(leaking)} routes let one through: {sorted(leaking)}"
    )
    assert total >= floor
    assert leaking == set()
    assert not changes(before, dump(app))
    assert not cross_owner_rows(app)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_merging_with_another_users_contact_is_404(accounts, app, method):
    victim, attacker = accounts
    mine, theirs = attacker.owned.first("contact"), victim.owned.first("contact")
    before = dump(app)
    for keep, drop in [(theirs, mine), (mine, theirs), (theirs, victim.owned.ids["contact"][1])]:
        url = f"/contacts/merge?keep={keep}&drop={drop}"
        response = attacker.client.open(url, method=method, data={"keep": keep, "drop": drop})
        assert response.status_code == 404, url
    assert not changes(before, dump(app))


def test_lookup_finds_nothing_of_another_user(accounts):
    victim, attacker = accounts
    for name in victim.owned.contact_names:
        response = attacker.client.get("/contacts/lookup", query_string={"q": name})
        assert response.status_code == 200
        assert response.get_json() == []
    own = attacker.client.get("/contacts/lookup", query_string={"q": "Bravo"}).get_json()
    assert own and all("Alpha" not in item["label"] for item in own)  # the lookup does work


ID_WORDS = {
    "contact": "contact",
    "introduced_by": "contact",
    "event": "event",
    "tag": "tag",
    "touchpoint": "touchpoint",
    "referral": "referral",
    "draft": "draft",
    "entry": "trash entry",
}


def _id_fields(form: Form) -> dict[str, list[str]]:
    """The choice fields of a form that may hold a row id, with the kinds of row to try:
    by the field's name, else every kind when its choices are numbers."""
    found: dict[str, list[str]] = {}
    for item in form.fields:
        if item.kind not in ("select", "select-multiple", "radio", "checkbox"):
            continue
        kinds = [kind for word, kind in ID_WORDS.items() if word in item.name]
        if not kinds and any(v.isdigit() for v in [*item.options, item.value]):
            kinds = sorted(set(ID_KINDS.values()))
        if kinds:
            found[item.name] = kinds
    return found


def test_ids_of_another_user_in_form_fields_are_refused(accounts, app):
    """B's own forms, with A's ids put into the pickers (event, contacts, introducer…):
    nothing of B's may point at A's rows afterwards, and A's rows do not change."""
    victim, attacker = accounts
    a_rows = rows_of(app, victim.owned.user.id)
    tried = 0
    for path, forms in attacker.forms.items():
        for form in forms:
            for name, kinds in _id_fields(form).items():
                for kind in kinds:
                    for their_id in victim.owned.ids.get(kind, []):
                        for body, files in form_bodies([form]):
                            body = {**body, name: str(their_id)}
                            response = send(attacker.client, "POST", path, body, files)
                            assert response.status_code < 500, (path, name, their_id)
                            tried += 1
    print(f"\nids of another user in form fields: {tried} posts")
    assert tried >= 10
    assert not cross_owner_rows(app)
    assert rows_of(app, victim.owned.user.id) == a_rows


def test_the_isolation_walk_can_fail(accounts, app, monkeypatch):
    """The walker notices when the one owner check lets another user's row through (here
    on the events' routes)."""
    from tracker.services import ownership

    monkeypatch.setattr(ownership, "belongs", lambda _row, _user_id: True)
    victim, attacker = accounts
    rules = [rule for rule in ID_RULES if rule.endpoint.startswith("events.")]
    rules.sort(key=lambda rule: "delete" in rule.rule)  # the event must live until the end
    found = [_cross_account(rule, victim, attacker, app)[1] for rule in rules]
    assert len(rules) >= 3 and all(found)
    assert any(changed for problems in found for *_rest, changed in problems)


# ---------------------------------------------------------------------------------------
# 2. CSRF on every write route; no GET writes


@pytest.fixture
def account(app, make_user, factories) -> Account:
    return _account(app, make_user, factories, "Alpha")


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("signed", ["signed in", "signed out"])
    def test_every_write_route_refuses_a_post_without_the_token(self, account, app, signed):
        client = account.client if signed == "signed in" else app.test_client()
        before = dump(app)
        sent, refused, wrong = 0, 0, []
        for rule in WRITE_RULES:
            for url in urls(rule, account.owned, every=False):
                for method in sorted(WRITE_METHODS & set(methods(rule))):
                    forms = account.forms.get(urlsplit(url).path, [])
                    for body, files in form_bodies(forms):
                        body = {k: v for k, v in body.items() if not k.endswith("csrf_token")}
                        response = send(client, method, url, body, files)
                        sent += 1
                        if response.status_code == 400:
                            refused += 1
                        else:
                            wrong.append((method, url, response.status_code))
        print(f"\nCSRF ({signed}): {refused}/{sent} posts without a token refused")
        assert sent >= len(WRITE_RULES)
        assert not wrong
        assert not changes(before, dump(app))

    def test_a_post_with_the_token_is_accepted(self, account, app):
        """The refusals above are about the token: with it, the same kind of post works."""
        client = account.client
        page = client.get("/events/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token
        response = client.post("/events/new", data={"name": "x", "csrf_token": token.group(1)})
        assert response.status_code == 302

    @pytest.mark.parametrize("signed", ["signed in", "signed out"])
    def test_no_get_changes_the_database(self, account, app, signed):
        client = account.client if signed == "signed in" else app.test_client()
        before = dump(app)
        crawled, statuses = 0, {}
        for rule in GET_RULES:
            for url in urls(rule, account.owned):
                response = client.get(url)
                crawled += 1
                statuses[url] = response.status_code
                assert not changes(before, dump(app)), url
                assert response.status_code < 500, url
        print(
            f"\nGET crawl ({signed}): {len(GET_RULES)} GET routes, {crawled} pages; "
            f"skipped: {SKIPPED_ENDPOINTS}"
        )
        assert crawled >= len(GET_RULES)
        if signed == "signed in":  # the pages really rendered, with the user's objects
            assert sum(code == 200 for code in statuses.values()) >= len(GET_RULES) - 3


# ---------------------------------------------------------------------------------------
# 3. Headers on every response; no inline script or style


def _csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response, *, signed_in: bool) -> list[str]:
    problems = []
    csp = _csp(response.headers.get("Content-Security-Policy", ""))
    for directive, value in (
        ("default-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("frame-ancestors", "'none'"),
    ):
        if value not in csp.get(directive, []):
            problems.append(f"CSP {directive} {value}")
    scripts = csp.get("script-src", csp.get("default-src", []))
    for sources in (scripts, csp.get("script-src-elem", []), csp.get("script-src-attr", [])):
        if "'unsafe-inline'" in sources:
            problems.append("CSP allows inline script")
    if response.headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options")
    if not response.headers.get("Referrer-Policy"):
        problems.append("Referrer-Policy")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append("Cache-Control no-store")
    return problems


HEADER_CASES = [
    *[(rule_id(rule), state) for rule in GET_RULES for state in ("signed in", "signed out")],
    *[(error, state) for error in ("404", "405", "413", "csrf 400") for state in ("signed in",)],
    *[(error, "signed out") for error in ("404", "405", "413", "csrf 400")],
]


def _header_case(case: tuple[str, str]) -> Any:
    return pytest.param(*case, id=f"{case[0]}-{case[1]}")


def _error_response(client: FlaskClient, app: Flask, error: str):
    if error == "404":
        return client.get("/no/such/page")
    if error == "405":
        return client.put("/contacts")
    if error == "413":
        size = app.config["MAX_CONTENT_LENGTH"] + 1
        return client.post(
            "/login", data=b"x" * size, content_type="application/x-www-form-urlencoded"
        )
    return client.post("/logout")  # no CSRF token


class TestHeaders:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(("target", "state"), [_header_case(c) for c in HEADER_CASES])
    def test_every_response_has_the_security_headers(self, app, user, factories, target, state):
        client = app.test_client()
        if state == "signed in":
            sign_in(client, user)
        if target[0].isdigit() or target.startswith("csrf"):
            response = _error_response(client, app, target)
            assert response.status_code == int(target.split()[-1])
        else:
            (rule,) = [rule for rule in GET_RULES if rule_id(rule) == target]
            if state == "signed in" and (rule.arguments or rule.endpoint in QUERY_ARGS):
                owned = populate(app, client, user, factories, "Headers")
                url = urls(rule, owned, every=False)[0]
            else:
                url = _some_url(rule)
            response = client.get(url)
        assert header_problems(response, signed_in=state == "signed in") == []


def _some_url(rule: Rule) -> str:
    """The rule's URL with made-up variables (signed out, it is a redirect or a 404)."""
    values: dict[str, Any] = {name: 1 for name in id_variables(rule)}
    if "token" in rule.arguments:
        values["token"] = "not-a-token-but-long-enough-0123456789"
    built = rule.build(values, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def test_header_check_can_fail():
    """header_problems finds what is missing (a response without any of the headers)."""

    class Bare:
        headers: dict[str, str] = {}  # noqa: RUF012

    assert len(header_problems(Bare(), signed_in=True)) == 7


INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script\s*>", re.S | re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["'{]""", re.I)
HANDLER_ATTRIBUTE = re.compile(r"""\son[a-z]{3,}\s*=\s*["'{]""", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def template_problems(source: str) -> list[str]:
    problems = [
        f"inline script: {m.group(0)[:80]}"
        for m in INLINE_SCRIPT.finditer(source)
        if m["body"].strip()
    ]
    for pattern, what in (
        (STYLE_ELEMENT, "style element"),
        (STYLE_ATTRIBUTE, "style attribute"),
        (HANDLER_ATTRIBUTE, "event handler attribute"),
        (JS_URL, "javascript: URL"),
    ):
        problems.extend(f"{what}: {m.group(0)}" for m in pattern.finditer(source))
    return problems


# The morning mail's HTML is read in mail programs, not served under the CSP: they drop style
# elements, so its styles are inline attributes (tests/test_mail_digest.py checks the rest).
INLINE_STYLE_ALLOWED = {"mail/digest.html"}


def test_no_template_has_inline_script_style_or_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) >= 20
    found = {
        name: [
            problem
            for problem in template_problems(path.read_text(encoding="utf-8"))
            if not (name in INLINE_STYLE_ALLOWED and problem.startswith("style attribute"))
        ]
        for path in templates
        for name in [str(path.relative_to(TEMPLATES))]
    }
    assert {name: p for name, p in found.items() if p} == {}


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        '<button onclick="go()">',
        "<style>p {}</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_template_scan_can_fail(source):
    assert template_problems(source)
    assert not template_problems('<script src="/static/app.js" defer></script><p>on=1</p>')


def test_the_dump_sees_every_change(account, app):
    """The database comparison the walks rely on notices a one-byte change anywhere."""
    from sqlalchemy import text

    from tracker.db import database, write_connection

    before = dump(app)
    engine = database(app).engine
    appended = (
        "data || '\\x00'::bytea"
        if engine.dialect.name == "postgresql"
        else "CAST(data || x'00' AS BLOB)"
    )
    with write_connection(engine) as connection:
        connection.execute(text(f"UPDATE card_images SET data = {appended}"))
    assert set(changes(before, dump(app))) == {"card_images"}
