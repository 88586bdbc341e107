"""Events: the places where people are met."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from tracker import auth
from tracker.auth import client_ip
from tracker.db import get_session, write_session
from tracker.fields import ORG_LEN
from tracker.forms import ConfirmForm, EventForm
from tracker.i18n import log_detail
from tracker.series import suggest_series
from tracker.services import N_, ServiceError
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
from tracker.services.security import record
from tracker.views.once import AlreadySpent, give_token, lead_to, saved_before, spend_token
from tracker.web import error_message

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


def _edit(event_id: int | None) -> str | Response:
    session = get_session()
    event = None if event_id is None else get_event(session, auth.user_id(), event_id)
    form = EventForm(obj=event)
    give_token(form)
    if request.method == "GET" and event is not None and not event.series:
        form.series.data = suggest_series(event.name)
    if form.validate_on_submit():
        if event is None and (done := saved_before(form)) is not None:
            return done
        submission = None
        data = EventData(
            name=form.name.data or "",
            kind=form.kind.data or "other",
            held_on=form.held_on.data,
            place=form.place.data or "",
            notes=form.notes.data or "",
            series=form.series.data or "",
        )
        session = write_session()
        try:
            if event is None:
                submission = spend_token(form)
                event = create_event(session, auth.user_id(), data)
            else:
                update_event(session, event, data)
        except AlreadySpent:
            session.rollback()
            return saved_before(form) or redirect(url_for("events.index"))
        except ServiceError as error:
            session.rollback()
            form.form_errors.append(error_message(error))
        else:
            target = url_for("events.detail", event_id=event.id)
            if submission is not None:
                lead_to(submission, target)
            session.commit()
            flash(_("Event saved."), "success")
            return redirect(target)
    return render_template(
        "events/form.html",
        form=form,
        event=event,
        series_names=series_names(session, auth.user_id()),
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    """Add an event."""
    return _edit(None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int) -> str | Response:
    """Edit an event."""
    return _edit(event_id)


@bp.route("/<int:event_id>/delete", methods=["GET", "POST"])
def delete(event_id: int) -> str | Response:
    """Delete an event, after confirmation; the people met there stay."""
    event = get_event(get_session(), auth.user_id(), event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        name = event.name
        delete_event(session, event)
        record(
            session,
            auth.user_id(),
            "deletion",
            log_detail(N_("event %(name)s"), name=name),
            client_ip(),
        )
        session.commit()
        flash(_("Event deleted."), "success")
        return redirect(url_for("events.index"))
    return render_template("events/delete.html", event=event, form=form)
