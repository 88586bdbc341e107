"""The views, one blueprint per feature."""

from flask import Flask

from tracker.views import (
    auth,
    calendar,
    carddav,
    cards,
    contacts,
    events,
    home,
    mail,
    referrals,
    review,
    settings,
    tags,
    touchpoints,
    transfer,
    trash,
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
        transfer,
        calendar,
        mail,
        trash,
        settings,
        carddav,
    ):
        app.register_blueprint(module.bp)
