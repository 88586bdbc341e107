"""Configuration: defaults, then instance/config.py, then the environment, then tests."""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

# Plain environment variables a deployment sets (also accepted with the FLASK_ prefix).
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "PREFER_HTTPS",
    "DEFAULT_TIMEZONE",
    "PROXY_COUNT",
    "SMTP_URL",
    "MAIL_FROM",
    "PUBLIC_URL",
    "SMTP_TIMEOUT",
)


# Werkzeug's default is below current guidance (see README, "Security").
PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'jinmyaku.sqlite3'}",
        "SQLITE_BUSY_TIMEOUT_MS": 15_000,
        "SQL_ECHO": False,
        "LANGUAGES": ("ja", "en"),
        "BABEL_DEFAULT_LOCALE": "en",
        "DEFAULT_TIMEZONE": "Asia/Tokyo",
        # A fixed "today" (YYYY-MM-DD) for tests and the digest; None means the real date.
        "TODAY": None,
        "PAGE_SIZE": 50,
        "PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "IMPORT_MAX_BYTES": 10_000_000,
        # A running import whose heartbeat is older than this was interrupted (its process
        # died); the heartbeat is written every quarter of it.
        "IMPORT_STALE_SECONDS": 60,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_NAME": "jinmyaku_session",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "PREFER_HTTPS": False,
        # Sessions: a phone stays signed in for 30 days with "keep me signed in"; otherwise a
        # session ends after 12 idle hours and after 7 days whatever happens.
        "REMEMBER_DAYS": 30,
        "SESSION_IDLE_MINUTES": 12 * 60,
        "SESSION_MAX_HOURS": 7 * 24,
        # Login throttle: this many failures for one account or one address in the window.
        "LOGIN_FAILURE_LIMIT": 10,
        "LOGIN_WINDOW_MINUTES": 15,
        # How many proxies in front of the app set X-Forwarded-For / -Proto (0: none).
        "PROXY_COUNT": 0,
        "TRASH_DAYS": 30,
        # The morning mail (see README): smtp://host:port, smtp+starttls://user:pass@host:587
        # or smtps://user:pass@host:465; the From address; the address users reach the app
        # at, for the links in the mail; seconds to wait for the mail server.
        "SMTP_URL": None,
        "MAIL_FROM": None,
        "PUBLIC_URL": None,
        "SMTP_TIMEOUT": 20,
    }


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config in order of precedence and make sure there is a secret key."""
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for name in ENV_SETTINGS:
            if name in os.environ:
                app.config[name] = os.environ[name]
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    if isinstance(app.config["PREFER_HTTPS"], str):
        app.config["PREFER_HTTPS"] = app.config["PREFER_HTTPS"].lower() in TRUE_WORDS
    app.config["PROXY_COUNT"] = int(app.config["PROXY_COUNT"])
    app.config["SMTP_TIMEOUT"] = float(app.config["SMTP_TIMEOUT"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["REMEMBER_DAYS"])
    if app.config["PREFER_HTTPS"]:
        # __Host- cookies must be Secure, have Path=/ and no Domain: bound to this host.
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-jinmyaku_session",
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None,
            PREFERRED_URL_SCHEME="https",
        )
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = ensure_secret_key(Path(app.instance_path))


def ensure_secret_key(instance: Path) -> str:
    """Write a random SECRET_KEY into instance/config.py on first use and return it."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "config.py"
    namespace: dict[str, Any] = {}
    if path.exists():
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
        if namespace.get("SECRET_KEY"):
            return str(namespace["SECRET_KEY"])
    key = secrets.token_hex(32)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# Generated on first run. Keep it secret; share it between app processes.\n")
        fh.write(f"SECRET_KEY = {key!r}\n")
    path.chmod(0o600)
    return key
