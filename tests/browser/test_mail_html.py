"""The morning mail's HTML as a mail program shows it: Chromium renders the HTML part of a
real digest, in both languages, at 375 and 1280 px. It loads nothing from outside, never
scrolls sideways, its links are tap-sized, axe-core finds no serious problem, and a
screenshot is saved for a person to look at."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.browser.test_every_page import SEVERE, TAP_TARGETS
from tests.conftest import TODAY
from tracker.db import database
from tracker.mail.digest import digest_mail
from tracker.mail.settings import mail_settings


@pytest.fixture
def app_config():
    return {
        "SMTP_URL": "smtp://127.0.0.1:25",  # never connected to: the mail is only composed
        "MAIL_FROM": "Jinmyaku <crm@example.jp>",
        "PUBLIC_URL": "https://crm.example.jp",
    }


def mail_html(app, user) -> str:
    with app.app_context(), database(app).sessionmaker() as session:
        message = digest_mail(session, user, TODAY, mail_settings())
    body = message.get_body(("html",))
    assert body is not None
    return body.get_content()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_mail_reads_on_a_phone(
    page: Page, app, make_user, make_contact, make_touchpoint, language
):
    owner = make_user(language=language, display_name="天野")
    names = [("山田", "太郎"), ("佐藤", "花子"), ("Smith", "Jane"), ("長谷川", "一郎")]
    for n, (family, given) in enumerate(names):
        cold = make_contact(owner=owner, family_name=family, given_name=given, stage="trusted")
        make_touchpoint([cold], owner=owner, occurred_on=TODAY - timedelta(days=90 + n * 30))
        new = make_contact(
            owner=owner,
            family_name=f"{family}新",
            given_name=given,
            company="株式会社たいへん長い名前の会社とその子会社の事務所",
            first_met_on=TODAY - timedelta(days=3 + n),
        )
        make_touchpoint(
            [new],
            owner=owner,
            kind="card_exchange",
            occurred_on=TODAY - timedelta(days=3 + n),
            follow_up_on=TODAY + timedelta(days=n - 1),
        )
    html = mail_html(app, owner)

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    axe = Axe()
    problems: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.set_content(html)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{width_name}: scrolls sideways by {overflow}px")
        problems += [
            f"{width_name}: small tap target {small}" for small in page.evaluate(TAP_TARGETS)
        ]
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SEVERE:
                problems.append(f"{width_name}: axe {violation['id']}")
        page.screenshot(
            path=str(ARTIFACTS / f"mail-digest-{language}-{width_name}.png"), full_page=True
        )
    assert problems == []
    assert requests == []
    assert (
        page.get_by_role(
            "link", name="接点を記録" if language == "ja" else "Log a touchpoint"
        ).count()
        >= 8
    )
