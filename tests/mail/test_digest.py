"""``flask digest --send``: one well-formed mail, received by a real SMTP server (aiosmtpd),
parsed and checked: headers, both parts, charset, language, and every link."""

from datetime import date
from email import message_from_bytes, policy
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import stored
from tracker.db import write_transaction
from tracker.models import User

PUBLIC_URL = "https://crm.example.jp/team"
MAIL_FROM = "Jinmyaku <crm@example.jp>"


@pytest.fixture
def app_config(request):
    # Tests that need no server get a port that refuses connections.
    server = "smtp_port" if "smtp_port" in request.fixturenames else "refused_port"
    return {
        "SMTP_URL": f"smtp://127.0.0.1:{request.getfixturevalue(server)}",
        "MAIL_FROM": MAIL_FROM,
        "PUBLIC_URL": PUBLIC_URL + "/",
    }


class Page(HTMLParser):
    """The tags, attributes and links of an HTML part."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def parse_html(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture
def people(make_contact, make_touchpoint):
    """Someone going cold, a new card with a follow-up due today, and a name to escape."""
    cold = make_contact(family_name="冷え", given_name="太郎", stage="acquaintance")
    make_touchpoint([cold], occurred_on=date(2026, 6, 1))
    new = make_contact(family_name="新顔", given_name="", first_met_on=date(2026, 11, 20))
    make_touchpoint(
        [new], kind="card_exchange", occurred_on=date(2026, 11, 20), follow_up_on=date(2026, 11, 27)
    )
    odd = make_contact(family_name="<b>Smith", given_name="& Sons", first_met_on=date(2026, 11, 1))
    make_touchpoint([odd], kind="card_exchange", occurred_on=date(2026, 11, 1))
    return cold, new, odd


def sent_mail(runner, email, *extra):
    result = runner.invoke(args=["digest", "--user", email, "--send", *extra])
    assert result.exit_code == 0, result.output
    return result


def test_the_digest_is_mailed_as_one_well_formed_mail(runner, user, people, inbox, smtp_port):
    cold, new, odd = people
    result = sent_mail(runner, user.email)
    assert result.output == f"Sent the digest to {user.email}.\n"

    ((envelope_from, recipients, raw),) = inbox.received
    assert envelope_from == "crm@example.jp" and recipients == [user.email]
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["To"].addresses[0].addr_spec == user.email
    assert mail["To"].addresses[0].display_name == user.display_name
    assert mail["From"] == MAIL_FROM
    assert mail["Subject"] == ("Jinmyaku 27 Nov: 1 follow-up due, 2 new cards, 1 going cold")
    assert mail["Date"] and mail["Message-ID"].endswith("@example.jp>")
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "multipart/alternative"
    text_part, html_part = mail.iter_parts()
    assert (text_part.get_content_type(), html_part.get_content_type()) == (
        "text/plain",
        "text/html",
    )
    assert text_part.get_content_charset() == html_part.get_content_charset() == "utf-8"
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))

    text = text_part.get_content().replace("\r\n", "\n")
    assert text.startswith("Jinmyaku — 27 Nov 2026\n")
    assert "Follow-ups due (1)\n- 新顔 [Card only] Due today\n" in text
    assert (
        "Going cold (1)\n- 冷え 太郎 [Acquaintance] Cold · 0.9× its cadence past due (87 days) "
        "· last touch 1 Jun 2026" in text
    )
    assert f"- {odd.name} [Card only] 4 days left · met 1 Nov 2026\n" in text  # not escaped
    assert odd.name == "& Sons <b>Smith"
    for person in (cold, new, odd):
        assert f"{PUBLIC_URL}/contacts/{person.id}\n" in text
        assert f"Log a touchpoint: {PUBLIC_URL}/touchpoints/new?contact={person.id}\n" in text
    assert f"{PUBLIC_URL}/settings" in text

    html = html_part.get_content()
    assert "&amp; Sons &lt;b&gt;Smith" in html and "<b>Smith" not in html
    page = parse_html(html)
    assert ("html", {"lang": "en"}) in page.tags
    hrefs = [href for href, _ in page.links]
    assert all(href.startswith(PUBLIC_URL + "/") for href in hrefs), hrefs
    for person in (cold, new, odd):
        assert (f"{PUBLIC_URL}/contacts/{person.id}", person.name) in page.links
        assert (
            f"{PUBLIC_URL}/touchpoints/new?contact={person.id}",
            "Log a touchpoint",
        ) in page.links


def test_the_html_part_is_what_mail_clients_show(runner, user, people, inbox, smtp_port):
    """Inline styles only: no style or link element, no class, no script, no images, no
    handlers; everything the mail shows is in the mail."""
    sent_mail(runner, user.email)
    (mail,) = inbox.messages()
    page = parse_html(mail.get_body(("html",)).get_content())
    names = {tag for tag, _ in page.tags}
    assert not names & {
        "script",
        "style",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "form",
        "base",
    }
    for tag, attrs in page.tags:
        assert "class" not in attrs and "id" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs and "background" not in attrs, (tag, attrs)
        assert "url(" not in (attrs.get("style") or ""), (tag, attrs)
    assert sum(1 for _, attrs in page.tags if attrs.get("style")) > 20


def test_a_name_with_a_line_break_stays_on_one_header_line(runner, app, user, inbox, smtp_port):
    with write_transaction(app) as session:
        stored(session, User, user.id).display_name = "山田\r\nBcc: x@example.jp"
    sent_mail(runner, user.email)
    ((_, recipients, raw),) = inbox.received
    assert recipients == [user.email]
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Bcc"] is None
    assert mail["To"].addresses[0].display_name == "山田 Bcc: x@example.jp"


def test_a_japanese_user_gets_a_japanese_mail(
    runner, make_user, make_contact, make_touchpoint, inbox, smtp_port
):
    owner = make_user(language="ja", display_name="山田 花子")
    cold = make_contact(owner=owner, family_name="冷え", given_name="")
    make_touchpoint([cold], owner=owner, occurred_on=date(2026, 9, 1))
    sent_mail(runner, owner.email)
    ((_, _, raw),) = inbox.received
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # non-ASCII headers travel as RFC 2047 encoded words
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == "人脈 11月27日: 冷えつつある関係 1 人"
    assert mail["To"].addresses[0].display_name == "山田 花子"
    plain = mail.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert (
        "冷えつつある関係（1）\n- 冷え [名刺交換のみ] 冷えている · 間隔の 1.9 倍超過（57 日） · "
        "最終接点 2026年9月1日\n" in text
    )
    assert "  接点を記録: " in text and "このメールは" in text
    rich = mail.get_body(("html",))
    assert rich is not None
    html = rich.get_content()
    assert ("html", {"lang": "ja"}) in parse_html(html).tags


def test_long_lists_show_ten_and_link_to_the_rest(
    runner, user, make_contact, make_touchpoint, inbox, smtp_port
):
    for n in range(12):
        # On a quarterly cadence: monthly, a card met once would have faded by now.
        person = make_contact(family_name=f"冷{n:02d}", given_name="", cadence="every 3 months")
        make_touchpoint([person], occurred_on=date(2026, 8, 1))
    sent_mail(runner, user.email)
    (mail,) = inbox.messages()
    page = parse_html(mail.get_body(("html",)).get_content())
    contact_links = [href for href, _ in page.links if "/contacts/" in href and "?" not in href]
    assert len(contact_links) == 10
    ((more, label),) = [(href, text) for href, text in page.links if text.startswith("See all")]
    assert label == "See all 12"
    parts = urlsplit(more)
    assert parts.path == "/team/contacts"
    assert parse_qs(parts.query) == {"warmth": ["going_cold"], "sort": ["overdue"]}


def test_an_empty_digest_says_so(runner, user, inbox, smtp_port):
    sent_mail(runner, user.email, "--today", "2026-12-01")
    (mail,) = inbox.messages()
    assert mail["Subject"] == "Jinmyaku 1 Dec: nothing needs you today"
    assert "Nothing needs you today." in mail.get_body(("plain",)).get_content()


def test_a_closed_port_is_a_clean_failure(runner, user, people):
    result = runner.invoke(args=["digest", "--user", user.email, "--send"])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("Error: Cannot reach the mail server at 127.0.0.1:")
    assert line.endswith("the connection was refused.")
    assert "Traceback" not in result.output


def test_a_refusal_is_a_clean_failure(runner, user, people, inbox, smtp_port):
    inbox.refuse_rcpt = "550 5.1.1 Mailbox unavailable"
    result = runner.invoke(args=["digest", "--user", user.email, "--send"])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line == (
        f"Error: The mail server at 127.0.0.1:{smtp_port} refused the recipient "
        f"{user.email} (550 5.1.1 Mailbox unavailable)."
    )
    assert inbox.received == []


@pytest.mark.parametrize(
    ("config", "says"),
    [
        (
            {"SMTP_URL": None},
            "Error: Mail is not set up: set SMTP_URL (see the README, The morning mail).",
        ),
        (
            {"SMTP_URL": None, "MAIL_FROM": ""},
            "Error: Mail is not set up: set SMTP_URL and MAIL_FROM",
        ),
        (
            {"SMTP_URL": "smtp://u:hunter2@mail.example.jp"},
            "Error: SMTP_URL: smtp:// would send the password in the clear",
        ),
        ({"MAIL_FROM": "Jinmyaku"}, "Error: MAIL_FROM is not an email address"),
        (
            {"MAIL_FROM": "crm@example.jp\nBcc: x@example.jp"},
            "Error: MAIL_FROM is not an email address",
        ),
        ({"PUBLIC_URL": "crm.example.jp"}, "Error: PUBLIC_URL must be the address of the app"),
    ],
)
def test_missing_or_wrong_settings_are_named(app, runner, user, config, says):
    app.config.update(config)
    result = runner.invoke(args=["digest", "--user", user.email, "--send"])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(says)
    assert "hunter2" not in line


def test_send_and_json_do_not_mix_and_the_text_digest_still_prints(runner, user, people):
    result = runner.invoke(args=["digest", "--user", user.email, "--send", "--json"])
    assert result.exit_code == 2 and "choose one" in result.output
    printed = runner.invoke(args=["digest", "--user", user.email])
    assert printed.exit_code == 0 and "Going cold (1)\n" in printed.output
    # What --send would mail, linked to PUBLIC_URL.
    assert "\n  https://crm.example.jp/team/contacts/" in printed.output


def test_the_mail_lists_faded_cards_and_says_why_a_label_is_unsupported(
    runner, user, make_contact, make_touchpoint, inbox, smtp_port
):
    faded = make_contact(family_name="昔", given_name="")
    make_touchpoint([faded], kind="card_exchange", occurred_on=date(2025, 5, 1))
    stale = make_contact(family_name="疎遠", given_name="", stage="collaborator")
    make_touchpoint([stale], kind="worked_together", occurred_on=date(2024, 1, 10))
    make_touchpoint([stale], kind="consulted_me", occurred_on=date(2024, 2, 1))
    make_touchpoint([stale], kind="consulted_them", occurred_on=date(2024, 3, 1))
    sent_mail(runner, user.email)
    (mail,) = inbox.messages()
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Faded cards (1)\n" in text and "- 昔 [Card only] met 1 May 2025, never since" in text
    assert (
        "- 疎遠 [Collaborator] No referral or consultation, either way, in the last 12 months."
        in text
    )
