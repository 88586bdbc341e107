"""The quick card exchange, used standing at an event: photograph the card, confirm what
was read, save; then the next card of the same evening."""

import json
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth, fields
from tracker.dates import parse_date
from tracker.db import get_session, write_session
from tracker.drafts import sent_fields
from tracker.fields import NAME_LEN, ON_CARD
from tracker.forms import CardForm, field_values
from tracker.i18n import format_day
from tracker.images import MAX_PHOTO_BYTES, card_picture, image_type, readable_photo
from tracker.method_values import join_postal_code, split_postal_code
from tracker.services import ServiceError
from tracker.services.cards import (
    CardData,
    draft_image,
    likely_duplicate,
    log_card_exchange,
    log_card_with,
)
from tracker.services.contacts import MethodData
from tracker.services.drafts import Draft, drop_draft, find_draft, make_draft, set_fields
from tracker.views.helpers import Named, event_choices
from tracker.views.once import AlreadySpent, give_token, lead_to, saved_before, spend_token
from tracker.web import db_int, error_message, today

if TYPE_CHECKING:
    from tracker.cardreader import CardFields, OcrStatus

bp = Blueprint("cards", __name__, url_prefix="/cards")
auth.require_login(bp)

# The fields in the order a card shows them: the first empty one gets the focus.
FOCUS_ORDER = (
    "family_name",
    "given_name",
    "family_reading",
    "given_reading",
    "company",
    "title",
    "email",
    "phone",
)
# Typed details the reader can fill, besides the contact's own fields.
READ_DETAILS = ("email", "phone", "mobile", "postal_code", "address", "url")
# Japanese mobile numbers: 070, 080 and 090 (also written +81 70…).
_MOBILE_PREFIXES = ("070", "080", "090", "+8170", "+8180", "+8190")
# Buttons and one-time fields a kept form does not carry into the next request.
_NOT_KEPT = {"read", "save", "save_another", "save_new", "touch_existing", "csrf_token", "draft"}


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    """Log a business-card exchange: photograph the card or type it, where and when, and
    what was said."""
    session = get_session()
    form = CardForm()
    if form.fresh:
        form.event.data = request.args.get("event", None, type=db_int)
        form.met_on.data = today()
        with suppress(ValueError):  # no date, or not one: today
            form.met_on.data = parse_date(request.args.get("date", ""), today=today())
    give_token(form)
    form.event.choices = event_choices(form.event.data, _("No event"))
    draft = _photo_draft(form)
    duplicate = None
    if form.is_submitted() and (form.read.data or _sent_photos()):
        return _read(form, draft)
    if form.is_submitted() and (done := saved_before(form)) is not None:
        return done
    if form.validate_on_submit():
        card = _card(form)
        touch_id = request.form.get("touch_existing", None, type=db_int)
        if touch_id is None and not form.save_new.data:
            duplicate = likely_duplicate(session, auth.user_id(), card, card.methods())
            if duplicate is not None and str(duplicate[0].id) == form.seen_duplicate.data:
                duplicate = None  # named while typing, and saved as a new contact anyway
        if duplicate is None:
            saved = _save(form, card, draft, touch_id)
            if saved is not None:
                return saved
    return _render(form, draft, duplicate[0] if duplicate else None)


def _save(form: CardForm, card: CardData, draft: Draft | None, touch_id: int | None) -> Any:
    """Save the card (once per form), or log it with a contact the user already has."""
    session = write_session()
    user_id = auth.user_id()
    try:
        submission = spend_token(form)
    except AlreadySpent:
        session.rollback()
        return saved_before(form)
    image = draft_image(draft)
    try:
        if touch_id is not None:
            logged = log_card_with(session, user_id, touch_id, card, today(), image)
            message = _("Card exchange with %(name)s logged.", name=logged.contact.name)
        else:
            logged = log_card_exchange(session, user_id, card, today(), image)
            message = _("Card of %(name)s saved.", name=logged.contact.name)
    except ServiceError as error:
        session.rollback()
        form.form_errors.append(error_message(error))
        return None
    if form.save_another.data:
        event_id = logged.event.id if logged.event else None
        target = url_for("cards.new", event=event_id, date=card.met_on.isoformat())
    else:
        target = url_for("contacts.detail", contact_id=logged.contact.id)
    if submission is not None:
        lead_to(submission, target)
    if draft is not None:
        drop_draft(session, draft)
    session.commit()
    flash(message, "success")
    return redirect(target)


