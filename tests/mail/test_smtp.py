"""SMTP_URL and delivery, against a real SMTP server (aiosmtpd): plain, STARTTLS and SMTPS,
with a test CA trusted through SSL_CERT_FILE, and every way a server can say no."""

import ssl
from email.message import EmailMessage

import pytest

from tests.mail.support import Inbox, make_ca, smtp_server
from tracker.mail.smtp import MailError, SmtpServer, parse_url, send, tls_context

USER, PASSWORD = "me@example.jp", "p@ss:w/rd% +パス"
# The same, percent-encoded as SMTP_URL carries them.
USER_Q, PASSWORD_Q = "me%40example.jp", "p%40ss%3Aw%2Frd%25%20+%E3%83%91%E3%82%B9"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.jp:2525", SmtpServer("plain", "mail.example.jp", 2525)),
        ("smtp://mail.example.jp", SmtpServer("plain", "mail.example.jp", 25)),
        ("smtp://127.0.0.1:1025/", SmtpServer("plain", "127.0.0.1", 1025)),
        (
            f"smtp+starttls://{USER_Q}:{PASSWORD_Q}@mail.example.jp:587",
            SmtpServer("starttls", "mail.example.jp", 587, USER, PASSWORD),
        ),
        (
            "smtp+starttls://u:pw@Mail.Example.JP",
            SmtpServer("starttls", "mail.example.jp", 587, "u", "pw"),
        ),
        ("smtps://u:pw@mail.example.jp", SmtpServer("tls", "mail.example.jp", 465, "u", "pw")),
        ("SMTPS://u:pw@[::1]:4650", SmtpServer("tls", "::1", 4650, "u", "pw")),
        ("smtps://u:a+b@h.example.jp", SmtpServer("tls", "h.example.jp", 465, "u", "a+b")),
    ],
)
def test_smtp_url_forms(url, expected):
    server = parse_url(url)
    assert server == expected
    assert "password" not in repr(server)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.jp", "must start with smtp://"),
        ("mail.example.jp:25", "must start with smtp://"),
        ("smtp://", "names no host"),
        ("smtp://mail.example.jp:99999", "port"),
        ("smtp://mail.example.jp:port", "port"),
        ("smtp://user:secret@mail.example.jp", "in the clear"),
        ("smtps://user:secret@mail.example.jp/inbox", "only a user"),
        ("smtps://user:secret@mail.example.jp?tls=no", "only a user"),
    ],
)
def test_bad_smtp_urls_are_explained_without_the_password(url, says):
    with pytest.raises(ValueError, match=says) as caught:
        parse_url(url)
    assert "secret" not in str(caught.value)


def test_tls_verifies_the_certificate_and_the_host_name():
    context = tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def message(to: str = "you@example.jp") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "crm@example.jp"
    mail["To"] = to
    mail["Subject"] = "テスト"
    mail.set_content("本文です。")
    return mail


@pytest.fixture
def ca(tmp_path, monkeypatch):
    """A test CA that this process trusts, the way a machine's trust store is pointed
    elsewhere (OpenSSL reads SSL_CERT_FILE when the default context is made)."""
    made = make_ca(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(made.bundle))
    return made


def test_plain_delivery():
    inbox = Inbox()
    with smtp_server(inbox) as port:
        send(parse_url(f"smtp://127.0.0.1:{port}"), message(), timeout=10)
    ((sender, recipients, _),) = inbox.received
    assert (sender, recipients) == ("crm@example.jp", ["you@example.jp"])
    (received,) = inbox.messages()
    assert received["Subject"] == "テスト"
    assert received.get_content().strip() == "本文です。"


@pytest.mark.parametrize(("security", "scheme"), [("starttls", "smtp+starttls"), ("tls", "smtps")])
def test_tls_delivery_logs_in_with_the_percent_decoded_user_and_password(ca, security, scheme):
    inbox = Inbox()
    with smtp_server(
        inbox, security=security, tls=ca.server_context(), login=(USER, PASSWORD)
    ) as port:
        send(parse_url(f"{scheme}://{USER_Q}:{PASSWORD_Q}@127.0.0.1:{port}"), message(), timeout=10)
    assert inbox.logins == [(USER, PASSWORD)]
    assert len(inbox.received) == 1


