"""Every page a signed-in user can reach renders."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/contacts",
        "/contacts/new",
        "/cards/new",
        "/touchpoints/new",
        "/events",
        "/events/new",
        "/settings",
    ],
)
def test_page_renders(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    assert b"<h1" in response.data
