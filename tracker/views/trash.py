"""The trash: deleted contacts and touchpoints, restorable for 30 days."""

import json
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import ConfirmForm
from tracker.i18n import TOUCHPOINT_KIND_LABELS, format_day, log_detail
from tracker.services import N_, ServiceError
from tracker.services import trash as trash_service
from tracker.services.security import record
from tracker.web import error_message, today

bp = Blueprint("trash", __name__, url_prefix="/trash")
auth.require_login(bp)


def _touchpoint(entry: trash_service.Labelled) -> tuple[date, str, str] | None:
    """A deleted touchpoint's date, kind and people (None for anything else, or a payload
    that cannot be read: then the stored label, which spells them, stands)."""
    if entry.kind != "touchpoint":
        return None
    try:
        payload = json.loads(entry.payload)
        on, kind = date.fromisoformat(payload["occurred_on"]), str(payload["kind"])
    except (ValueError, KeyError, TypeError):
        return None
    return (on, kind, entry.label.partition(" · ")[2]) if kind in TOUCHPOINT_KIND_LABELS else None


@bp.app_template_filter("trash_label")
def entry_label(entry: trash_service.Labelled) -> str:
    """What a trash entry is, in the user's language: a contact's name; a touchpoint's
    date, kind and people."""
    found = _touchpoint(entry)
    if found is None:
        return entry.label
    on, kind, names = found
    said = f"{format_day(on)} {TOUCHPOINT_KIND_LABELS[kind]}"
    return f"{said} · {names}" if names else said


def _restore_detail(entry: trash_service.Labelled, label: str) -> str:
    """The security log's detail of a restore: the date and kind of a touchpoint as codes,
    so that the log words them in the language of whoever reads it."""
    found = _touchpoint(entry)
    if found is not None:
        on, kind, names = found
        message = N_("touchpoint %(date)s %(kind)s · %(names)s")
        return log_detail(message, date=on.isoformat(), kind=kind, names=names)
    if entry.kind == "touchpoint":
        return log_detail(N_("touchpoint %(name)s"), name=entry.label)
    return log_detail(N_("contact %(name)s"), name=label)


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
    entry = trash_service.get_entry(get_session(), auth.user_id(), entry_id)
    if ConfirmForm().validate_on_submit():
        session = write_session()
        kind = entry.kind
        try:
            label, object_id = trash_service.restore(session, auth.user_id(), entry_id, today())
        except ServiceError as error:
            session.rollback()
            flash(error_message(error), "error")
            return redirect(url_for("trash.index"))
        record(session, auth.user_id(), "restore", _restore_detail(entry, label), auth.client_ip())
        session.commit()
        flash(_("“%(label)s” is back.", label=entry_label(entry)), "success")
        if kind in ("contact", "merge", "import_merge"):
            return redirect(url_for("contacts.detail", contact_id=object_id))
    return redirect(url_for("trash.index"))


@bp.route("/<int:entry_id>/purge", methods=["GET", "POST"])
def purge(entry_id: int) -> ResponseReturnValue:
    """Delete something from the trash for good, after confirmation."""
    entry = trash_service.get_entry(get_session(), auth.user_id(), entry_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        trash_service.discard(session, auth.user_id(), entry_id)
        session.commit()
        flash(_("Deleted for good."), "success")
        return redirect(url_for("trash.index"))
    return render_template("trash/purge.html", entry=entry, form=form)