@pytest.mark.parametrize(("security", "scheme"), [("starttls", "smtp+starttls"), ("tls", "smtps")])
def test_an_untrusted_certificate_is_refused_before_the_password_is_sent(
    ca, tmp_path, security, scheme
):
    (tmp_path / "stranger").mkdir()
    stranger = make_ca(tmp_path / "stranger")  # a CA this machine has never heard of
    inbox = Inbox()
    with (
        smtp_server(
            inbox, security=security, tls=stranger.server_context(), login=(USER, PASSWORD)
        ) as port,
        pytest.raises(MailError, match="does not trust") as caught,
    ):
        send(
            parse_url(f"{scheme}://{USER_Q}:{PASSWORD_Q}@127.0.0.1:{port}"),
            message(),
            timeout=10,
        )
    assert not caught.value.maybe_sent
    assert inbox.logins == [] and inbox.received == []


def test_a_certificate_for_another_host_is_refused(ca):
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.ca.issue_cert("mail.elsewhere.example").configure_cert(context)
    with (
        smtp_server(inbox, security="tls", tls=context) as port,
        pytest.raises(
            MailError,
            match=r"does not trust: IP address mismatch, certificate is not valid for '127\.0\.0\.1'\.$",
        ),
    ):
        send(parse_url(f"smtps://127.0.0.1:{port}"), message(), timeout=10)
    assert inbox.received == []


def test_starttls_is_never_skipped_when_the_server_does_not_offer_it():
    inbox = Inbox()
    with smtp_server(inbox) as port, pytest.raises(MailError, match="does not offer STARTTLS"):
        send(parse_url(f"smtp+starttls://u:pw@127.0.0.1:{port}"), message(), timeout=10)
    assert inbox.logins == [] and inbox.received == []


def test_a_wrong_password_is_refused(ca):
    inbox = Inbox()
    with (
        smtp_server(
            inbox, security="starttls", tls=ca.server_context(), login=(USER, PASSWORD)
        ) as port,
        pytest.raises(MailError, match="refused the user name or password: 535"),
    ):
        send(parse_url(f"smtp+starttls://{USER_Q}:wrong@127.0.0.1:{port}"), message(), timeout=10)
    assert inbox.received == []


@pytest.mark.parametrize(
    ("inbox", "says"),
    [
        (
            Inbox(refuse_rcpt="550 5.1.1 No such user"),
            "refused the recipient you@example.jp (550 5.1.1 No such user)",
        ),
        (
            Inbox(refuse_data="554 5.7.1 Looks like spam"),
            "refused the message: 554 5.7.1 Looks like spam",
        ),
    ],
)
def test_a_refusal_is_one_line_and_certainly_not_delivered(inbox, says):
    with smtp_server(inbox) as port, pytest.raises(MailError) as caught:
        send(parse_url(f"smtp://127.0.0.1:{port}"), message(), timeout=10)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not caught.value.maybe_sent


def test_a_connection_lost_while_handing_the_mail_over_may_have_delivered_it():
    inbox = Inbox(drop_at_data=True)
    with (
        smtp_server(inbox) as port,
        pytest.raises(MailError, match="may have been accepted") as caught,
    ):
        send(parse_url(f"smtp://127.0.0.1:{port}"), message(), timeout=10)
    assert caught.value.maybe_sent


def test_a_closed_port(refused_port):
    port = refused_port
    with pytest.raises(
        MailError,
        match=f"Cannot reach the mail server at 127.0.0.1:{port}: the connection was refused",
    ) as caught:
        send(parse_url(f"smtp://127.0.0.1:{port}"), message(), timeout=10)
    assert not caught.value.maybe_sent
