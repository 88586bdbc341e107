"""Touchpoints: log one with one or more contacts; edit and delete."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import TouchpointForm
from tracker.i18n import log_detail
from tracker.services import N_
from tracker.services.touchpoints import (
    TouchpointData,
    create_touchpoint,
    delete_touchpoint,
    get_touchpoint,
    update_touchpoint,
)
from tracker.views.helpers import contact_choices, delete_confirmed, event_choices, safe_next
from tracker.views.once import give_token, save_once
from tracker.vocabulary import TOUCHPOINT_KINDS
from tracker.web import db_int, today

bp = Blueprint("touchpoints", __name__, url_prefix="/touchpoints")
auth.require_login(bp)


def _data(form: TouchpointForm) -> TouchpointData:
    return TouchpointData(
        occurred_on=form.occurred_on.data or today(),
        kind=form.kind.data or "meeting",
        contact_ids=list(form.contacts.data or []),
        occurred_at=form.occurred_at.data,
        summary=form.summary.data or "",
        notes=form.notes.data or "",
        initiated_by=form.initiated_by.data or None,
        follow_up_on=form.follow_up_on.data,
        event_id=form.event.data,
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:touchpoint_id>/edit", methods=["GET", "POST"])
def edit(touchpoint_id: int | None = None) -> str | Response:
    """Log a touchpoint with one or more contacts, or edit one."""
    session = get_session()
    touchpoint = (
        None if touchpoint_id is None else get_touchpoint(session, auth.user_id(), touchpoint_id)
    )
    form = TouchpointForm()
    if form.fresh and touchpoint is not None:
        form.contacts.data = [contact.id for contact in touchpoint.contacts]
        for name in ("kind", "occurred_on", "occurred_at", "summary", "notes", "follow_up_on"):
            getattr(form, name).data = getattr(touchpoint, name)
        form.initiated_by.data = touchpoint.initiated_by or ""
        form.event.data = touchpoint.event_id
    elif form.fresh:
        form.contacts.data = request.args.getlist("contact", type=db_int)
        if request.args.get("kind") in TOUCHPOINT_KINDS:
            form.kind.data = request.args["kind"]
        form.occurred_on.data = today()
        form.event.data = request.args.get("event", None, type=db_int)
    finding = bool(form.find_contacts.data)
    query = (form.contacts_query.data or "") if finding else ""
    form.contacts.choices = contact_choices(list(form.contacts.data or []), query)
    form.event.choices = event_choices(form.event.data, _("No event"))
    give_token(form)
    if not finding and form.validate_on_submit():
        data = _data(form)
        done = save_once(
            form,
            touchpoint,
            create=lambda db, user: create_touchpoint(db, user, data, today()),
            update=lambda db, user, row_id: update_touchpoint(db, user, row_id, data, today()),
            # Back to the person the form was opened with (the first one picked).
            target=lambda row: safe_next(
                url_for("contacts.detail", contact_id=(data.contact_ids or [row.contacts[0].id])[0])
            ),
            messages=(_("Touchpoint logged."), _("Touchpoint saved.")),
            fallback=url_for("home.index"),
        )
        if done is not None:
            return done
    return render_template("touchpoints/form.html", form=form, touchpoint=touchpoint)


@bp.route("/<int:touchpoint_id>/delete", methods=["GET", "POST"])
def delete(touchpoint_id: int) -> str | Response:
    """Delete a touchpoint, after confirmation."""
    touchpoint = get_touchpoint(get_session(), auth.user_id(), touchpoint_id)
    first = touchpoint.contacts[0].id if touchpoint.contacts else None
    back = safe_next(
        url_for("contacts.detail", contact_id=first) if first else url_for("home.index")
    )
    return delete_confirmed(
        lambda: delete_touchpoint(write_session(), auth.user_id(), touchpoint_id, today()),
        log_detail(N_("touchpoint %(id)s"), id=touchpoint.id),
        _("The touchpoint was moved to the trash."),
        back,
        "touchpoints/delete.html",
        touchpoint=touchpoint,
        back=back,
    )
