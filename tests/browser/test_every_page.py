"""Every page, in both languages, at 375 and 1280 px: axe-core finds no serious or critical
violation, the page has one h1, nothing scrolls sideways, every tap target is at least 44 px,
and a screenshot is saved for a person to look at.

The pages come from the app's url_map, so a new page is covered as soon as it exists.
"""

import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.conftest import HASH_METHOD, PASSWORD, TODAY, stored, upload_import
from tracker.db import write_transaction
from tracker.models import ImportDraft, Tag, TrashEntry, User
from tracker.services.calendar import new_token
from tracker.services.contacts import ContactData, MethodData, create_contact, delete_contact
from tracker.services.events import EventData, create_event
from tracker.services.referrals import ReferralData, create_referral
from tracker.services.tokens import create_token
from tracker.services.touchpoints import TouchpointData, create_touchpoint

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)
# Not HTML pages: a feed, a picture, JSON, files served as they are.
NOT_PAGES = {
    "static",
    "calendar.ics",
    "contacts.card_image",
    "contacts.lookup_json",
    "events.series_suggestion",  # JSON for the event form's script
    "cards.duplicates",
    "cards.photo",
}
# Programs' endpoints (the JSON API, its document, CardDAV): no HTML pages.
MACHINE_BLUEPRINTS = ("api.", "api-docs.", "carddav.")
# Pages that need query arguments: visited with them, below.
QUERY_PAGES = {"contacts.merge_view"}
SEVERE = {"serious", "critical"}
TAP_TARGETS = """
() => {
  const small = [];
  const seen = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  for (const el of document.querySelectorAll('a, button, select, input, textarea, summary')) {
    if (!seen(el) || el.type === 'hidden' || el.closest('.default-submit, .skip-link')) continue;
    let box = el.getBoundingClientRect();
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label');
      if (label) box = label.getBoundingClientRect();
    }
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      // A link inside a sentence is exempt (WCAG 2.5.8); one standing alone is not.
      const parentText = el.parentElement.textContent.replace(/\\s+/g, '');
      if (parentText.length > el.textContent.replace(/\\s+/g, '').length) continue;
    }
    if (el.closest('svg')) continue;  // the network picture's names have a list in words below
    if (box.height < 44 - 0.5) small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(box.height)}px`);
  }
  return small;
}
"""


def populate(app, user: User) -> dict[str, Any]:
    """One of everything, with Japanese and Western names, for the pages to show."""
    ids: dict[str, Any] = {}
    with write_transaction(app) as session:
        event = create_event(
            session,
            user.id,
            EventData(name="府中 異業種交流会", held_on=date(2026, 5, 20), place="府中市"),
        )
        yamada = create_contact(
            session,
            user.id,
            ContactData(
                family_name="山田",
                given_name="太郎",
                family_reading="やまだ",
                given_reading="たろう",
                company="山田法律事務所",
                title="弁護士",
                expertise="相続、事業承継",
                notes="犬を飼っている",
                stage="trusted",
                tags=["士業"],
                origin_event_id=event.id,
                methods=[
                    MethodData("email", "taro@example.jp", "work"),
                    MethodData("phone", "090-0000-0000", "携帯"),
                ],
            ),
            TODAY,
        )
        smith = create_contact(
            session,
            user.id,
            ContactData(
                family_name="Smith",
                given_name="Jane",
                company="Smith Design",
                introduced_by_id=yamada.id,
            ),
            TODAY,
        )
        twin = create_contact(
            session,
            user.id,
            ContactData(family_name="山田", given_name="太郎", company="山田法律事務所"),
            TODAY,
        )
        gone = create_contact(
            session, user.id, ContactData(family_name="削除", given_name="済"), TODAY
        )
        for back, kind in [
            (200, "card_exchange"),
            (120, "meal"),
            (60, "worked_together"),
            (3, "consulted_them"),
        ]:
            touchpoint = create_touchpoint(
                session,
                user.id,
                TouchpointData(
                    occurred_on=TODAY - timedelta(days=back),
                    kind=kind,
                    contact_ids=[yamada.id, smith.id],
                    summary="打ち合わせ",
                    follow_up_on=TODAY + timedelta(days=3),
                ),
                TODAY,
            )
        referral = create_referral(
            session,
            user.id,
            ReferralData(
                referred_on=TODAY - timedelta(days=30),
                direction="given",
                contact_id=yamada.id,
                subject="顧問先",
            ),
            TODAY,
        )
        create_referral(
            session,
            user.id,
            ReferralData(
                referred_on=TODAY - timedelta(days=10),
                direction="introduction",
                contact_id=yamada.id,
                other_contact_id=smith.id,
            ),
            TODAY,
        )
        delete_contact(session, user.id, gone.id, TODAY)
        stored(session, User, user.id).calendar_token = new_token()
        token, _secret = create_token(session, user.id, "iPhone")
        tag = session.scalars(select(Tag).limit(1)).one()
        ids.update(
            token=token.id,
            contact=yamada.id,
            event=event.id,
            touchpoint=touchpoint.id,
            referral=referral.id,
            tag=tag.id,
            twin=twin.id,
            smith=smith.id,
        )
    return ids


