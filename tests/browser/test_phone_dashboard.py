"""The morning on a phone, in Chromium, on an account seeded as `flask seed --tier solo`
does it: the first screen (375 × 812) holds the follow-ups due, the first follow-ups running
out and the top of the cold list; each list shows at most five rows and a link to all of
them when there are more; a row's actions are one tap away. A new account sees its first
steps. Screenshots of the pages issue 11 asks to look at are saved in test-artifacts/."""

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.browser.test_every_page import TAP_TARGETS
from tests.conftest import PASSWORD, TODAY
from tracker.db import write_transaction
from tracker.models import User
from tracker.seeding import TIERS, seed_user
from tracker.services.dashboard import LIST_LIMIT, dashboard

PHONE: ViewportSize = {"width": 375, "height": 812}
LOCALES = {"ja": "ja-JP", "en": "en-US"}
LISTS = ["follow-ups-heading", "first-heading", "cold-heading"]
# Where issue 11 asks for a person to look, seeded and empty.
SHOWN = [("/", "dashboard"), ("/review", "review"), ("/places", "places"), ("/network", "network")]


def make_account(app, password_hash: str, email: str, *, seeded: bool) -> User:
    """An account, in no language of its own (the browser's decides), seeded or empty."""
    with write_transaction(app) as session:
        user = User(email=email, password_hash=password_hash, display_name="天野")
        session.add(user)
        session.flush()
        if seeded:
            seed_user(session, user.id, TIERS["solo"], TODAY)
    return user


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def lists_on_the_first_screen(page: Page) -> dict[str, dict]:
    """Each first-screen list: its heading's and first row's boxes, its rows, its link."""
    return page.evaluate(
        """(ids) => Object.fromEntries(ids.map(id => {
          const heading = document.getElementById(id);
          const section = heading.closest('section');
          const rows = [...section.querySelectorAll('.rows > li')];
          const box = el => { const r = el.getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
          return [id, {
            heading: box(heading),
            first: rows.length ? box(rows[0]) : null,
            empty: section.querySelector('.empty-state') ? box(section.querySelector('.empty-state')) : null,
            rows: rows.length,
            seeAll: section.querySelector('a.see-all') ? section.querySelector('a.see-all').href : null,
          }];
        }))""",
        LISTS,
    )


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_first_screen_of_a_phone_holds_the_three_lists(
    browser: Browser, live_server, password_hash, language
) -> None:
    app = live_server.app
    user = make_account(app, password_hash, f"solo-{language}@example.jp", seeded=True)
    with write_transaction(app) as session:
        board = dashboard(session, user.id, TODAY)
    # What each list has in all, and what it can show.
    totals = {
        "follow-ups-heading": (board.follow_up_total, min(board.follow_up_total, LIST_LIMIT)),
        "first-heading": (board.first_total, min(board.running_out_total, LIST_LIMIT)),
        "cold-heading": (board.cold_total, min(board.cold_total, LIST_LIMIT)),
    }
    # The seeded account fills every list past its five rows but the first follow-ups.
    assert board.follow_up_total > LIST_LIMIT and board.cold_total > LIST_LIMIT
    assert board.running_out_total > 0

    context = browser.new_context(locale=LOCALES[language], viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, user.email)
        page.goto(live_server.url + "/")
        found = lists_on_the_first_screen(page)
        for heading_id, (total, rows) in totals.items():
            shown = found[heading_id]
            assert shown["rows"] == rows <= LIST_LIMIT, (heading_id, shown)
            assert shown["heading"]["bottom"] <= PHONE["height"], (heading_id, shown)
            assert shown["first"] is not None and shown["first"]["bottom"] <= PHONE["height"], (
                heading_id,
                shown,
            )
            assert (shown["seeAll"] is not None) == (total > rows), (heading_id, shown)
        assert found["cold-heading"]["seeAll"].endswith("/contacts?warmth=going_cold&sort=overdue")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate(TAP_TARGETS) == []
        page.screenshot(path=str(ARTIFACTS / f"phone-first-screen-{language}.png"))

        # A row's actions, one tap away: the ⋯ opens them, and logging works from there.
        cold = page.locator("section", has=page.locator("#cold-heading"))
        first_row = cold.locator(".rows > li").first
        name = first_row.locator(".row-name").inner_text()
        first_row.locator("summary").click()
        log = first_row.get_by_role("button", name=re.compile("今日の接点を記録|Log today"))
        expect(log).to_be_visible()
        box = log.bounding_box()
        assert box is not None and box["height"] >= 44
        expect(first_row.get_by_role("button", name=re.compile("1 週間|1 week"))).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"phone-row-actions-{language}.png"))
        log.click()
        expect(page.locator(".flash-success")).to_be_visible()
        cold = page.locator("section", has=page.locator("#cold-heading"))
        expect(cold.locator(".row-name", has_text=name)).to_have_count(0)
    finally:
        context.close()


def test_a_new_account_is_shown_its_first_steps(browser: Browser, live_server, password_hash):
    user = make_account(live_server.app, password_hash, "new@example.jp", seeded=False)
    context = browser.new_context(locale="ja-JP", viewport=PHONE)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, user.email)
        steps = page.locator("section", has=page.get_by_role("heading", name="はじめの一歩"))
        expect(steps).to_be_visible()
        expect(page.get_by_text("よく手入れされています")).to_have_count(0)
        expect(steps.get_by_role("link", name="名刺交換を記録")).to_be_visible()
        for source in ["Eight", "LinkedIn", "Google コンタクト", "スマートフォン"]:
            expect(steps.get_by_role("link", name=source, exact=True)).to_have_attribute(
                "href", "/import"
            )
        steps.get_by_role("link", name="LinkedIn", exact=True).click()
        expect(page.get_by_role("heading", name="連絡先を取り込む")).to_be_visible()
    finally:
        context.close()


@pytest.mark.slow
def test_screenshots_of_the_pages_to_look_at(browser: Browser, live_server, password_hash):
    """Save the seeded and the empty account's dashboard, review, places and network, in
    both languages at both widths, for a person to look at; none scrolls sideways."""
    accounts = {
        "seeded": make_account(live_server.app, password_hash, "shots@example.jp", seeded=True),
        "empty": make_account(live_server.app, password_hash, "blank@example.jp", seeded=False),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for language, locale in LOCALES.items():
        for kind, user in accounts.items():
            context = browser.new_context(locale=locale)
            try:
                page = context.new_page()
                sign_in(page, live_server.url, user.email)
                for path, name in SHOWN:
                    page.goto(live_server.url + path)
                    for width_name, (width, height) in WIDTHS.items():
                        page.set_viewport_size({"width": width, "height": height})
                        shot = ARTIFACTS / f"issue11-{name}-{kind}-{language}-{width_name}.png"
                        page.screenshot(path=str(shot), full_page=True)
                        overflow = page.evaluate(
                            "document.documentElement.scrollWidth - window.innerWidth"
                        )
                        if overflow > 0:
                            problems.append(f"{shot.name} scrolls sideways by {overflow}px")
            finally:
                context.close()
    assert problems == []
