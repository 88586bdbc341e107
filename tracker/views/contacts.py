"""Contacts: the list with search, the contact page, the form, archive and delete, and the
one-step actions (promote, snooze, log a touchpoint of today)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from tracker import auth
from tracker.auth import client_ip
from tracker.db import get_session
from tracker.fields import EDITABLE
from tracker.forms import (
    CardImageForm,
    ConfirmForm,
    ContactForm,
    QuickTouchForm,
    SnoozeForm,
    StageForm,
    field_values,
)
from tracker.i18n import STAGE_LABELS, TOUCHPOINT_KIND_LABELS, format_day
from tracker.images import MAX_IMAGE_BYTES, image_type
from tracker.models import CardImage, Contact
from tracker.relationships import (
    bond_strength,
    effective_cadence,
    evidence,
    is_snoozed,
    reciprocity,
    strength_series,
)
from tracker.services import ServiceError
from tracker.services.contacts import (
    SORTS,
    ContactData,
    ContactFilter,
    MethodData,
    card_image_of,
    contact_page,
    create_contact,
    delete_contact,
    list_contacts,
    lookup,
    parse_tags,
    set_archived,
    set_card_image,
    set_stage,
    snooze,
    update_contact,
    user_tags,
)
from tracker.services.dashboard import warmth_of
from tracker.services.derived import load_touches, referrals_of
from tracker.services.duplicates import likely_duplicates, merge
from tracker.services.events import recent_events
from tracker.services.referrals import of_contact
from tracker.services.security import record
from tracker.services.touchpoints import TouchpointData, create_touchpoint, timeline
from tracker.views.charts import sparkline
from tracker.views.helpers import (
    contact_choices,
    contact_label,
    event_choices,
    get_contact_or_404,
    safe_next,
)
from tracker.web import db_int, error_message, page_number, today

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
TIMELINE_SHOWN = 30
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List contacts: search, filter by stage, warmth, tag or event; sort."""
    args = request.args
    wanted = ContactFilter(
        query=args.get("q", "").strip()[:200],
        archived=args.get("archived") == "1",
        stage=args.get("stage", ""),
        warmth=args.get("warmth", ""),
        tag_id=args.get("tag", None, type=db_int),
        event_id=args.get("event", None, type=db_int),
        due=args.get("due", "") if args.get("due") in ("follow_up", "first") else "",
    )
    sort = args.get("sort", "reading")
    sort = sort if sort in SORTS else "reading"
    session = get_session()
    page = list_contacts(
        session,
        auth.user_id(),
        wanted,
        today=today(),
        sort=sort,
        page=args.get("page", 1, type=page_number) or 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "contacts/index.html",
        page=page,
        wanted=wanted,
        sort=sort,
        tags=user_tags(session, auth.user_id()),
        events=recent_events(session, auth.user_id(), limit=200),
        day=today(),
    )


@bp.route("/lookup")
def lookup_json() -> Response:
    """Find contacts by name, reading or company, for the pickers' scripts."""
    found = lookup(get_session(), auth.user_id(), request.args.get("q", "")[:200], limit=20)
    return jsonify([{"id": c.id, "label": contact_label(c)} for c in found])


@bp.route("/<int:contact_id>")
def detail(contact_id: int) -> str:
    """Show a contact: timeline, stage and evidence, warmth, strength, reciprocity, referrals."""
    session = get_session()
    found_page = contact_page(session, contact_id)
    if found_page is None or found_page[0].user_id != auth.user_id():
        abort(404)
    contact, has_image = found_page
    day = today()
    everything = request.args.get("timeline") == "all"
    # The page shows the newest touchpoints whole; the rules read every one, narrowly.
    touchpoints = timeline(session, contact, limit=None if everything else TIMELINE_SHOWN)
    touches = load_touches(session, [contact.id])[contact.id]
    referrals = of_contact(session, contact.id)
    given_and_received = referrals_of(referrals, contact.id)
    cadence = effective_cadence(contact.stage, contact.cadence, [t.cadence for t in contact.tags])
    return render_template(
        "contacts/detail.html",
        contact=contact,
        timeline=touchpoints,
        timeline_total=len(touches),
        referrals=referrals,
        found=evidence(touches, given_and_received, day),
        warmth=warmth_of(contact, day),
        cadence=cadence,
        strength=bond_strength(touches, given_and_received, day),
        spark=sparkline(strength_series(touches, given_and_received, day)),
        give_and_take=reciprocity(touches, given_and_received, day),
        snoozed=is_snoozed(contact.snoozed_until, day),
        confirm=ConfirmForm(),
        snooze_form=SnoozeForm(),
        stage_form=StageForm(stage=contact.stage),
        image_form=CardImageForm(),
        has_image=has_image,
    )