def _card(form: CardForm) -> CardData:
    return CardData(
        **field_values(form, ON_CARD),
        met_on=form.met_on.data or today(),
        email=form.email.data or "",
        phone=form.phone.data or "",
        mobile=form.mobile.data or "",
        address=join_postal_code(form.postal_code.data or "", form.address.data or ""),
        url=form.url.data or "",
        event_id=form.event.data,
        new_event_name=form.new_event.data or "",
        talked_about=form.talked_about.data or "",
        follow_up_on=form.follow_up_on.data,
    )


def _photo_draft(form: CardForm) -> Draft | None:
    """The draft holding this card's photos: the one the form names, or the one the page
    was opened with (a form kept across a sign-in may hold photos not read yet)."""
    session = get_session()
    if form.draft.data:
        found = find_draft(session, auth.user_id(), form.draft.data, request.path)
        if found is not None:
            return found
    opened: Draft | None = g.get("form_draft")
    if opened is not None and opened.photo is not None:
        form.draft.data = opened.token
        return opened
    return None


def _sent_photos() -> dict[str, bytes]:
    """The photos this request sent, by field (photo, back); empty files left out."""
    if "card_photos" not in g:
        sent = {}
        for name in ("photo", "back"):
            upload = request.files.get(name)
            data = upload.read(MAX_PHOTO_BYTES + 1) if upload else b""
            if data:
                sent[name] = data
        g.card_photos = sent
    photos: dict[str, bytes] = g.card_photos
    return photos


def _read(form: CardForm, draft: Draft | None) -> str | Response:
    """Read the card from its photos (new ones, or the draft's), fill the fields the user
    has not typed, keep everything in the draft and show the form to confirm."""
    session = get_session()
    photos = _sent_photos()
    for name, data in photos.items():
        field = form.photo if name == "photo" else form.back
        if len(data) > MAX_PHOTO_BYTES:
            field.errors = [_("The photo is larger than %(size)d MB.", size=MAX_PHOTO_BYTES >> 20)]
        elif not readable_photo(data):
            field.errors = [_("Choose a JPEG, PNG, WebP or HEIC picture.")]
    front = photos.get("photo") or (draft.photo if draft is not None else None)
    back = photos.get("back") or (draft.back if draft is not None else None)
    if front is None and not form.photo.errors:
        form.photo.errors = [_("Take a photo of the card first.")]
    if form.photo.errors or form.back.errors or front is None:
        return _render(form, draft)
    # The reader takes a second or two: no transaction stays open meanwhile.
    session.commit()
    from tracker.cardreader import ImageError, read_card  # numpy and the models: when used

    try:
        result = read_card([front, back] if back else [front])
        pictures = {name: card_picture(data) for name, data in photos.items()}
    except (ImageError, ValueError):
        form.photo.errors = [_("This picture cannot be read. Take the photo again.")]
        return _render(form, draft)
    session = write_session()
    if draft is None:
        draft = make_draft(session, auth.user_id(), request.path, "photo")
    draft.reason = "photo"
    for name, data in pictures.items():
        setattr(draft, name, data)
        setattr(draft, f"{name}_type", "image/jpeg")
    found = read_values(result)
    before = json.loads(draft.read or "{}")
    kept = [(name, value) for name, value in sent_fields() if name not in _NOT_KEPT]
    set_fields(draft, [*fill(kept, found, before), ("draft", draft.token)])
    notes = {"source": result.source, "ocr_off": result.ocr_off}
    if result.readings_suggested:
        notes["suggested"] = "1"
    draft.read = json.dumps({**found, **notes}, ensure_ascii=False)
    session.commit()
    return redirect(_draft_url(draft))


class Met(Named, Protocol):
    """What names a likely duplicate: a contact's label, and when it was first met."""

    @property
    def first_met_on(self) -> date | None: ...


def _draft_url(draft: Draft) -> str:
    return url_for("cards.new", draft=draft.token)


