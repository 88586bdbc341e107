"""What the mail tests share: an inbox and a real SMTP server (aiosmtpd) that fills it."""

from collections.abc import Iterator

import pytest

from tests.mail.support import Inbox, closed_port, smtp_server


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_port(inbox: Inbox) -> Iterator[int]:
    """A plain SMTP server on a free loopback port, for this test."""
    with smtp_server(inbox) as port:
        yield port


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port where a connection is refused, for this test."""
    with closed_port() as port:
        yield port
