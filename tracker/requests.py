"""Requests refused before the app sees them: a malformed Host header, oversized headers.

Werkzeug turns the Host into a URL adapter with the IDNA codec, which fails on a label of
64 characters or more, or an empty one (``a..b``); and nothing in the stack caps a header.
So the WSGI layer checks both first and answers a plain 400 that needs neither a template
nor the database. The limits are nginx's defaults: 8 KiB for one header line, 32 KiB for
all of them.
"""

import html
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

MAX_HEADER_BYTES = 8 * 1024
MAX_HEADERS_BYTES = 32 * 1024
_LABEL = r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)"
_HOST = re.compile(
    rf"(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?\])(?::[0-9]{{1,5}})?"
)
_HEADERS = (
    "Content-Security-Policy",
    "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
)

logger = logging.getLogger("tracker.requests")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def host_is_valid(host: str) -> bool:
    """A DNS name (labels of 1–63 characters), an IPv4 or a bracketed IPv6 address, with an
    optional port; or nothing at all (HTTP/1.0)."""
    if not host:
        return True
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return len(name) <= 253 and _HOST.fullmatch(host) is not None


def problem(environ: dict[str, Any]) -> str | None:
    """Why this request is refused, or None."""
    if not host_is_valid(environ.get("HTTP_HOST", "")):
        return "bad Host header"
    total = 0
    for key, value in environ.items():
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            size = len(key) + len(str(value))
            if size > MAX_HEADER_BYTES:
                return f"oversized header {key}"
            total += size
    if total > MAX_HEADERS_BYTES:
        return "oversized headers"
    return None


class RequestGuard:
    """WSGI middleware: a 400 for a request no page should see."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        reason = problem(environ)
        if reason is None:
            return self.app(environ, start_response)
        request_id = uuid.uuid4().hex[:16]
        logger.info(
            "400 %s: %s %s",
            reason,
            environ.get("REQUEST_METHOD", "?"),
            environ.get("PATH_INFO", "")[:200],
            extra={"request_id": request_id},
        )
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Bad request · Jinmyaku</title></head><body><h1>Bad request</h1>"
            "<p>The request could not be understood (不正なリクエストです).</p>"
            f"<p>Error 400 · {html.escape(request_id)}</p></body></html>"
        ).encode()
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("X-Request-Id", request_id),
                ("X-Content-Type-Options", "nosniff"),
                _HEADERS,
            ],
        )
        return [body]
