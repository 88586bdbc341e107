"""Events: the places where people are met."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.fields import ORG_LEN
from tracker.forms import ConfirmForm, EventForm
from tracker.i18n import log_detail
from tracker.series import suggest_series
from tracker.services import N_
from tracker.services.events import (
    EventData,
    create_event,
    delete_event,
    get_event,
    group_series,
    list_events,
    people_met,
    series_names,
    ungrouped_series,
    update_event,
)
from tracker.views.helpers import delete_confirmed
from tracker.views.once import give_token, save_once

bp = Blueprint("events", __name__, url_prefix="/events")
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List events (of one series, if asked), newest first, with the people met at each."""
    series = request.args.get("series", None)
    series = series[:ORG_LEN] if series else None
    session = get_session()
    return render_template(
        "events/index.html",
        events=list_events(session, auth.user_id(), series),
        series=series,
        suggested=[] if series else ungrouped_series(session, auth.user_id()),
        confirm=ConfirmForm(),
    )


@bp.route("/series", methods=["POST"])
def group() -> Response:
    """Put the events whose names suggest a series into it, in one step."""
    series = " ".join(request.form.get("series", "")[:ORG_LEN].split())
    if ConfirmForm().validate_on_submit() and series:
        session = write_session()
        count = group_series(session, auth.user_id(), series)
        session.commit()
        if count:
            flash(
                ngettext(
                    "%(num)d event is now part of %(series)s.",
                    "%(num)d events are now part of %(series)s.",
                    count,
                    series=series,
                ),
                "success",
            )
    return redirect(url_for("events.index", series=series or None))


@bp.route("/series-suggestion")
def series_suggestion() -> Response:
    """Suggest the series of an event from its name, for the event form's script."""
    return jsonify({"series": suggest_series(request.args.get("name", "")[:ORG_LEN])})


@bp.route("/<int:event_id>")
def detail(event_id: int) -> str:
    """Show an event and the people met there."""
    event = get_event(get_session(), auth.user_id(), event_id)
    return render_template(
        "events/detail.html", event=event, people=people_met(get_session(), event)
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int | None = None) -> str | Response:
    """Add an event, or edit one."""
    session = get_session()
    event = None if event_id is None else get_event(session, auth.user_id(), event_id)
    form = EventForm(obj=event)
    give_token(form)
    if request.method == "GET" and event is not None and not event.series:
        form.series.data = suggest_series(event.name)
    if form.validate_on_submit():
        data = EventData(
            name=form.name.data or "",
            kind=form.kind.data or "other",
            held_on=form.held_on.data,
            place=form.place.data or "",
            notes=form.notes.data or "",
            series=form.series.data or "",
        )
        done = save_once(
            form,
            event,
            create=lambda db, user: create_event(db, user, data),
            update=lambda db, user, row_id: update_event(db, user, row_id, data),
            target=lambda row: url_for("events.detail", event_id=row.id),
            messages=(_("Event saved."), _("Event saved.")),
            fallback=url_for("events.index"),
        )
        if done is not None:
            return done
    return render_template(
        "events/form.html",
        form=form,
        event=event,
        series_names=series_names(session, auth.user_id()),
    )


@bp.route("/<int:event_id>/delete", methods=["GET", "POST"])
def delete(event_id: int) -> str | Response:
    """Delete an event, after confirmation; the people met there stay."""
    event = get_event(get_session(), auth.user_id(), event_id)
    return delete_confirmed(
        lambda: delete_event(write_session(), auth.user_id(), event_id),
        log_detail(N_("event %(name)s"), name=event.name),
        _("Event deleted."),
        url_for("events.index"),
        "events/delete.html",
        event=event,
    )