def fill_ids(client, app, ids: dict[str, Any]) -> dict[str, Any]:
    """Ids only the web flow makes: an import draft, an import batch, a trash entry."""
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:佐藤;花子;;;\r\nFN:佐藤 花子\r\nORG:佐藤商店\r\nEMAIL:hanako@example.jp\r\nEND:VCARD\r\n"
    done = upload_import(client, vcard, "a.vcf").location
    client.post(done + "/confirm", data={"duplicates": "merge"})
    preview = upload_import(client, vcard, "b.vcf").location
    client.post(
        f"/contacts/{ids['contact']}/card-image",
        data={"image": (io.BytesIO(PNG), "c.png"), "save": "1"},
        content_type="multipart/form-data",
    )
    with write_transaction(app) as session:
        drafts = session.scalars(select(ImportDraft).order_by(ImportDraft.id)).all()
        batch = session.scalars(select(Tag).where(Tag.imported_at.is_not(None))).one()
        entry = session.scalars(select(TrashEntry).limit(1)).one()
    assert preview
    return {
        **ids,
        "draft": drafts[-1].id,
        "done_draft": drafts[0].id,
        "batch": batch.id,
        "entry": entry.id,
    }


def pages(app, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, path) of every HTML page a person can open with a GET."""
    by_variable = {
        "contact_id": ids["contact"],
        "event_id": ids["event"],
        "touchpoint_id": ids["touchpoint"],
        "referral_id": ids["referral"],
        "tag_id": ids["batch"],
        "draft_id": ids["draft"],
        "entry_id": ids["entry"],
        "token_id": ids["token"],
    }
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if (
            "GET" not in rule.methods
            or rule.endpoint in NOT_PAGES | QUERY_PAGES
            or rule.endpoint.startswith("auth.")
            or rule.endpoint.startswith(MACHINE_BLUEPRINTS)
        ):
            continue
        unknown = set(rule.arguments) - set(by_variable)
        assert not unknown, f"{rule.rule}: give the walker an id for {unknown}"
        path = rule.rule
        for variable in rule.arguments:
            path = path.replace(f"<int:{variable}>", str(by_variable[variable]))
        found.append((rule.endpoint, path))
    found += [
        ("transfer.draft-done", f"/import/{ids['done_draft']}"),
        ("contacts.merge", f"/contacts/merge?keep={ids['contact']}&drop={ids['twin']}"),
        ("contacts.search", "/contacts?q=やまだ&stage=trusted"),
        ("review.helpers-query", "/help?q=相続"),
        ("errors.404", "/no-such-page"),
    ]
    return found


def check(
    page: Page, axe: Axe, name: str, language: str, width_name: str, problems: list[str]
) -> None:
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SEVERE:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{name} [{language} {width_name}] axe {violation['id']}: {targets}")
    if page.locator("h1").count() != 1:
        problems.append(f"{name} [{language} {width_name}] has {page.locator('h1').count()} h1")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name} [{language} {width_name}] scrolls sideways by {overflow}px")
    for small in page.evaluate(TAP_TARGETS):
        problems.append(f"{name} [{language} {width_name}] small tap target: {small}")
    if page.locator(".quick-card").count() != 1 and not name.startswith("auth"):
        problems.append(f"{name} [{language} {width_name}] has no one-tap card button")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_page_is_accessible_and_fits_a_phone(browser: Browser, live_server, language) -> None:
    context = browser.new_context(locale={"ja": "ja-JP", "en": "en-US"}[language])
    try:
        walk(context.new_page(), live_server, language)
    finally:
        context.close()


def walk(page: Page, live_server, language: str) -> None:
    app = live_server.app
    client = app.test_client()
    with write_transaction(app) as session:
        user = User(
            email="walker@example.jp",
            password_hash=generate_password_hash(PASSWORD, HASH_METHOD),
            language=language,
            display_name="天野",
        )
        session.add(user)
    from tests.conftest import log_in

    log_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = False  # only while the test client sets the scene
    ids = fill_ids(client, app, populate(app, user))
    app.config["WTF_CSRF_ENABLED"] = True
    axe = Axe()
    problems: list[str] = []
    base = live_server.url
    # Signed out first: the login page, in the browser's language.
    page.goto(base + "/login")
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        check(page, axe, "auth.login", language, width_name, problems)
        page.screenshot(
            path=str(ARTIFACTS / f"all-auth.login-{language}-{width_name}.png"), full_page=True
        )
    page.get_by_label("メールアドレス" if language == "ja" else "Email address").fill(user.email)
    page.get_by_label("パスワード" if language == "ja" else "Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="ログイン" if language == "ja" else "Log in").click()
    walked = pages(app, ids)
    for name, path in walked:
        response = page.goto(base + path)
        assert response is not None
        expected = 404 if name.startswith("errors") else 200
        assert response.status == expected, f"{path}: {response.status}"
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            check(page, axe, name, language, width_name, problems)
            page.screenshot(
                path=str(ARTIFACTS / f"all-{name}-{language}-{width_name}.png"), full_page=True
            )
    report = ARTIFACTS / f"accessibility-{language}.json"
    report.write_text(
        json.dumps({"pages": len(walked) + 1, "problems": problems}, ensure_ascii=False, indent=1)
    )
    print(f"\n{len(walked) + 1} pages × 2 widths in {language}: {len(problems)} problems")
    assert problems == []
