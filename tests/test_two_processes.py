"""The app keeps no state outside the database and its signed cookies: two app processes
on one PostgreSQL database serve one user as if they were one."""

import re

import pytest

from tests.conftest import ON_POSTGRES, PASSWORD
from tests.test_durability import Browser, start_server

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the shared set-up is PostgreSQL's")


def test_a_login_and_a_write_through_one_process_are_seen_by_the_other(database_url, user):
    first, first_port = start_server(database_url)
    second, second_port = start_server(database_url)
    try:
        a, b = Browser(first_port), Browser(second_port)
        status, _, _ = a.post_form("/login", [("email", user.email), ("password", PASSWORD)])
        assert status == 302
        b.cookies = dict(a.cookies)  # the same browser, reaching the other process
        status, page, _ = b.request("GET", "/contacts")
        assert status == 200 and "Log out" in page
        status, _, location = a.post_form(
            "/cards/new", [("family_name", "二重"), ("met_on", "2026-11-01"), ("save", "1")]
        )
        assert status == 302
        contact_path = re.sub(r"^https?://[^/]+", "", location)
        status, page, _ = b.request("GET", contact_path)
        assert status == 200 and "二重" in page and "Card exchange" in page
        a.post_form("/logout", [])
        status, _, _ = b.request("GET", "/contacts")
        assert status == 302  # logged out there too: the session ended in the database
    finally:
        for process in (first, second):
            process.kill()
            process.wait()
