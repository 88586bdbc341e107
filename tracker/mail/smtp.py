"""Handing a mail to an SMTP server, as SMTP_URL says: plain, STARTTLS or implicit TLS.

TLS is verified against the system's trust store (OpenSSL's default paths, which the
SSL_CERT_FILE and SSL_CERT_DIR variables can point elsewhere), host name included, and a
connection that asked for TLS never falls back to plain text. Every failure becomes one
MailError with a one-line message that never contains the password.
"""

import base64
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

# scheme: (security, default port)
SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


class MailError(Exception):
    """A mail that was not sent. ``maybe_sent`` is set when the connection failed while the
    message was being handed over, so the server may have accepted it all the same."""

    def __init__(self, message: str, *, maybe_sent: bool = False) -> None:
        # One line, and one full stop where a server's own text already ended with one.
        super().__init__(re.sub(r"\.\.$", ".", " ".join(message.split())))
        self.maybe_sent = maybe_sent


@dataclass(frozen=True)
class SmtpServer:
    security: str  # plain, starttls or tls
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_url(url: str) -> SmtpServer:
    """Read SMTP_URL; ValueError (without the password) when it is not one of its forms."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(
            "SMTP_URL must start with smtp://, smtp+starttls:// or smtps:// "
            f"(it starts with {scheme + '://' if scheme else 'no scheme'})."
        )
    security, default_port = SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise ValueError("SMTP_URL has a port that is not a number from 1 to 65535.") from error
    if not parts.hostname:
        raise ValueError("SMTP_URL names no host.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("SMTP_URL takes only a user, a password, a host and a port.")
    username, password = unquote(parts.username or ""), unquote(parts.password or "")
    if (username or password) and security == "plain":
        raise ValueError(
            "SMTP_URL: smtp:// would send the password in the clear; "
            "use smtp+starttls:// or smtps:// with a user and password."
        )
    return SmtpServer(security, parts.hostname, port, username, password)


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's trust store, and the host name too."""
    return ssl.create_default_context()


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {text}".strip()


# What a server refused, for the answers that carry an SMTP reply (most specific first).
_REFUSED: tuple[tuple[type[smtplib.SMTPResponseException], Callable[[Any], str]], ...] = (
    (smtplib.SMTPSenderRefused, lambda error: f"the sender {error.sender!s}"),
    (smtplib.SMTPAuthenticationError, lambda error: "the user name or password"),
    (smtplib.SMTPDataError, lambda error: "the message"),
)


def explain(
    error: Exception, server: SmtpServer, timeout: float, *, handing_over: bool
) -> MailError:
    """One line that says why the mail was not sent (smtplib's errors are OSErrors too, so
    they are looked at first)."""
    where = server.where
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(
            f"{address} ({_reply(*reply)})" for address, reply in error.recipients.items()
        )
        return MailError(f"The mail server at {where} refused the recipient {refused}.")
    for kind, what in _REFUSED:
        if isinstance(error, kind):
            return MailError(
                f"The mail server at {where} refused {what(error)}: "
                f"{_reply(error.smtp_code, error.smtp_error)}."
            )
    if isinstance(error, smtplib.SMTPResponseException):
        return MailError(
            f"The mail server at {where} answered {_reply(error.smtp_code, error.smtp_error)}."
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return MailError(f"The mail server at {where} cannot do what was asked: {error}.")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        if handing_over:
            return MailError(
                f"The mail server at {where} closed the connection while the mail was being "
                "handed over; it may have been accepted.",
                maybe_sent=True,
            )
        return MailError(f"The mail server at {where} closed the connection.")
    if isinstance(error, smtplib.SMTPException):
        return MailError(f"The mail to {where} failed: {error}.")
    if isinstance(error, ssl.SSLCertVerificationError):
        return MailError(
            f"The mail server at {where} has a certificate this machine does not trust: "
            f"{error.verify_message}."
        )
    if isinstance(error, ssl.SSLError):
        return MailError(f"TLS with the mail server at {where} failed: {error.reason or error}.")
    if isinstance(error, socket.gaierror):
        return MailError(f"Cannot find the mail server {server.host}: {error.strerror}.")
    if isinstance(error, TimeoutError):
        return MailError(
            f"The mail server at {where} did not answer within {timeout:g} seconds.",
            maybe_sent=handing_over,
        )
    if isinstance(error, ConnectionRefusedError):
        return MailError(f"Cannot reach the mail server at {where}: the connection was refused.")
    if isinstance(error, OSError):
        return MailError(
            f"Cannot reach the mail server at {where}: {error.strerror or error}.",
            maybe_sent=handing_over,
        )
    raise error


def _connect(server: SmtpServer, timeout: float) -> smtplib.SMTP:
    if server.security == "tls":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=tls_context())
    return smtplib.SMTP(server.host, server.port, timeout=timeout)


def send(server: SmtpServer, message: EmailMessage, *, timeout: float) -> None:
    """Hand one message to the server; return once it has accepted it, else MailError."""
    handing_over = False
    client: smtplib.SMTP | None = None
    try:
        client = _connect(server, timeout)
        client.ehlo()
        if server.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailError(f"The mail server at {server.where} does not offer STARTTLS.")
            client.starttls(context=tls_context())
            client.ehlo()
        if server.username:
            _log_in(client, server)
        handing_over = True
        client.send_message(message)
    except MailError:
        raise
    except OSError as error:  # smtplib's errors included
        raise explain(error, server, timeout, handing_over=handing_over) from None
    finally:
        if client is not None:
            _close(client)


def _log_in(client: smtplib.SMTP, server: SmtpServer) -> None:
    """Log in; a user or password beyond ASCII goes as AUTH PLAIN in UTF-8 (RFC 4616),
    which smtplib's login cannot send."""
    if (server.username + server.password).isascii():
        client.login(server.username, server.password)
        return
    if "PLAIN" not in client.esmtp_features.get("auth", "").upper().split():
        raise MailError(
            f"The mail server at {server.where} offers no login method that can carry a user "
            "name or password with characters beyond ASCII (it would need AUTH PLAIN)."
        )
    secret = f"\0{server.username}\0{server.password}".encode()
    code, reply = client.docmd("AUTH", "PLAIN " + base64.b64encode(secret).decode("ascii"))
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _close(client: smtplib.SMTP) -> None:
    """Say QUIT politely; what the server answers no longer matters (the mail is decided)."""
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