def _render(form: CardForm, draft: Draft | None, duplicate: Met | None = None) -> str:
    """The card form, with the draft's photos and what was read, and a likely duplicate."""
    return render_template(
        "cards/new.html",
        form=form,
        draft=draft,
        read=_read_notes(draft),
        ocr=_ocr_status(),
        duplicate=duplicate and (duplicate, describe_contact(duplicate)),
        focus=_focus(form),
    )


def _ocr_status() -> "OcrStatus":
    """Whether printed text can be read here (the reader is imported when first needed:
    commands that never read a card do not load numpy and its models)."""
    from tracker.cardreader import ocr_status

    return ocr_status()


def read_values(result: "CardFields") -> dict[str, str]:
    """What the reader found, as the card form's fields."""
    found = {spec.name: getattr(result, spec.name) for spec in ON_CARD}
    mobiles = [p for p in result.phones if p.replace("-", "").startswith(_MOBILE_PREFIXES)]
    others = [p for p in result.phones if p not in mobiles]
    postal_code, address = split_postal_code(result.address)
    found.update(
        email=next(iter(result.emails), ""),
        phone=next(iter(others), ""),
        mobile=next(iter(mobiles), ""),
        postal_code=postal_code,
        address=address,
        url=next(iter(result.urls), ""),
    )
    return {name: value for name, value in found.items() if value}


def fill(
    sent: list[tuple[str, str]], found: dict[str, str], before: dict[str, str]
) -> list[tuple[str, str]]:
    """The form's fields with what the reader found put in, where the field is empty or
    still holds what an earlier reading put there: never over what the user typed."""
    values = dict(sent)
    merged = list(sent)
    for name, value in found.items():
        current = values.get(name, "")
        if current.strip() and current != before.get(name):
            continue
        merged = [(key, old) for key, old in merged if key != name]
        merged.append((name, value))
    return merged


def _read_notes(draft: Draft | None) -> dict[str, Any]:
    """What the page says about the last reading of the draft's photos."""
    if draft is None:
        return {}
    try:
        read = json.loads(draft.read or "{}")
    except json.JSONDecodeError:
        return {}
    return read if isinstance(read, dict) else {}


def _focus(form: CardForm) -> str:
    """The field to put the cursor in: the first with an error, else the first empty one."""
    for name in (*FOCUS_ORDER, *(spec.name for spec in ON_CARD)):
        if form[name].errors:
            return name
    for name in FOCUS_ORDER:
        if not form[name].data:
            return name
    return ""


def describe_contact(contact: Met) -> str:
    """A contact as a likely duplicate is named: 佐藤 花子 (佐藤社労士事務所), met on …"""
    met = contact.first_met_on
    if contact.company and met:
        return _(
            "%(name)s (%(company)s), met on %(date)s",
            name=contact.name,
            company=contact.company,
            date=format_day(met),
        )
    if contact.company:
        return _("%(name)s (%(company)s)", name=contact.name, company=contact.company)
    if met:
        return _("%(name)s, met on %(date)s", name=contact.name, date=format_day(met))
    return contact.name


@bp.route("/duplicates")
def duplicates() -> Response:
    """Name the contact a card being typed likely is already (for the card form's script)."""
    args = request.args
    card = fields.ContactFields()
    for spec in ON_CARD:
        setattr(card, spec.name, args.get(spec.name, "")[:NAME_LEN])
    methods = [
        MethodData(kind="email", value=args.get("email", "")[:NAME_LEN]),
        MethodData(kind="phone", value=args.get("phone", "")[:NAME_LEN]),
        MethodData(kind="phone", value=args.get("mobile", "")[:NAME_LEN]),
    ]
    found = likely_duplicate(get_session(), auth.user_id(), card, methods)
    listed = []
    if found is not None:
        contact = found[0]
        listed.append(
            {
                "id": contact.id,
                "text": describe_contact(contact),
                "url": url_for("contacts.detail", contact_id=contact.id),
            }
        )
    return jsonify({"duplicates": listed})


@bp.route("/new/photo")
def photo() -> Response:
    """Show the photo of a card being confirmed (front, or back with ?side=back)."""
    draft = find_draft(get_session(), auth.user_id(), request.args.get("draft", ""))
    side = "back" if request.args.get("side") == "back" else "photo"
    data = getattr(draft, side) if draft is not None else None
    content_type = getattr(draft, f"{side}_type") if draft is not None else None
    if not data or image_type(data) != content_type:
        abort(404)
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response
