"""The whole loop in Chromium, on fixed days: three cards at one event; one person followed
up over months, with a client referred each way; the dashboard lists the other two for a
first follow-up; the review offers a promotion; the places report shows 1 of 3 became a
collaborator."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_first_steps import create_account, log_card


def on_day(live_server, day: str) -> None:
    live_server.app.config["TODAY"] = day


def log_touchpoint(page: Page, base: str, name: str, kind: str, day: str, summary: str) -> None:
    page.goto(base + "/contacts")
    page.get_by_role("link", name=name).click()
    page.get_by_role("main").get_by_role("link", name="接点を記録").click()
    page.get_by_label("種類").select_option(kind)
    page.get_by_label("日付", exact=True).fill(day)
    page.get_by_label("要約").fill(summary)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("接点を記録しました。")).to_be_visible()


def record_referral(
    page: Page, base: str, name: str, direction: str, day: str, subject: str
) -> None:
    page.goto(base + "/contacts")
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="紹介を記録").click()
    expect(page.get_by_role("radio", name=re.compile(name))).to_be_checked()
    page.get_by_label(direction).check()
    page.get_by_label("日付", exact=True).fill(day)
    page.get_by_label("紹介された人", exact=True).fill(subject)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("紹介を保存しました。")).to_be_visible()


def test_cards_to_a_collaborator(page: Page, live_server) -> None:
    base = live_server.url
    on_day(live_server, "2026-06-01")
    create_account(page, base)

    page.get_by_role("link", name="＋ 名刺").click()
    log_card(page, "山田", "太郎", "やまだ", "たろう", 会社名="山田法律事務所")
    page.get_by_label("または新しいイベント名").fill("府中 異業種交流会")
    page.get_by_role("button", name="保存して次の名刺へ").click()
    log_card(page, "鈴木", "花子", "すずき", "はなこ", 会社名="鈴木デザイン")
    page.get_by_role("button", name="保存して次の名刺へ").click()
    log_card(page, "佐藤", "一郎", "さとう", "いちろう", 会社名="佐藤保険")
    page.get_by_role("button", name="保存", exact=True).click()

    # Three and a half weeks later: Yamada has been met again; the other two still wait,
    # and their month runs out within the week.
    on_day(live_server, "2026-06-26")
    log_touchpoint(page, base, "山田 太郎", "meeting", "2026-06-15", "相続案件の相談")
    page.goto(base + "/")
    first = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("初回フォローの期限が近い"))
    )
    expect(first.get_by_role("link", name="鈴木 花子")).to_be_visible()
    expect(first.get_by_role("link", name="佐藤 一郎")).to_be_visible()
    expect(first.get_by_role("link", name="山田 太郎")).to_have_count(0)
    expect(first).to_contain_text("あと 5 日")
    screenshot(page, "dashboard-first-follow-ups")

    # Months of follow-up with Yamada, and a client referred each way.
    on_day(live_server, "2026-11-27")
    log_touchpoint(page, base, "山田 太郎", "meal", "2026-07-20", "会食")
    log_touchpoint(page, base, "山田 太郎", "worked_together", "2026-09-10", "共同で相続手続き")
    log_touchpoint(page, base, "山田 太郎", "call", "2026-11-01", "近況")
    record_referral(page, base, "山田 太郎", "自分が相手に紹介した", "2026-10-05", "顧問先の社長")
    record_referral(
        page, base, "山田 太郎", "相手が自分に紹介してくれた", "2026-11-10", "創業予定の方"
    )
    expect(page.get_by_role("heading", name="山田 太郎")).to_be_visible()
    relationship = page.locator("section.relationship")
    expect(relationship).to_contain_text("紹介した 1 件・紹介された 1 件")
    screenshot(page, "contact-relationship")

    # The review offers the promotion; one step promotes.
    page.get_by_role("navigation").get_by_role("link", name="見直し").click()
    candidates = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("段階を上げてよい人"))
    )
    expect(candidates.get_by_role("link", name="山田 太郎")).to_be_visible()
    screenshot(page, "review")
    candidates.get_by_role("button", name=re.compile("「協力者」に上げる")).click()
    expect(page.get_by_text("山田 太郎 さんの段階を「協力者」にしました。")).to_be_visible()
    collaborators = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^協力者"))
    )
    expect(collaborators.get_by_role("link", name="山田 太郎")).to_be_visible()

    # The places report: 1 of the 3 people met at the event became a collaborator.
    page.get_by_role("navigation").get_by_role("link", name="出会いの場").click()
    row = page.get_by_role("row", name=re.compile("府中 異業種交流会"))
    expect(row.get_by_role("cell").nth(0)).to_have_text("3")
    expect(row.get_by_role("cell").nth(3)).to_contain_text("1 (33%)")
    screenshot(page, "places")

    for path, name in [
        ("/network", "network"),
        ("/referrals", "referrals"),
        ("/help?q=相続", "help"),
        ("/", "dashboard"),
    ]:
        page.goto(base + path)
        screenshot(page, name)
