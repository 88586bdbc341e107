"""The morning mail's settings: SMTP_URL, MAIL_FROM and PUBLIC_URL, read and checked."""

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app

from tracker.mail.smtp import MailError, SmtpServer, parse_url

SETTINGS = ("SMTP_URL", "MAIL_FROM", "PUBLIC_URL")


@dataclass(frozen=True)
class MailSettings:
    server: SmtpServer
    sender: str
    public_url: str
    timeout: float


def mail_settings() -> MailSettings:
    """The app's mail settings, checked; MailError says what is missing or wrong."""
    config = current_app.config
    missing = [name for name in SETTINGS if not config.get(name)]
    if missing:
        raise MailError(
            f"Mail is not set up: set {' and '.join(missing)} (see the README, The morning mail)."
        )
    try:
        server = parse_url(str(config["SMTP_URL"]))
    except ValueError as error:
        raise MailError(str(error)) from None
    sender = str(config["MAIL_FROM"]).strip()
    if "@" not in parseaddr(sender)[1] or "\n" in sender or "\r" in sender:
        raise MailError("MAIL_FROM is not an email address (such as Jinmyaku <crm@example.jp>).")
    public_url = str(config["PUBLIC_URL"]).strip().rstrip("/")
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise MailError(
            "PUBLIC_URL must be the address of the app, such as https://crm.example.jp."
        )
    try:
        timeout = float(config["SMTP_TIMEOUT"])
    except (TypeError, ValueError) as error:
        raise MailError("SMTP_TIMEOUT must be a number of seconds.") from error
    return MailSettings(server, sender, public_url, timeout)


def mail_is_set_up() -> bool:
    """Whether the app has every setting the morning mail needs."""
    try:
        mail_settings()
    except MailError:
        return False
    return True