@bp.route("/<int:contact_id>/stage", methods=["POST"])
def set_stage_view(contact_id: int) -> Response:
    """Set a contact's stage in one step (promote)."""
    contact = get_contact_or_404(contact_id)
    form = StageForm()
    if form.validate_on_submit():
        set_stage(get_session(), contact, form.stage.data or contact.stage, today())
        get_session().commit()
        flash(
            _("%(name)s is now: %(stage)s.", name=contact.name, stage=STAGE_LABELS[contact.stage]),
            "success",
        )
    else:
        flash(_("Choose a stage from the list."), "error")
    return redirect(safe_next(url_for("contacts.detail", contact_id=contact.id)))


@bp.route("/<int:contact_id>/snooze", methods=["POST"])
def snooze_view(contact_id: int) -> Response:
    """Keep a contact off the cold list for a week, a month, or until a date."""
    contact = get_contact_or_404(contact_id)
    form = SnoozeForm()
    day = today()
    if form.validate_on_submit():
        until = {
            "1w": day + timedelta(weeks=1),
            "1m": day + relativedelta(months=1),
            "date": form.until.data,
            "end": None,
        }[form.period.data or "end"]
        try:
            snooze(get_session(), contact, until, day)
        except ServiceError as error:
            flash(error_message(error), "error")
        else:
            get_session().commit()
            if until is None:
                flash(_("%(name)s is back on your lists.", name=contact.name), "success")
            else:
                flash(
                    _(
                        "%(name)s is snoozed until %(date)s.",
                        name=contact.name,
                        date=format_day(until),
                    ),
                    "success",
                )
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(safe_next(url_for("contacts.detail", contact_id=contact.id)))


@bp.route("/<int:contact_id>/touch", methods=["POST"])
def quick_touch(contact_id: int) -> Response:
    """Log a touchpoint of today with this contact in one step."""
    contact = get_contact_or_404(contact_id)
    form = QuickTouchForm()
    if form.validate_on_submit():
        data = TouchpointData(
            occurred_on=today(), kind=form.kind.data or "message", contact_ids=[contact.id]
        )
        create_touchpoint(get_session(), auth.user_id(), data, today())
        get_session().commit()
        flash(
            _(
                "%(kind)s with %(name)s logged for today.",
                kind=TOUCHPOINT_KIND_LABELS[data.kind],
                name=contact.name,
            ),
            "success",
        )
    else:
        flash(_("Choose a kind of touchpoint from the list."), "error")
    return redirect(safe_next(url_for("contacts.detail", contact_id=contact.id)))


def _data(form: ContactForm) -> ContactData:
    return ContactData(
        **field_values(form, EDITABLE),
        origin_event_id=form.origin_event.data,
        introduced_by_id=form.introduced_by.data,
        stage=form.stage.data or "card",
        cadence=form.cadence.data or "",
        methods=[
            MethodData(
                kind=entry.form.kind.data,
                value=entry.form.value.data or "",
                label=entry.form.label.data or "",
            )
            for entry in form.methods
        ],
        tags=parse_tags(form.tags.data or ""),
    )


def _fill(form: ContactForm, contact: Contact) -> None:
    """Put a contact's values into the form (for GET)."""
    for spec in EDITABLE:
        form[spec.name].data = getattr(contact, spec.name)
    form.stage.data = contact.stage
    form.origin_event.data = contact.origin_event_id
    form.introduced_by.data = contact.introduced_by_id
    form.tags.data = ", ".join(tag.name for tag in contact.tags)
    form.cadence.data = contact.cadence or ""
    while len(form.methods):
        form.methods.pop_entry()
    for method in contact.methods:
        form.methods.append_entry(
            {"kind": method.kind, "label": method.label, "value": method.value}
        )
    for kind in ("email", "phone"):
        form.methods.append_entry({"kind": kind})


