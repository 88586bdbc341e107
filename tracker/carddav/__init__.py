"""Phone sync over CardDAV, served by Radicale with a storage backed by this app's database.

Why Radicale: it is the most used CardDAV server written in Python, maintained, with a
documented plugin interface for storage, rights and authentication. It speaks the protocol
the phones rely on (PROPFIND with getetag and getctag, addressbook-multiget and
addressbook-query reports, sync-collection, conditional PUT and DELETE with If-Match and
If-None-Match, UID conflicts), and its requests are plain WSGI, so one Flask view hands them
over inside the app's own request: the same database session, the same error log, no second
process. WsgiDAV (MIT) was the other candidate; it is a WebDAV server only, so the CardDAV
reports would have been ours to write. Xandikos speaks CardDAV too, but its storage is a Git
repository and its backend interface is internal rather than a documented plugin API. Like
Xandikos, Radicale is GPL-3.0: a deployment that ships Jinmyaku with it ships GPL code.

The pieces: tracker.carddav.storage (Radicale's plugins on the database), tracker.views.carddav
(discovery, HTTP Basic with a token, the hand-over), tracker.services.phone_book (the cards).
"""

from flask import Flask
from radicale import Application
from radicale import config as radicale_config

from tracker.carddav import storage

EXTENSION = "jinmyaku_carddav"


def make_server(app: Flask) -> Application:
    """A Radicale application that reads and writes this app's database."""
    configuration = radicale_config.load()
    max_length = str(app.config["MAX_CONTENT_LENGTH"])
    configuration.update(
        {
            "auth": {"type": storage.Auth, "delay": "0", "realm": "Jinmyaku"},
            "rights": {
                "type": storage.Rights,
                "permit_delete_collection": "False",
                "permit_overwrite_collection": "False",
            },
            "storage": {"type": storage.Storage},
            "web": {"type": "none"},
            "server": {"max_content_length": max_length},
        },
        "jinmyaku",
        privileged=True,
    )
    return Application(configuration)


def server(app: Flask) -> Application:
    """The app's Radicale application, made on first use."""
    found: Application | None = app.extensions.get(EXTENSION)
    if found is None:
        found = app.extensions[EXTENSION] = make_server(app)
    return found
