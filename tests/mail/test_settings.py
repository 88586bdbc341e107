"""The morning mail in Settings: on or off, its hour, a test mail sent to a real SMTP server
(aiosmtpd), and what became of the last mail."""

from datetime import UTC, date, datetime

import pytest

from tests.conftest import log_in, stored
from tracker.db import write_transaction
from tracker.models import DigestMail, Tag, User


def settings_page(client) -> str:
    return client.get("/settings").get_data(as_text=True)


def hour_of(app, user):
    with write_transaction(app) as session:
        return stored(session, User, user.id).digest_hour


def test_without_mail_settings_the_page_says_so_and_offers_no_test(signed_in):
    page = settings_page(signed_in)
    assert '<h2 id="mail-heading">Morning mail</h2>' in page
    assert "This server cannot send mail yet" in page
    assert "Send me a test mail now" not in page
    assert '<option selected value="7">07:00</option>' in page
    assert '<input id="digest-enabled" name="digest-enabled" type="checkbox" value="y">' in page


def test_turning_the_mail_on_and_off(signed_in, app, user):
    response = signed_in.post(
        "/settings/mail", data={"digest-enabled": "y", "digest-hour": "6", "digest-save": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings#mail-heading")
    assert hour_of(app, user) == 6
    page = settings_page(signed_in)
    assert "The morning mail goes out each day after 06:00." in page
    assert '<option selected value="6">06:00</option>' in page
    assert '<input checked id="digest-enabled" name="digest-enabled"' in page
    signed_in.post("/settings/mail", data={"digest-hour": "6", "digest-save": "1"})
    assert hour_of(app, user) is None
    assert "The morning mail is off." in settings_page(signed_in)


@pytest.mark.parametrize("hour", ["24", "-1", "seven", ""])
def test_a_bad_hour_changes_nothing(signed_in, app, user, hour):
    signed_in.post("/settings/mail", data={"digest-enabled": "y", "digest-hour": "3"})
    signed_in.post("/settings/mail", data={"digest-enabled": "y", "digest-hour": hour})
    assert hour_of(app, user) == 3
    assert "Choose an hour from 0 to 23." in settings_page(signed_in)


def test_the_page_speaks_japanese(client, make_user):
    owner = make_user(language="ja", time_zone="Asia/Tokyo")
    log_in(client, owner)
    page = settings_page(client)
    assert "朝のメール" in page and "朝のメールを受け取る" in page
    assert (
        '<p class="hint" id="digest-hour-hint">時刻はあなたのタイムゾーン（Asia/Tokyo）で数えます。</p>'
        in page
    )


@pytest.mark.parametrize(
    ("status", "error", "says"),
    [
        ("sent", "", "The morning mail for 27 Nov 2026 was sent"),
        (
            "failed",
            "The mail server at x:25 answered 451 later.",
            "The morning mail for 27 Nov 2026 was not sent: The mail server at x:25 answered 451 later.",
        ),
        (
            "unknown",
            "The mail server at x:25 closed the connection",
            "may not have arrived: The mail server at x:25 closed the connection",
        ),
        ("sending", "", "The morning mail for 27 Nov 2026 is being sent."),
    ],
)
def test_the_page_tells_what_became_of_the_last_mail(signed_in, app, user, status, error, says):
    with write_transaction(app) as session:
        session.add(
            DigestMail(
                user_id=user.id,
                day=date(2026, 11, 27),
                status=status,
                error=error,
                finished_at=datetime(2026, 11, 26, 22, 0, 3, tzinfo=UTC),
            )
        )
    assert says in settings_page(signed_in)


class TestTheTestMail:
    @pytest.fixture
    def app_config(self, smtp_port):
        return {
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "MAIL_FROM": "crm@example.jp",
            "PUBLIC_URL": "https://crm.example.jp",
            # A write that waits for a lock fails fast, so a held lock shows at once.
            "SQLITE_BUSY_TIMEOUT_MS": 2_000,
        }

    def test_it_arrives_and_the_page_says_so(
        self, signed_in, app, user, make_contact, make_touchpoint, inbox
    ):
        new = make_contact(family_name="試験", given_name="", first_met_on=date(2026, 11, 20))
        make_touchpoint([new], kind="card_exchange", occurred_on=date(2026, 11, 20))
        writes = []

        def write_meanwhile():
            # Another request writing while the mail server has the message: the test
            # mail must not hold the database while it waits.
            with write_transaction(app) as session:
                session.add(Tag(user_id=user.id, name="written meanwhile"))
            writes.append(True)

        inbox.on_data = write_meanwhile
        page = settings_page(signed_in)
        assert "Send me a test mail now" in page and "cannot send mail yet" not in page
        response = signed_in.post("/settings/mail/test", follow_redirects=True)
        assert f"A test mail is on its way to {user.email}." in response.get_data(as_text=True)
        (mail,) = inbox.messages()
        assert mail["To"].addresses[0].addr_spec == user.email
        assert "試験" in mail.get_body(("plain",)).get_content()
        assert writes == [True]

    def test_a_failure_is_shown_in_one_line(self, signed_in, app, inbox, smtp_port, refused_port):
        inbox.refuse_rcpt = "550 5.1.1 Mailbox unavailable"
        page = signed_in.post("/settings/mail/test", follow_redirects=True).get_data(as_text=True)
        assert (
            f"The test mail was not sent: The mail server at 127.0.0.1:{smtp_port} refused the "
            "recipient"
        ) in page
        app.config["SMTP_URL"] = f"smtp://127.0.0.1:{refused_port}"
        page = signed_in.post("/settings/mail/test", follow_redirects=True).get_data(as_text=True)
        assert "the connection was refused." in page
