"""Contacts: the list with search, the contact page, the form, archive and delete, and the
one-step actions (promote, snooze, log a touchpoint of today)."""

from contextlib import suppress
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
from tracker.db import get_session, write_session
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
from tracker.i18n import STAGE_LABELS, TOUCHPOINT_KIND_LABELS, format_day, log_detail
from tracker.images import (
    MAX_IMAGE_BYTES,
    MAX_PHOTO_BYTES,
    card_picture,
    image_type,
    readable_photo,
)
from tracker.services import N_, ServiceError
from tracker.services.contact_detail import contact_detail
from tracker.services.contact_list import contact_list
from tracker.services.contacts import (
    SORTS,
    ContactData,
    ContactFilter,
    MethodData,
    attach_card_image,
    card_image_of,
    contact_data,
    create_contact,
    delete_contact,
    get_contact,
    lookup,
    parse_tags,
    set_archived,
    set_stage,
    snooze,
    update_contact,
    user_tags,
)
from tracker.services.duplicates import likely_duplicates, merge
from tracker.services.events import event_names
from tracker.services.touchpoints import TouchpointData, create_touchpoint
from tracker.views.charts import sparkline
from tracker.views.helpers import (
    contact_choices,
    contact_label,
    delete_confirmed,
    event_choices,
    safe_next,
)
from tracker.views.once import give_token, save_once
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
    page = contact_list(
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
        events=event_names(session, auth.user_id(), limit=200),
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
    everything = request.args.get("timeline") == "all"
    page = contact_detail(
        get_session(),
        auth.user_id(),
        contact_id,
        today(),
        shown=None if everything else TIMELINE_SHOWN,
    )
    contact, panel = page.contact, page.panel
    return render_template(
        "contacts/detail.html",
        contact=contact,
        timeline=page.timeline,
        panel=panel,
        spark=sparkline(panel.strength_series),
        confirm=ConfirmForm(),
        snooze_form=SnoozeForm(),
        stage_form=StageForm(stage=contact.stage),
        image_form=CardImageForm(),
        has_image=page.has_image,
    )


@bp.route("/<int:contact_id>/stage", methods=["POST"])
def set_stage_view(contact_id: int) -> Response:
    """Set a contact's stage in one step (promote)."""
    contact = get_contact(get_session(), auth.user_id(), contact_id)
    form = StageForm()
    if form.validate_on_submit():
        stage = form.stage.data
        session = write_session()
        contact = set_stage(session, auth.user_id(), contact_id, stage or contact.stage, today())
        session.commit()
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
    contact = get_contact(get_session(), auth.user_id(), contact_id)
    form = SnoozeForm()
    day = today()
    if form.validate_on_submit():
        until = {
            "1w": day + timedelta(weeks=1),
            "1m": day + relativedelta(months=1),
            "date": form.until.data,
            "end": None,
        }[form.period.data or "end"]
        session = write_session()
        try:
            snooze(session, auth.user_id(), contact_id, until, day)
        except ServiceError as error:
            session.rollback()
            flash(error_message(error), "error")
        else:
            session.commit()
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
    contact = get_contact(get_session(), auth.user_id(), contact_id)
    form = QuickTouchForm()
    if form.validate_on_submit():
        data = TouchpointData(
            occurred_on=today(), kind=form.kind.data or "message", contact_ids=[contact.id]
        )
        session = write_session()
        create_touchpoint(session, auth.user_id(), data, today())
        session.commit()
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


def _fill(form: ContactForm, contact: ContactData) -> None:
    """Put a contact's values into the form (for GET)."""
    for spec in EDITABLE:
        form[spec.name].data = getattr(contact, spec.name)
    form.stage.data = contact.stage
    form.origin_event.data = contact.origin_event_id
    form.introduced_by.data = contact.introduced_by_id
    form.tags.data = ", ".join(contact.tags)
    form.cadence.data = contact.cadence
    while len(form.methods):
        form.methods.pop_entry()
    for method in contact.methods:
        form.methods.append_entry(
            {"kind": method.kind, "label": method.label, "value": method.value}
        )
    for kind in ("email", "phone"):
        form.methods.append_entry({"kind": kind})


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int | None = None) -> str | Response:
    """Add a contact with every detail, or edit one."""
    contact = None if contact_id is None else get_contact(get_session(), auth.user_id(), contact_id)
    form = ContactForm()
    if form.fresh and contact is not None:
        _fill(form, contact_data(contact))
    elif form.fresh:
        form.methods.entries[1].form.kind.data = "phone"
    finding = bool(form.find_introducer.data)
    picked = [form.introduced_by.data] if form.introduced_by.data else []
    query = (form.introducer_query.data or "") if finding else ""
    found = contact_choices(picked, query)
    if contact is not None:
        found = [choice for choice in found if choice.value != str(contact.id)]
    form.introduced_by.choices = [SelectChoice("", _("Nobody")), *found]
    form.origin_event.choices = event_choices(form.origin_event.data, _("None"))
    give_token(form)
    if not finding and form.validate_on_submit():
        done = save_once(
            form,
            contact,
            create=lambda db, user: create_contact(db, user, _data(form), today()),
            update=lambda db, user, row_id: update_contact(db, user, row_id, _data(form), today()),
            target=lambda row: url_for("contacts.detail", contact_id=row.id),
            messages=(_("Contact added."), _("Contact saved.")),
            fallback=url_for("contacts.index"),
        )
        if done is not None:
            return done
    return render_template("contacts/form.html", form=form, contact=contact)


