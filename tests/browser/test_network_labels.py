"""The network picture, read back from Chromium: with 50 people, at 375 and 1280 px, no
name is clipped by the drawing's edge or the screen, and no label overlaps another. The
account is seeded as `flask seed --tier solo` does it, and some of the people drawn are
renamed to the names a width table gets wrong most easily: long Latin names, letters with
and without a decomposition (é, Ł), full-width Latin and half-width katakana."""

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.browser.test_phone_dashboard import LOCALES, make_account, sign_in
from tests.conftest import stored
from tracker.db import write_transaction
from tracker.models import Contact
from tracker.services.network import picture
from tracker.text import contact_keys

HARD_NAMES = [
    ("Montgomery-Fitzwilliam", "Alexandria"),
    ("勅使河原", "三郎左衛門"),
    ("Wójcik-Żółć", "Łukasz"),
    ("Ｗｉｄｅ", "Ｎａｍｅ"),
    ("ﾔﾏﾀﾞ", "ﾀﾛｳ"),
    ("O'Shaughnessy", "Mmmmmmmmmm"),
]
# Every label's box, the drawing's box, where the arcs begin and the screen's width, in CSS
# pixels.
BOXES = """
() => {
  const svg = document.querySelector('svg.network-drawing');
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const arcs = [...svg.querySelectorAll('path.arc')].map(a => a.getBoundingClientRect().left);
  return {
    svg: box(svg),
    arcs: arcs.length ? Math.min(...arcs) : null,
    screen: document.documentElement.clientWidth,
    labels: [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent, box: box(t), length: t.getComputedTextLength(),
      estimate: t.dataset.width ? parseFloat(t.dataset.width) : null,
    })),
  };
}
"""


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


def problems_at(page: Page, width: int, height: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": height})
    found = page.evaluate(BOXES)
    svg, screen, labels = found["svg"], found["screen"], found["labels"]
    problems = []
    for label in labels:
        box, name = label["box"], label["text"]
        inside = (
            box["left"] >= svg["left"] - 0.5
            and box["right"] <= svg["right"] + 0.5
            and box["top"] >= svg["top"] - 0.5
            and box["bottom"] <= svg["bottom"] + 0.5
        )
        if not inside:
            problems.append(f"{width}px: {name!r} is clipped by the drawing {box} {svg}")
        if box["left"] < 0 or box["right"] > screen:
            problems.append(f"{width}px: {name!r} runs off the screen")
        if label["estimate"] is not None and label["length"] > label["estimate"]:
            problems.append(
                f"{name!r} is drawn {label['length']:.1f} wide, the table says {label['estimate']}"
            )
        if found["arcs"] is not None and box["right"] > found["arcs"]:
            problems.append(f"{width}px: {name!r} runs into the arcs: the width table is short")
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            if overlaps(first["box"], second["box"]):
                problems.append(f"{width}px: {first['text']!r} overlaps {second['text']!r}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ja", "en"])
def test_no_label_is_clipped_or_overlaps_another_with_50_people(
    browser: Browser, live_server, password_hash, language
) -> None:
    app = live_server.app
    user = make_account(app, password_hash, f"net-{language}@example.jp", seeded=True)
    with write_transaction(app) as session:
        drawn = picture(session, user.id, limit=50).rows
        assert len(drawn) == 50
        for row, (family, given) in zip(drawn[::8], HARD_NAMES, strict=False):
            contact = stored(session, Contact, row.contact.id)
            contact.family_name, contact.given_name = family, given
            contact.search_key, contact.sort_key = contact_keys(contact, [])
        session.flush()
        names = {
            c.name
            for c in session.scalars(
                select(Contact).where(Contact.id.in_([row.contact.id for row in drawn]))
            )
        }
    context = browser.new_context(locale=LOCALES[language])
    try:
        page = context.new_page()
        sign_in(page, live_server.url, user.email)
        page.goto(live_server.url + "/network?limit=50")
        shown = {label["text"] for label in page.evaluate(BOXES)["labels"]}
        assert names <= shown, names - shown  # every name whole, none shortened
        problems = []
        for width_name, (width, height) in WIDTHS.items():
            problems += problems_at(page, width, height)
            page.locator("figure.network-figure").screenshot(
                path=str(ARTIFACTS / f"network-drawing-{language}-{width_name}.png")
            )
        assert problems == []
        # The list in words names the same 50 people, each with a link to their page.
        words = page.locator("section", has=page.locator("#links-heading"))
        assert words.locator(".people-links > li").count() == 50
        for name in names:
            assert words.get_by_role("link", name=name, exact=True).count() == 1
    finally:
        context.close()
