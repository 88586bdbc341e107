"""Signing in: Flask-Login set-up and the helpers views use to know who is asking."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required

__all__ = ["login_required", "require_login", "user", "user_id"]

from tracker.db import get_session
from tracker.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please log in to continue.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return get_session().get(User, int(user_id))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)


def require_login(bp: Blueprint) -> None:
    """Make every view of a blueprint require a signed-in user."""

    @bp.before_request
    @login_required
    def _signed_in() -> None:
        return None


def user() -> User:
    """The signed-in user (only inside views that require login)."""
    signed_in: User = current_user._get_current_object()
    return signed_in


def user_id() -> int:
    return user().id