def _edit(contact: Contact | None) -> str | Response:
    session = get_session()
    form = ContactForm()
    if request.method == "GET" and contact is not None:
        _fill(form, contact)
    elif request.method == "GET":
        form.methods.entries[1].form.kind.data = "phone"
    finding = bool(form.find_introducer.data)
    picked = [form.introduced_by.data] if form.introduced_by.data else []
    query = (form.introducer_query.data or "") if finding else ""
    found = contact_choices(session, picked, query)
    if contact is not None:
        found = [choice for choice in found if choice.value != str(contact.id)]
    form.introduced_by.choices = [SelectChoice("", _("Nobody")), *found]
    form.origin_event.choices = event_choices(session, form.origin_event.data, _("None"))
    if not finding and form.validate_on_submit():
        try:
            data = _data(form)
            if contact is None:
                contact = create_contact(session, auth.user_id(), data, today())
                message = _("Contact added.")
            else:
                update_contact(session, contact, data, today())
                message = _("Contact saved.")
        except ServiceError as error:
            session.rollback()
            form.form_errors.append(error_message(error))
        else:
            session.commit()
            flash(message, "success")
            return redirect(url_for("contacts.detail", contact_id=contact.id))
    return render_template("contacts/form.html", form=form, contact=contact)


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    """Add a contact with every detail."""
    return _edit(None)


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int) -> str | Response:
    """Edit a contact."""
    return _edit(get_contact_or_404(contact_id))


@bp.route("/<int:contact_id>/archive", methods=["POST"])
def archive(contact_id: int) -> Response:
    """Archive a contact: kept, but out of lists and reminders."""
    return _set_archived(contact_id, True, _("Contact archived."))


@bp.route("/<int:contact_id>/restore", methods=["POST"])
def restore(contact_id: int) -> Response:
    """Bring an archived contact back."""
    return _set_archived(contact_id, False, _("Contact restored."))


def _set_archived(contact_id: int, archived: bool, message: str) -> Response:
    contact = get_contact_or_404(contact_id)
    if ConfirmForm().validate_on_submit():
        set_archived(get_session(), contact, archived)
        get_session().commit()
        flash(message, "success")
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.route("/<int:contact_id>/delete", methods=["GET", "POST"])
def delete(contact_id: int) -> str | Response:
    """Delete a contact, after confirmation."""
    contact = get_contact_or_404(contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = contact.name
        delete_contact(get_session(), contact, today())
        record(get_session(), auth.user_id(), "deletion", f"contact {name}", client_ip())
        get_session().commit()
        flash(_("%(name)s was moved to the trash.", name=name), "success")
        return redirect(url_for("contacts.index"))
    return render_template("contacts/delete.html", contact=contact, form=form)


@bp.route("/duplicates")
def duplicates() -> str:
    """List pairs of contacts that look like one person, to merge them."""
    return render_template(
        "contacts/duplicates.html", pairs=likely_duplicates(get_session(), auth.user_id())
    )


@bp.route("/merge", methods=["GET", "POST"])
def merge_view() -> str | Response:
    """Merge one contact into another, after confirmation, keeping everything of both."""
    keep = get_contact_or_404(request.values.get("keep", 0, type=db_int))
    drop = get_contact_or_404(request.values.get("drop", 0, type=db_int))
    if keep.id == drop.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        merge(get_session(), keep, drop, today())
        get_session().commit()
        flash(_("The two contacts are now one: %(name)s.", name=keep.name), "success")
        return redirect(url_for("contacts.detail", contact_id=keep.id))
    return render_template("contacts/merge.html", keep=keep, drop=drop, form=form)


@bp.route("/<int:contact_id>/card-image", methods=["GET", "POST"])
def card_image(contact_id: int) -> Response:
    """Serve a contact's card image to its owner (GET), or replace or remove it (POST)."""
    contact = get_contact_or_404(contact_id)
    if request.method == "POST":
        return _upload_card_image(contact)
    image = card_image_of(get_session(), contact.id)
    if image is None or image_type(image.data) != image.content_type:
        abort(404)
    response = Response(image.data, mimetype=image.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _upload_card_image(contact: Contact) -> Response:
    """Attach a photo of the business card (JPEG, PNG or WebP), or remove it."""
    form = CardImageForm()
    session = get_session()
    if form.validate_on_submit():
        if form.remove.data:
            set_card_image(session, contact, None)
            session.commit()
            flash(_("The card image was removed."), "success")
        else:
            data = form.image.data.read(MAX_IMAGE_BYTES + 1) if form.image.data else b""
            content_type = image_type(data)
            if len(data) > MAX_IMAGE_BYTES:
                flash(
                    _("The picture is larger than %(size)d MB.", size=MAX_IMAGE_BYTES // 1_048_576),
                    "error",
                )
            elif content_type is None:
                flash(_("Choose a JPEG, PNG or WebP picture."), "error")
            else:
                set_card_image(session, contact, CardImage(content_type=content_type, data=data))
                session.commit()
                flash(_("The card image was saved."), "success")
    else:
        flash(_("Choose a JPEG, PNG or WebP picture."), "error")
    return redirect(url_for("contacts.detail", contact_id=contact.id))
