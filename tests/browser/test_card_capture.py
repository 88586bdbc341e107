"""Capturing a card on a phone, in Chromium: a photographed card becomes a contact in a few
taps; the reading fills itself from the input method; a person you have already is named
while you type; and the capture pages are photographed at both widths in both languages."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sqlalchemy import select

from scripts.cards import GeneratedCard, generate
from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.conftest import PASSWORD, TODAY
from tracker.db import write_transaction
from tracker.models import CardImage, Contact, Touchpoint, User
from tracker.services.contacts import ContactData, create_contact

# The fonts CI installs (fonts-noto-cjk).
NOTO = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-Bold.ttc",
)
MOST_TAPS = 5
WORDS = {
    "ja": {
        "card": "＋ 名刺",
        "photo": "名刺を撮影",
        "read": "読み取る",
        "save": "保存",
        "family": "姓",
        "given": "名",
        "family_reading": "姓（よみ）",
        "given_reading": "名（よみ）",
        "company": "会社名",
        "heading": "名刺交換",
    },
    "en": {
        "card": "+ Card",
        "photo": "Photograph the card",
        "read": "Read the card",
        "save": "Save",
        "family": "Family name",
        "given": "Given name",
        "family_reading": "Family name reading",
        "given_reading": "Given name reading",
        "company": "Company",
        "heading": "Card exchange",
    },
}


@pytest.fixture(scope="module")
def photographed(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedCard, Path]:
    """A Japanese card with a landline and a mobile, photographed on a table (no QR code)."""
    (card,) = generate(1, seed=3, fonts=NOTO, qr_share=0.0, english_share=0.0)
    assert not card.truth.qr and len(card.truth.phones) == 2
    path = tmp_path_factory.mktemp("card") / "card.jpg"
    path.write_bytes(card.image)
    return card, path


def make_account(app, password_hash: str, language: str) -> User:
    with write_transaction(app) as session:
        user = User(
            email=f"capture-{language}@example.jp",
            password_hash=password_hash,
            language=language,
            display_name="天野",
        )
        session.add(user)
    return user


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 375, "height": 812}, has_touch=True
    )
    yield context
    context.close()


def log_in(page: Page, base: str, user: User) -> None:
    page.goto(base + "/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


class Taps:
    """Counts the taps a person makes (typing in a field is not a tap)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.tap()


def test_a_photographed_card_becomes_a_contact_in_five_taps(
    phone: BrowserContext, live_server, password_hash, photographed
) -> None:
    card, path = photographed
    truth = card.truth
    user = make_account(live_server.app, password_hash, "ja")
    page = phone.new_page()
    log_in(page, live_server.url, user)
    page.get_by_role("link", name="＋ 名刺").tap()
    expect(page.get_by_role("heading", name="名刺交換")).to_be_visible()
    taps = Taps()

    with page.expect_file_chooser() as chooser:
        taps(page.get_by_label("名刺を撮影"))  # the camera opens; the photo is taken
    chooser.value.set_files(str(path))  # and read at once
    expect(page.locator(".notice-ok")).to_be_visible(timeout=60_000)  # OCR: a few seconds
    for label, value in [
        ("姓", truth.family_name),
        ("名", truth.given_name),
        ("姓（よみ）", truth.family_reading),
        ("名（よみ）", truth.given_reading),
        ("会社名", truth.company),
        ("役職", truth.title),
        ("メール", truth.emails[0]),
        ("電話", truth.phones[0]),
        ("携帯", truth.phones[1]),
    ]:
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("日付", exact=True)).to_have_value(TODAY.isoformat())
    taps(page.get_by_role("button", name="保存", exact=True))

    name = f"{truth.family_name} {truth.given_name}"
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text(truth.company).first).to_be_visible()
    assert taps.count <= MOST_TAPS, taps.count
    print(f"\ncard to contact in {taps.count} taps after 「＋ 名刺」")
    page.screenshot(path=str(ARTIFACTS / "capture-contact-ja-phone.png"), full_page=True)
    with write_transaction(live_server.app) as session:
        contact = session.scalars(select(Contact)).one()
        image = session.scalars(select(CardImage)).one()
        assert image.contact_id == contact.id and image.content_type == "image/jpeg"
        assert sorted((m.kind, m.value, m.label) for m in contact.methods) == sorted(
            [
                ("email", truth.emails[0], ""),
                ("phone", truth.phones[0], ""),
                ("phone", truth.phones[1], "mobile"),
                ("address", truth.address, ""),
                *(("url", url, "") for url in truth.urls),
            ]
        )
        touchpoint = session.scalars(select(Touchpoint)).one()
        assert touchpoint.kind == "card_exchange" and touchpoint.occurred_on == TODAY


