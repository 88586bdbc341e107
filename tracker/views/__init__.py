"""The views, one blueprint per feature."""

from flask import Flask

from tracker.views import (
    auth,
    cards,
    contacts,
    events,
    home,
    referrals,
    review,
    settings,
    tags,
    touchpoints,
)


def register(app: Flask) -> None:
    for module in (
        auth,
        home,
        contacts,
        cards,
        touchpoints,
        events,
        referrals,
        review,
        tags,
        settings,
    ):
        app.register_blueprint(module.bp)
