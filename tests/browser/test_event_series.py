"""The event form suggests the series from the name as it is typed, in Chromium; a series
the event already has is the user's own and is never replaced."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tracker.db import write_transaction
from tracker.models import User


def sign_in(page: Page, base: str, app, password_hash: str) -> None:
    with write_transaction(app) as session:
        session.add(User(email="series@example.jp", password_hash=password_hash, language="en"))
    page.goto(base + "/login")
    page.locator("input[name=email]").fill("series@example.jp")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def test_the_series_follows_the_name_but_never_replaces_ones_own(
    page: Page, live_server, password_hash: str
) -> None:
    base = live_server.url
    sign_in(page, base, live_server.app, password_hash)
    page.goto(base + "/events/new")
    series = page.get_by_label("Series", exact=True)
    page.get_by_label("Name", exact=True).fill("倫理法人会 モーニングセミナー 第12回")
    expect(series).to_have_value("倫理法人会 モーニングセミナー")
    series.fill("府中 倫理法人会")  # the user's own choice
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="倫理法人会 モーニングセミナー 第12回")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Edit")).first.click()
    expect(series).to_have_value("府中 倫理法人会")
    page.get_by_label("Name", exact=True).fill("倫理法人会 モーニングセミナー 第13回")
    page.wait_for_timeout(600)  # longer than the suggestion's pause
    expect(series).to_have_value("府中 倫理法人会")
