"""Contacts: the list with search, the contact page, the form, archive and delete."""

from flask import (
    Blueprint,
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
from tracker.db import get_session
from tracker.forms import ConfirmForm, ContactForm
from tracker.models import Contact
from tracker.services import ServiceError
from tracker.services.contacts import (
    SORTS,
    ContactData,
    MethodData,
    create_contact,
    delete_contact,
    list_contacts,
    lookup,
    parse_tags,
    set_archived,
    update_contact,
)
from tracker.services.touchpoints import timeline
from tracker.views.helpers import contact_choices, contact_label, event_choices, get_contact_or_404
from tracker.web import error_message

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List contacts: search by name, reading or company; sort by reading or last touch."""
    query = request.args.get("q", "").strip()[:200]
    sort = request.args.get("sort", "reading")
    sort = sort if sort in SORTS else "reading"
    archived = request.args.get("archived") == "1"
    page_number = request.args.get("page", 1, type=int) or 1
    page = list_contacts(
        get_session(),
        auth.user_id(),
        query=query,
        sort=sort,
        archived=archived,
        page=page_number,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "contacts/index.html", page=page, query=query, sort=sort, archived=archived
    )


@bp.route("/lookup")
def lookup_json() -> Response:
    """Find contacts by name, reading or company, for the pickers' scripts."""
    found = lookup(get_session(), auth.user_id(), request.args.get("q", "")[:200], limit=20)
    return jsonify([{"id": c.id, "label": contact_label(c)} for c in found])


@bp.route("/<int:contact_id>")
def detail(contact_id: int) -> str:
    """Show a contact with their timeline, newest first."""
    contact = get_contact_or_404(contact_id)
    return render_template(
        "contacts/detail.html",
        contact=contact,
        timeline=timeline(get_session(), contact),
        confirm=ConfirmForm(),
    )


def _data(form: ContactForm) -> ContactData:
    return ContactData(
        family_name=form.family_name.data or "",
        given_name=form.given_name.data or "",
        family_reading=form.family_reading.data or "",
        given_reading=form.given_reading.data or "",
        company=form.company.data or "",
        department=form.department.data or "",
        title=form.title.data or "",
        expertise=form.expertise.data or "",
        notes=form.notes.data or "",
        first_met_on=form.first_met_on.data,
        origin_event_id=form.origin_event.data,
        introduced_by_id=form.introduced_by.data,
        origin_note=form.origin_note.data or "",
        stage=form.stage.data or "card",
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
    for name in (
        "family_name",
        "given_name",
        "family_reading",
        "given_reading",
        "company",
        "department",
        "title",
        "expertise",
        "notes",
        "first_met_on",
        "stage",
        "origin_note",
    ):
        getattr(form, name).data = getattr(contact, name)
    form.origin_event.data = contact.origin_event_id
    form.introduced_by.data = contact.introduced_by_id
    form.tags.data = ", ".join(tag.name for tag in contact.tags)
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
                contact = create_contact(session, auth.user_id(), data)
                message = _("Contact added.")
            else:
                update_contact(session, contact, data)
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
        delete_contact(get_session(), contact)
        get_session().commit()
        flash(_("%(name)s was deleted.", name=contact.name), "success")
        return redirect(url_for("contacts.index"))
    return render_template("contacts/delete.html", contact=contact, form=form)
