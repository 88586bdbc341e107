"""CSRF protection is on in the app: a POST without the token is refused, with it accepted."""

import re

import pytest
from sqlalchemy import func, select

from tracker.db import write_transaction
from tracker.models import Contact


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token_from(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def count(app):
    with write_transaction(app) as session:
        return session.scalar(select(func.count()).select_from(Contact))


def test_post_without_token_is_refused_and_with_token_accepted(signed_in, app):
    data = {"family_name": "山田", "met_on": "2026-11-27", "save": "Save"}
    refused = signed_in.post("/cards/new", data=data)
    assert refused.status_code == 400
    assert "expired" in refused.get_data(as_text=True)
    assert count(app) == 0
    token = token_from(signed_in.get("/cards/new").get_data(as_text=True))
    accepted = signed_in.post("/cards/new", data={**data, "csrf_token": token})
    assert accepted.status_code == 302
    assert count(app) == 1


def test_delete_and_logout_buttons_need_the_token(signed_in, app, make_contact):
    contact = make_contact()
    assert signed_in.post(f"/contacts/{contact.id}/delete").status_code == 400
    assert signed_in.post("/logout").status_code == 400
    assert count(app) == 1
    assert signed_in.get("/contacts").status_code == 200
