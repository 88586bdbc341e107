"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port, plain, with
STARTTLS or with implicit TLS, certificates from a test CA made here (trustme), optional
AUTH, and an inbox that keeps what it accepted."""

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound, never listening, and held for the
    block, so that no parallel test can start listening on it meanwhile."""
    with socket.socket() as held:
        held.bind((HOST, 0))
        yield int(held.getsockname()[1])


class _Controller(Controller):
    """aiosmtpd's controller on a port the system picks when it binds (port 0): a port
    chosen first and bound later could be taken by a parallel test in between."""

    def _trigger_server(self) -> None:
        server = self.server
        assert isinstance(server, asyncio.Server)
        self.port = int(server.sockets[0].getsockname()[1])
        super()._trigger_server()


@dataclass
class Inbox:
    """aiosmtpd's handler: accepts mail (or refuses it as told) and keeps what it took."""

    refuse_rcpt: str = ""  # a reply such as "550 5.1.1 No such user" for every recipient
    refuse_data: str = ""
    drop_at_data: bool = False  # close the connection after the message, before replying
    # Overlap tests: the first DATA waits until two connections have said EHLO. A client
    # opens one connection at a time and this one is not done, so the other is another
    # client's: ``overlapped`` says the two were talking to the server at the same time.
    hold_first: bool = False
    overlapped: bool = False
    two_sessions: threading.Event = field(default_factory=threading.Event)
    on_data: Any = None  # called (in a worker thread) while the client waits for the reply
    expected_login: tuple[str, str] = ("", "")
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.sessions += 1
            if self.sessions >= 2:
                self.two_sessions.set()
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold_first:
            self.hold_first = False
            loop = asyncio.get_running_loop()
            self.overlapped = await loop.run_in_executor(None, self.two_sessions.wait, 60)
        if self.on_data is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_data)
        if self.refuse_data:
            return self.refuse_data
        if self.drop_at_data:
            server.transport.close()
            return "250 OK"  # never reaches the client
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK: queued"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == self.expected_login, handled=False)

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [
                message_from_bytes(content, policy=policy.default)
                for _, _, content in self.received
            ]


@dataclass
class MailCA:
    """A certificate authority made for one test run, and the file that trusts it."""

    ca: trustme.CA
    bundle: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(HOST, "localhost").configure_cert(context)
        return context


def make_ca(folder: Path) -> MailCA:
    ca = trustme.CA()
    bundle = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    return MailCA(ca, bundle)


@contextmanager
def smtp_server(
    inbox: Inbox,
    *,
    security: str = "plain",
    tls: ssl.SSLContext | None = None,
    login: tuple[str, str] | None = None,
) -> Iterator[int]:
    """Serve SMTP on a free loopback port (yielded) until the block ends."""
    kwargs: dict[str, Any] = {"server_hostname": "mail.test", "ready_timeout": 10}
    if security == "starttls":
        kwargs.update(tls_context=tls, require_starttls=True)
    elif security == "tls":
        kwargs.update(ssl_context=tls, auth_require_tls=False)
    if login is not None:
        inbox.expected_login = login
        # Over implicit TLS aiosmtpd cannot tell the connection is encrypted: it offers AUTH
        # there only when not told to require TLS (and then warns if AUTH is required).
        kwargs.update(authenticator=inbox.authenticate, auth_required=security != "tls")
    controller = _Controller(inbox, hostname=HOST, port=0, **kwargs)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
