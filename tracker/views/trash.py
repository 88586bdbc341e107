"""The trash: deleted contacts and touchpoints, restorable for 30 days."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import auth
from tracker.db import get_session
from tracker.forms import ConfirmForm
from tracker.models import TrashEntry
from tracker.services import ServiceError
from tracker.services import trash as trash_service
from tracker.services.security import record
from tracker.web import error_message, today

bp = Blueprint("trash", __name__, url_prefix="/trash")
auth.require_login(bp)


def _own_entry(entry_id: int) -> TrashEntry:
    entry = get_session().get(TrashEntry, entry_id)
    if entry is None or entry.user_id != auth.user_id():
        abort(404)
    return entry


@bp.route("")
def index() -> str:
    """List what was deleted in the last 30 days, to restore it."""
    return render_template(
        "trash/index.html",
        entries=trash_service.entries(get_session(), auth.user_id()),
        days=current_app.config["TRASH_DAYS"],
        form=ConfirmForm(),
    )


@bp.route("/<int:entry_id>/restore", methods=["POST"])
def restore(entry_id: int) -> ResponseReturnValue:
    """Put a deleted contact or touchpoint back, with everything attached."""
    entry = _own_entry(entry_id)
    session = get_session()
    if ConfirmForm().validate_on_submit():
        kind, object_id = entry.kind, entry.object_id
        try:
            label = trash_service.restore(session, entry, today())
        except ServiceError as error:
            session.rollback()
            flash(error_message(error), "error")
            return redirect(url_for("trash.index"))
        record(session, auth.user_id(), "restore", f"{kind} {label}", auth.client_ip())
        session.commit()
        flash(_("“%(label)s” is back.", label=label), "success")
        if kind in ("contact", "merge", "import_merge"):
            return redirect(url_for("contacts.detail", contact_id=object_id))
    return redirect(url_for("trash.index"))


@bp.route("/<int:entry_id>/purge", methods=["GET", "POST"])
def purge(entry_id: int) -> ResponseReturnValue:
    """Delete something from the trash for good, after confirmation."""
    entry = _own_entry(entry_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        get_session().delete(entry)
        get_session().commit()
        flash(_("Deleted for good."), "success")
        return redirect(url_for("trash.index"))
    return render_template("trash/purge.html", entry=entry, form=form)
