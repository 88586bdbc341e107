"""A person's first steps, in Chromium: the account, a card at a new event, a follow-up
meeting with two people, both timelines, and finding the contact by reading."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD


def create_account(page: Page, base: str) -> None:
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="アカウントを作成")).to_be_visible()
    screenshot(page, "setup")
    page.get_by_label("お名前").fill("天野")
    page.get_by_label("メールアドレス").fill("amano@example.jp")
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("パスワード（確認）").fill(PASSWORD)
    page.get_by_label("言語").select_option("ja")
    page.get_by_role("button", name="アカウントを作成").click()
    expect(page.get_by_role("heading", name=re.compile("^今日"))).to_be_visible()
    screenshot(page, "home-empty")


def log_card(
    page: Page, family: str, given: str, family_reading: str, given_reading: str, **extra: str
) -> None:
    page.get_by_label("姓", exact=True).fill(family)
    page.get_by_label("名", exact=True).fill(given)
    page.get_by_label("姓（よみ）").fill(family_reading)
    page.get_by_label("名（よみ）").fill(given_reading)
    for label, value in extra.items():
        page.get_by_label(label, exact=True).fill(value)


def test_first_steps(page: Page, live_server) -> None:
    base = live_server.url
    create_account(page, base)

    # A card exchange at a new event, then another card at the same event.
    page.get_by_role("link", name="＋ 名刺").click()
    expect(page.get_by_role("heading", name="名刺交換")).to_be_visible()
    log_card(page, "山田", "太郎", "やまだ", "たろう", 会社名="山田税理士事務所", 役職="所長")
    page.get_by_label("または新しいイベント名").fill("府中 異業種交流会")
    page.get_by_label("話したこと").fill("相続の相談が増えている")
    screenshot(page, "card-form")
    page.get_by_role("button", name="保存して次の名刺へ").click()
    expect(page.get_by_text("山田 太郎 さんの名刺を保存しました。")).to_be_visible()
    expect(page.get_by_label("イベント", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("日付", exact=True)).to_have_value("2026-11-27")
    log_card(page, "鈴木", "花子", "すずき", "はなこ", 会社名="鈴木デザイン")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="鈴木 花子")).to_be_visible()

    # A follow-up meeting with both, logged from Yamada's page.
    page.get_by_role("navigation").get_by_role("link", name="連絡先").click()
    page.get_by_role("link", name="山田 太郎").click()
    expect(page.get_by_role("heading", name="山田 太郎")).to_be_visible()
    screenshot(page, "contact-after-card")
    page.get_by_role("main").get_by_role("link", name="接点を記録").click()
    expect(page.get_by_role("checkbox", name=re.compile("山田 太郎"))).to_be_checked()
    page.get_by_label("人を追加").fill("すずき")
    page.get_by_role("checkbox", name=re.compile("鈴木 花子")).check()
    page.get_by_label("種類").select_option("meeting")
    page.get_by_label("要約").fill("事業承継の打ち合わせ")
    page.get_by_label("自分から").check()
    screenshot(page, "touchpoint-form")
    page.get_by_role("button", name="保存", exact=True).click()

    # Both timelines show the meeting, newest first, each naming the other person.
    expect(page.get_by_role("heading", name="山田 太郎")).to_be_visible()
    timeline = page.locator(".timeline")
    expect(timeline.locator("li").first).to_contain_text("事業承継の打ち合わせ")
    expect(timeline.locator("li").nth(1)).to_contain_text("名刺交換")
    screenshot(page, "contact-timeline")
    timeline.get_by_role("link", name="鈴木 花子").click()
    expect(page.get_by_role("heading", name="鈴木 花子")).to_be_visible()
    expect(page.locator(".timeline li").first).to_contain_text("事業承継の打ち合わせ")
    expect(page.locator(".timeline li").first).to_contain_text("山田 太郎")

    # Find him by his reading, in hiragana and in romaji.
    for query in ["やまだ", "yamada"]:
        page.goto(base + "/contacts")
        page.get_by_label("名前・読み・会社名で検索").fill(query)
        page.get_by_role("button", name="検索").click()
        results = page.locator(".rows")
        expect(results.get_by_role("link", name="山田 太郎")).to_be_visible()
        expect(results.get_by_role("link", name="鈴木 花子")).to_have_count(0)
    screenshot(page, "contacts-search")

    page.goto(base + "/events")
    expect(page.get_by_role("link", name="府中 異業種交流会")).to_be_visible()
    page.get_by_role("link", name="府中 異業種交流会").click()
    expect(page.get_by_role("link", name="山田 太郎")).to_be_visible()
    expect(page.get_by_role("link", name="鈴木 花子")).to_be_visible()
    screenshot(page, "event")
    page.goto(base + "/")
    screenshot(page, "home")
