"""The pages work without JavaScript: the contact picker's Find button reloads the form
with the matches, and everything typed so far stays."""

import re

from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, TODAY
from tracker.db import write_transaction
from tracker.models import User
from tracker.services.contacts import ContactData, create_contact


def test_log_a_touchpoint_with_javascript_off(browser: Browser, live_server, password_hash) -> None:
    app = live_server.app
    with write_transaction(app) as session:
        user = User(email="nojs@example.jp", password_hash=password_hash, language="en")
        session.add(user)
        session.flush()
        taro = create_contact(
            session,
            user.id,
            ContactData(family_name="山田", given_name="太郎", family_reading="やまだ"),
            TODAY,
        )
        create_contact(
            session,
            user.id,
            ContactData(family_name="鈴木", given_name="花子", family_reading="すずき"),
            TODAY,
        )
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login")
        page.get_by_label("Email address").fill("nojs@example.jp")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/touchpoints/new?contact={taro.id}")
        page.get_by_label("Summary").fill("Lunch with both")
        page.get_by_label("Add a person").fill("suzuki")
        page.get_by_role("button", name="Find").click()
        expect(page.get_by_label("Summary")).to_have_value("Lunch with both")
        page.get_by_role("checkbox", name=re.compile("鈴木 花子")).check()
        screenshot(page, "no-javascript-picker")
        page.get_by_label("Summary").press("Enter")  # Enter saves, it does not press Find
        expect(page.get_by_text("Touchpoint logged.")).to_be_visible()
        expect(page.locator(".timeline li").first).to_contain_text("鈴木 花子")
    finally:
        context.close()
