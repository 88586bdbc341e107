"""The contact picker on a slow connection, in Chromium: a name typed before the page's
script has arrived is looked up when it arrives, not lost."""

import re

from playwright.sync_api import Page, Route, expect

from tests.conftest import PASSWORD, TODAY
from tracker.db import write_transaction
from tracker.models import User
from tracker.services.contacts import ContactData, create_contact


def test_a_name_typed_before_the_script_arrives_is_looked_up(
    page: Page, live_server, password_hash: str
) -> None:
    base = live_server.url
    with write_transaction(live_server.app) as session:
        user = User(email="slow@example.jp", password_hash=password_hash, language="ja")
        session.add(user)
        session.flush()
        taro = create_contact(
            session, user.id, ContactData(family_name="山田", given_name="太郎"), TODAY
        )
        create_contact(
            session,
            user.id,
            ContactData(family_name="鈴木", given_name="花子", family_reading="すずき"),
            TODAY,
        )
    page.goto(base + "/login")
    page.locator("input[name=email]").fill("slow@example.jp")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()

    # The script is held back, the way a phone at an event waits for it.
    def hold_back(route: Route) -> None:
        route.abort()

    page.route(re.compile(r"/static/app\.js"), hold_back)
    page.goto(f"{base}/touchpoints/new?contact={taro.id}")
    page.get_by_label("人を追加").fill("すずき")
    page.wait_for_timeout(400)  # longer than the picker's pause: nothing listens yet
    expect(page.get_by_role("checkbox", name=re.compile("鈴木 花子"))).to_have_count(0)

    # The script arrives.
    page.unroute(re.compile(r"/static/app\.js"))
    page.add_script_tag(url=base + "/static/app.js")
    page.get_by_role("checkbox", name=re.compile("鈴木 花子")).check()
    expect(page.get_by_text("見つかった人を上の一覧に加えました。")).to_be_visible()