def compose(page: Page, steps: list[str], commit: str) -> None:
    """Type as a Japanese input method does: a composition that grows kana by kana, is
    converted, and is committed (Chromium's own IME events, through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    for text in steps:
        cdp.send(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
    cdp.send("Input.insertText", {"text": commit})
    cdp.detach()


def test_the_reading_fills_itself_while_the_name_is_typed(
    phone: BrowserContext, live_server, password_hash
) -> None:
    user = make_account(live_server.app, password_hash, "ja")
    page = phone.new_page()
    log_in(page, live_server.url, user)
    page.goto(live_server.url + "/cards/new")
    family, given = page.get_by_label("姓", exact=True), page.get_by_label("名", exact=True)
    family_reading = page.get_by_label("姓（よみ）")
    given_reading = page.get_by_label("名（よみ）")
    expect(family).to_be_focused()  # the first empty field of the card

    compose(page, ["s", "さ", "さt", "さと", "さとう", "佐藤"], "佐藤")
    expect(family).to_have_value("佐藤")
    expect(family_reading).to_have_value("さとう")

    # Katakana typed as katakana becomes the reading field's hiragana.
    given.focus()
    compose(page, ["ハ", "ハナ", "ハナコ", "花子"], "花子")
    expect(given_reading).to_have_value("はなこ")

    # The reading stays editable, and once edited it is the user's own: left alone.
    given_reading.fill("はなこ（はな）")
    given.press("End")
    compose(page, ["さ", "さん"], "さん")
    expect(given).to_have_value("花子さん")
    expect(given_reading).to_have_value("はなこ（はな）")

    # Emptying the name empties the reading the form typed, not one the user typed.
    family.fill("")
    family.dispatch_event("input")
    expect(family_reading).to_have_value("")
    expect(given_reading).to_have_value("はなこ（はな）")


def test_a_person_you_have_is_named_while_you_type(
    phone: BrowserContext, live_server, password_hash
) -> None:
    app = live_server.app
    user = make_account(app, password_hash, "ja")
    with write_transaction(app) as session:
        sato = create_contact(
            session,
            user.id,
            ContactData(
                family_name="佐藤",
                given_name="花子",
                family_reading="さとう",
                given_reading="はなこ",
                company="佐藤社労士事務所",
                first_met_on=TODAY.replace(month=10, day=1),
            ),
            TODAY,
        )
    page = phone.new_page()
    log_in(page, live_server.url, user)
    page.goto(live_server.url + "/cards/new")
    page.get_by_label("姓", exact=True).fill("佐藤")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("会社名").fill("佐藤社労士事務所")
    warning = page.locator("[data-duplicate-box]")
    expect(warning).to_contain_text("佐藤 花子（佐藤社労士事務所）、2026年10月1日に会った人")
    screenshot_both(page, "capture-duplicate", "ja")
    page.get_by_label("話したこと").fill("顧問先の労務の件")
    page.get_by_role("button", name="この人との名刺交換として記録").tap()
    expect(page.get_by_role("heading", name="佐藤 花子")).to_be_visible()
    with write_transaction(app) as session:
        assert [c.id for c in session.scalars(select(Contact))] == [sato.id]
        touchpoint = session.scalars(select(Touchpoint)).one()
        assert touchpoint.kind == "card_exchange"
        assert touchpoint.summary == "顧問先の労務の件"
        assert [c.id for c in touchpoint.contacts] == [sato.id]


def screenshot_both(page: Page, name: str, language: str) -> None:
    """The page at 375 and 1280 px, for a person to look at; nothing scrolls sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{language}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size({"width": 375, "height": 812})


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_capture_pages_in_both_languages(
    phone: BrowserContext, live_server, password_hash, photographed, language
) -> None:
    """The card page as it opens, the read card to confirm, and a re-read with the back."""
    words = WORDS[language]
    _card, path = photographed
    user = make_account(live_server.app, password_hash, language)
    page = phone.new_page()
    log_in(page, live_server.url, user)
    page.get_by_role("link", name=words["card"]).tap()
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    screenshot_both(page, "capture-open", language)
    page.get_by_label(words["photo"]).set_input_files(str(path))
    expect(page.locator(".notice-ok")).to_be_visible(timeout=60_000)  # OCR: a few seconds
    expect(page.get_by_label(words["company"])).not_to_have_value("")
    screenshot_both(page, "capture-confirm", language)
    assert re.search(r"draft=", page.url)


def test_a_card_is_read_and_saved_without_javascript(
    browser: Browser, live_server, password_hash, photographed
) -> None:
    card, path = photographed
    user = make_account(live_server.app, password_hash, "en")
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        log_in(page, live_server.url, user)
        page.goto(live_server.url + "/cards/new")
        page.get_by_label("Photograph the card").set_input_files(str(path))
        page.get_by_role("button", name="Read the card").click()
        expect(page.get_by_label("Family name", exact=True)).to_have_value(
            card.truth.family_name, timeout=60_000
        )
        page.get_by_label("What we talked about").fill("Inheritance cases are up")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", name=card.truth.family_name)).to_be_visible()
    finally:
        context.close()
