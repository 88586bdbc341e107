"""The dashboard: who is going cold, which cards have faded, who needs a first follow-up,
what is due, the counts; and the faded cards' own list."""

from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import auth
from tracker.auth import client_ip
from tracker.db import get_session, write_session
from tracker.forms import ConfirmForm
from tracker.i18n import log_detail
from tracker.services import N_
from tracker.services.dashboard import dashboard
from tracker.services.faded import archive_faded, batch_size, faded_page, restore_batch
from tracker.services.security import record
from tracker.services.users import user_count
from tracker.views.charts import paired_bars
from tracker.web import db_int, page_number, today

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str | Response:
    """Show what needs attention today."""
    session = get_session()
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login" if user_count(session) else "auth.setup"))
    board = dashboard(session, auth.user_id(), today())
    pairs = [(given, received) for _month, given, received in board.referral_months]
    return render_template(
        "home/index.html",
        board=board,
        referral_bars=zip(
            board.referral_months, paired_bars(pairs, width=288, height=56), strict=True
        ),
        new_account=not any(board.stage_counts.values()),
        undo=_archived_batch(),
    )


@bp.route("/faded")
@auth.login_required
def faded() -> str:
    """List the faded cards: met once, long ago. Try once more, or let go."""
    found = faded_page(
        get_session(),
        auth.user_id(),
        today(),
        page=request.args.get("page", 1, type=page_number) or 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template("home/faded.html", page=found, undo=_archived_batch())


def _archived_batch() -> tuple[str, int] | None:
    """The batch just archived (?archived=its moment) and its size, to offer an undo."""
    stamp = _moment(request.args.get("archived", ""))
    if stamp is None or not current_user.is_authenticated:
        return None
    count = batch_size(get_session(), auth.user_id(), stamp)
    return (stamp.isoformat(), count) if count else None


def _moment(value: str) -> datetime | None:
    """A moment from a form or query string, or None."""
    try:
        return datetime.fromisoformat(value[:40]) if value else None
    except ValueError:
        return None


def _back(archived: datetime | None = None) -> Response:
    """Back to the list the form was sent from (the faded cards, or the dashboard), with
    the batch just archived, to offer its undo."""
    endpoint = "home.faded" if request.form.get("back") == "faded" else "home.index"
    stamp = archived.isoformat() if archived else None  # url_for leaves out a None
    return redirect(url_for(endpoint, archived=stamp, _anchor="faded-heading"))


@bp.route("/faded/archive", methods=["POST"])
@auth.login_required
def archive() -> Response:
    """Archive one faded card, or all of them, in one step (undone by bringing them back)."""
    if not ConfirmForm().validate_on_submit():
        return _back()
    try:
        contact_id = db_int(request.form["contact"]) if request.form.get("contact") else None
    except ValueError:
        return _back()
    session = write_session()
    names, stamp = archive_faded(session, auth.user_id(), today(), contact_id)
    if not names:
        flash(_("There is no faded card to archive."), "error")
        return _back()
    detail = log_detail(N_("faded cards: %(names)s"), names=", ".join(names))
    record(session, auth.user_id(), "archive", detail, client_ip())
    session.commit()
    flash(
        ngettext("%(num)d faded card archived.", "%(num)d faded cards archived.", len(names)),
        "success",
    )
    return _back(stamp)


@bp.route("/faded/restore", methods=["POST"])
@auth.login_required
def restore() -> Response:
    """Bring back the faded cards archived together a moment ago."""
    stamp = _moment(request.form.get("archived", ""))
    if not ConfirmForm().validate_on_submit() or stamp is None:
        return _back()
    session = write_session()
    count = restore_batch(session, auth.user_id(), stamp)
    if count:
        detail = log_detail(N_("faded cards brought back: %(count)d"), count=count)
        record(session, auth.user_id(), "unarchive", detail, client_ip())
        session.commit()
        flash(
            ngettext(
                "%(num)d card is back on your lists.",
                "%(num)d cards are back on your lists.",
                count,
            ),
            "success",
        )
    return _back()
