"""Bad requests are 400s, and the error page cannot fail (issue 15, findings 5 and 6, and
the deployment's error reports).

- A malformed Host header (a label of 64+ characters, an empty label) and oversized headers
  are refused with a 400 before the app sees them.
- CR/LF in any redirect target is never put in a Location header: the redirect goes to the
  default page, after the change was saved, instead of a 500.
- When the error page itself cannot be rendered (the database it needs is gone), a plain
  page says the same; each error is logged once, with the request id the page shows.
"""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select

from tests.conftest import PASSWORD, make_config
from tracker import create_app
from tracker.db import database, write_transaction
from tracker.models import SecurityEvent, UserSession
from tracker.requests import host_is_valid

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "host",
    [
        "a" * 64 + ".example.jp",
        "a..b",
        "a" * 64,
        ".example.jp",
        "-a.example.jp",
        "例え.jp",
        "x" * 250 + ".jp",
        "a b",
        "a/b",
        "[::1",
        "example.jp:99999999",
    ],
)
def test_finding_6_a_bad_host_header_is_a_400(client, user, host):
    response = client.get("/login", headers={"Host": host})
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert response.headers["X-Request-Id"]


@pytest.mark.parametrize(
    "host",
    [
        "example.jp",
        "crm.example.jp:8443",
        "localhost",
        "127.0.0.1:5000",
        "[::1]:8000",
        "a" * 63 + ".jp",
    ],
)
def test_good_host_headers_pass(client, user, host):
    assert host_is_valid(host)
    assert client.get("/login", headers={"Host": host}).status_code == 200


def test_oversized_headers_are_a_400(client, user):
    assert client.get("/login", headers={"X-Big": "a" * 9_000}).status_code == 400
    many = {f"X-Part-{n}": "a" * 4_000 for n in range(10)}
    assert client.get("/login", headers=many).status_code == 400
    assert client.get("/login", headers={"X-Fine": "a" * 4_000}).status_code == 200


def test_finding_5_cr_lf_in_next_is_not_a_500_after_the_login_was_saved(client, app, user):
    response = client.post(
        "/login?next=/%0d%0aX:1", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/" and "X" not in response.headers
    assert client.get("/contacts").status_code == 200  # signed in: the login was saved
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(UserSession)) == 1
        assert session.scalar(select(SecurityEvent.kind)) == "login"


@pytest.mark.parametrize(
    "target", ["/%0d%0aX:1", "/%0aSet-Cookie:x=1", "/%09x", "/%7fx", "//evil.example", "/\\evil"]
)
def test_every_redirect_target_is_checked(signed_in, make_contact, target):
    person = make_contact()
    response = signed_in.post(f"/contacts/{person.id}/touch?next={target}", data={"kind": "call"})
    assert response.status_code == 302
    assert response.location == f"/contacts/{person.id}"


def test_a_save_followed_by_a_failing_page_does_not_claim_nothing_was_saved(
    signed_in, app, make_contact
):
    """The error page tells the truth about a change that was committed before the error."""
    from tracker.db import write_session

    @app.route("/saves-then-fails", methods=["POST"])
    def saves_then_fails():
        session = write_session()
        session.add(SecurityEvent(user_id=1, kind="export", detail="saved"))
        session.commit()
        raise RuntimeError("after the commit")

    page = signed_in.post("/saves-then-fails").get_data(as_text=True)
    assert "was saved" in page and "Nothing was saved" not in page


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"), reason="a SQLite file"
)
def test_the_error_page_falls_back_to_a_plain_page_when_the_database_is_gone(
    tmp_path, caplog, password_hash
):
    caplog.set_level(logging.INFO)
    gone = tmp_path / "no such folder" / "jinmyaku.sqlite3"
    app = create_app(make_config(gone))
    client = app.test_client()
    with client.session_transaction() as session:  # a signed-in browser's cookie
        session["_user_id"] = "1"
        session["sid"] = "x" * 43
    response = client.get("/contacts")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "Traceback" not in page
    request_id = response.headers["X-Request-Id"]
    assert request_id in page
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].request_id == request_id
    assert sum(1 for r in caplog.records if r.exc_info) == 1
    database(app).engine.dispose()


SERVE = """
import logging
import app  # as waitress-serve app:app does: the app first, then waitress's logging
from waitress import create_server
logging.basicConfig()
server = create_server(app.app, host="127.0.0.1", port=0, threads=2)
print(server.effective_port, flush=True)
server.run()
"""


def test_under_waitress_each_error_is_logged_once_with_its_request_id(tmp_path):
    """The deployment's finding: one traceback was logged five times."""
    import http.client

    secret = "log-test-secret"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        "SECRET_KEY": secret,
    }
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err
        )
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            signer = create_app(make_config(tmp_path / "x.sqlite3", SECRET_KEY=secret))
            interface = signer.session_interface
            assert isinstance(interface, SecureCookieSessionInterface)
            serializer = interface.get_signing_serializer(signer)
            assert serializer is not None
            cookie = serializer.dumps({"_user_id": "1", "sid": "x" * 43, "seen": int(time.time())})
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            connection.request("GET", "/contacts", headers={"Cookie": f"jinmyaku_session={cookie}"})
            response = connection.getresponse()
            body = response.read().decode()
            request_id = response.getheader("X-Request-Id")
            connection.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()  # type: ignore[union-attr]
    text = log.read_text()
    assert response.status == 500 and "Something went wrong" in body
    assert request_id is not None and request_id in body
    records = [line for line in text.splitlines() if line.startswith("[20")]
    errors = [line for line in records if " ERROR " in line]
    assert len(errors) == 1 and f"[{request_id}]" in errors[0], text
    # One traceback (an exception chained to its cause prints two parts), and no other.
    chained = text.count("The above exception was") + text.count("During handling of the above")
    assert text.count("Traceback (most recent call last)") == 1 + chained, text
    assert "Exception while serving" not in text and "finalizing failed" not in text, text
