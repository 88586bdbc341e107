"""Every page a signed-in user can reach renders."""

import re
from pathlib import Path

import pytest

PAGES = [
    "/",
    "/contacts",
    "/contacts/new",
    "/cards/new",
    "/touchpoints/new",
    "/events",
    "/events/new",
    "/settings",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    assert b"<h1" in response.data


def title_of(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.S)
    assert match, "no <title>"
    return match.group(1)


@pytest.mark.parametrize("url", PAGES)
def test_page_title_is_plain_text(signed_in, url):
    # A browser shows everything up to </title> as the tab's name, markup included.
    title = title_of(signed_in.get(url).get_data(as_text=True))
    assert "<" not in title and len(title) < 200, title


def test_every_title_block_is_plain_text():
    # Every template, so that pages the walk above does not list are covered too.
    blocks = {
        str(path): block
        for path in sorted(Path("templates").rglob("*.html"))
        for block in re.findall(r"{% block title %}(.*?){% endblock %}", path.read_text(), re.S)
    }
    assert blocks
    assert not {name: block for name, block in blocks.items() if "<" in block or "\n" in block}
