"""Jinmyaku: a small self-hosted CRM that turns card exchanges into collaborators."""

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, database, languages, login, views and commands."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")

    from tracker import api, auth, cli, config, db, i18n, views, web
    from tracker.mail import commands as mail_commands

    config.load(app, test_config)
    db.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    web.init_app(app)
    views.register(app)
    api.init_app(app)
    cli.register(app)
    mail_commands.register(app)
    return app