@bp.route("/<int:contact_id>/archive", methods=["POST"])
def archive(contact_id: int) -> Response:
    """Archive a contact: kept, but out of lists and reminders."""
    return _set_archived(contact_id, True, _("Contact archived."))


@bp.route("/<int:contact_id>/restore", methods=["POST"])
def restore(contact_id: int) -> Response:
    """Bring an archived contact back."""
    return _set_archived(contact_id, False, _("Contact restored."))


def _set_archived(contact_id: int, archived: bool, message: str) -> Response:
    if ConfirmForm().validate_on_submit():
        session = write_session()
        set_archived(session, auth.user_id(), contact_id, archived)
        session.commit()
        flash(message, "success")
    return redirect(url_for("contacts.detail", contact_id=contact_id))


@bp.route("/<int:contact_id>/delete", methods=["GET", "POST"])
def delete(contact_id: int) -> str | Response:
    """Delete a contact, after confirmation."""
    contact = get_contact(get_session(), auth.user_id(), contact_id)
    return delete_confirmed(
        lambda: delete_contact(write_session(), auth.user_id(), contact_id, today()),
        log_detail(N_("contact %(name)s"), name=contact.name),
        _("%(name)s was moved to the trash.", name=contact.name),
        url_for("contacts.index"),
        "contacts/delete.html",
        contact=contact,
    )


@bp.route("/duplicates")
def duplicates() -> str:
    """List pairs of contacts that look like one person, to merge them."""
    return render_template(
        "contacts/duplicates.html", pairs=likely_duplicates(get_session(), auth.user_id())
    )


@bp.route("/merge", methods=["GET", "POST"])
def merge_view() -> str | Response:
    """Merge one contact into another, after confirmation, keeping everything of both."""
    keep = get_contact(get_session(), auth.user_id(), request.values.get("keep", 0, type=db_int))
    drop = get_contact(get_session(), auth.user_id(), request.values.get("drop", 0, type=db_int))
    if keep.id == drop.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        merge(session, auth.user_id(), keep.id, drop.id, today(), auth.client_ip())
        session.commit()
        flash(_("The two contacts are now one: %(name)s.", name=keep.name), "success")
        return redirect(url_for("contacts.detail", contact_id=keep.id))
    return render_template("contacts/merge.html", keep=keep, drop=drop, form=form)


@bp.route("/<int:contact_id>/card-image", methods=["GET", "POST"])
def card_image(contact_id: int) -> Response:
    """Serve a contact's card image to its owner (GET), or replace or remove it (POST)."""
    contact = get_contact(get_session(), auth.user_id(), contact_id)
    if request.method == "POST":
        return _upload_card_image(contact.id)
    image = card_image_of(get_session(), contact.id)
    if image is None or image_type(image.data) != image.content_type:
        abort(404)
    response = Response(image.data, mimetype=image.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _upload_card_image(contact_id: int) -> Response:
    """Attach a photo of the business card (JPEG, PNG or WebP; a HEIC becomes a JPEG), or
    remove it."""
    form = CardImageForm()
    if form.validate_on_submit():
        if form.remove.data:
            session = write_session()
            attach_card_image(session, auth.user_id(), contact_id, None)
            session.commit()
            flash(_("The card image was removed."), "success")
        else:
            # A phone's HEIC may be as large as a photo for the card reader: it is kept as a
            # JPEG, and the picture kept is held to MAX_IMAGE_BYTES.
            data = form.image.data.read(MAX_PHOTO_BYTES + 1) if form.image.data else b""
            content_type = image_type(data)
            if content_type is None and readable_photo(data) and len(data) <= MAX_PHOTO_BYTES:
                with suppress(ValueError):  # not a picture after all: refused below
                    data, content_type = card_picture(data), "image/jpeg"
            if len(data) > MAX_IMAGE_BYTES:
                flash(
                    _("The picture is larger than %(size)d MB.", size=MAX_IMAGE_BYTES // 1_048_576),
                    "error",
                )
            elif content_type is None:
                flash(_("Choose a JPEG, PNG, WebP or HEIC picture."), "error")
            else:
                session = write_session()
                attach_card_image(session, auth.user_id(), contact_id, (content_type, data))
                session.commit()
                flash(_("The card image was saved."), "success")
    else:
        flash(_("Choose a JPEG, PNG, WebP or HEIC picture."), "error")
    return redirect(url_for("contacts.detail", contact_id=contact_id))
