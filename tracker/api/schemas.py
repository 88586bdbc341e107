"""The API's schemas: they validate what comes in, shape what goes out, and make the
OpenAPI document (flask-smorest reads them), so the three never disagree."""

from typing import Any, ClassVar

import marshmallow as ma
from marshmallow import fields, validate

from tracker import fields as contact_fields
from tracker.models import (
    CADENCE_LEN,
    LABEL_LEN,
    LONG_TEXT_LEN,
    METHOD_LEN,
    ORG_LEN,
    SHORT_TEXT_LEN,
    TAG_LEN,
)
from tracker.services.contacts import MAX_TAGS
from tracker.vocabulary import (
    EVENT_KINDS,
    INITIATORS,
    METHOD_KINDS,
    REFERRAL_DIRECTIONS,
    REFERRAL_STATUSES,
    STAGES,
    TOUCHPOINT_KINDS,
)
from tracker.web import MAX_ID

MAX_PER_PAGE = 200
MAX_PEOPLE = 50


def _no_controls(value: str) -> None:
    """No control characters but line breaks and tabs (PostgreSQL refuses NUL)."""
    if not all(char >= " " or char in "\n\t\r" for char in value):
        raise ma.ValidationError("Control characters are not allowed.")


def text(limit: int, **kwargs: Any) -> fields.String:
    """A text field of at most ``limit`` characters, without control characters."""
    return fields.String(validate=[validate.Length(max=limit), _no_controls], **kwargs)


def ident(*, strict: bool = True, **kwargs: Any) -> fields.Integer:
    """An id: strictly a JSON integer in bodies; in a query string, digits."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class ApiError(ma.Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    status = fields.String(required=True, metadata={"description": "Its name"})
    message = fields.String(metadata={"description": "What went wrong, for a person"})
    errors = fields.Dict(metadata={"description": "Each field's problems (400 only)"})


class Method(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(METHOD_KINDS))
    value = text(METHOD_LEN, required=True)
    label = text(LABEL_LEN, load_default="")


def _field_in(spec: contact_fields.FieldSpec) -> fields.Field:
    """How a contact field is sent: a date, or text of at most its length."""
    if spec.kind == "date":
        return fields.Date(allow_none=True)
    return text(spec.length, allow_none=spec.empty is None)


def _field_out(spec: contact_fields.FieldSpec) -> fields.Field:
    """How a contact field is returned."""
    if spec.kind == "date":
        return fields.Date(required=True, allow_none=True)
    return fields.String(required=True, allow_none=spec.empty is None)


class ContactIn(ma.Schema):
    """A contact's fields (those of tracker.fields that a form edits); on update, only the
    fields sent are changed."""

    class Meta:
        include: ClassVar[dict[str, fields.Field]] = {
            spec.name: _field_in(spec) for spec in contact_fields.EDITABLE
        }

    origin_event_id = ident(allow_none=True)
    introduced_by_id = ident(allow_none=True)
    stage = fields.String(validate=validate.OneOf(STAGES))
    cadence = text(CADENCE_LEN, metadata={"description": "e.g. 2w, monthly, every 3 months"})
    methods = fields.List(fields.Nested(Method), validate=validate.Length(max=50))
    tags = fields.List(text(TAG_LEN), validate=validate.Length(max=MAX_TAGS))


class Contact(ma.Schema):
    """A contact: every field of tracker.fields, and what the app works out."""

    class Meta:
        include: ClassVar[dict[str, fields.Field]] = {
            spec.name: _field_out(spec) for spec in contact_fields.FIELDS
        }

    id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "As the app shows it"})
    origin_event_id = fields.Integer(required=True, allow_none=True)
    introduced_by_id = fields.Integer(required=True, allow_none=True)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    evidence_stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    cadence = fields.String(required=True, allow_none=True)
    warmth = fields.String(required=True, allow_none=True)
    last_touch_on = fields.Date(required=True, allow_none=True)
    next_due_on = fields.Date(required=True, allow_none=True)
    follow_up_on = fields.Date(required=True, allow_none=True)
    archived = fields.Boolean(required=True)
    methods = fields.List(fields.Nested(Method), required=True)
    tags = fields.List(fields.String(), required=True)


class ContactQuery(ma.Schema):
    q = text(200, load_default="", metadata={"description": "Search names, readings, company…"})
    archived = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageQuery(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageOf(ma.Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ContactPage(PageOf):
    items = fields.List(fields.Nested(Contact), required=True)


class TouchpointIn(ma.Schema):
    occurred_on = fields.Date(required=True)
    occurred_at = fields.Time(allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(TOUCHPOINT_KINDS))
    contact_ids = fields.List(
        ident(), required=True, validate=validate.Length(min=1, max=MAX_PEOPLE)
    )
    summary = text(SHORT_TEXT_LEN, load_default="")
    notes = text(LONG_TEXT_LEN, load_default="")
    initiated_by = fields.String(allow_none=True, validate=validate.OneOf(INITIATORS))
    follow_up_on = fields.Date(allow_none=True)
    event_id = ident(allow_none=True)


class Touchpoint(ma.Schema):
    id = fields.Integer(required=True)
    occurred_on = fields.Date(required=True)
    occurred_at = fields.Time(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(TOUCHPOINT_KINDS))
    contact_ids = fields.List(fields.Integer(), required=True)
    summary = fields.String(required=True)
    notes = fields.String(required=True)
    initiated_by = fields.String(required=True, allow_none=True)
    follow_up_on = fields.Date(required=True, allow_none=True)
    event_id = fields.Integer(required=True, allow_none=True)


class TouchpointQuery(PageQuery):
    contact_id = ident(strict=False, metadata={"description": "Only this contact's touchpoints"})


class TouchpointPage(PageOf):
    items = fields.List(fields.Nested(Touchpoint), required=True)


class ReferralIn(ma.Schema):
    referred_on = fields.Date(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(REFERRAL_DIRECTIONS))
    contact_id = ident(required=True)
    other_contact_id = ident(
        allow_none=True, metadata={"description": "The second contact of an introduction"}
    )
    subject = text(ORG_LEN, load_default="", metadata={"description": "Who was referred"})
    subject_contact_id = ident(allow_none=True)
    status = fields.String(load_default="introduced", validate=validate.OneOf(REFERRAL_STATUSES))
    notes = text(LONG_TEXT_LEN, load_default="")


class Referral(ma.Schema):
    id = fields.Integer(required=True)
    referred_on = fields.Date(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(REFERRAL_DIRECTIONS))
    contact_id = fields.Integer(required=True)
    other_contact_id = fields.Integer(required=True, allow_none=True)
    subject = fields.String(required=True)
    subject_contact_id = fields.Integer(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(REFERRAL_STATUSES))
    notes = fields.String(required=True)


class ReferralQuery(PageQuery):
    direction = fields.String(validate=validate.OneOf(REFERRAL_DIRECTIONS))
    status = fields.String(validate=validate.OneOf(REFERRAL_STATUSES))
    contact_id = ident(strict=False)


class ReferralPage(PageOf):
    items = fields.List(fields.Nested(Referral), required=True)


class EventIn(ma.Schema):
    name = text(ORG_LEN, required=True)
    kind = fields.String(load_default="networking", validate=validate.OneOf(EVENT_KINDS))
    held_on = fields.Date(allow_none=True)
    place = text(ORG_LEN, load_default="")
    notes = text(LONG_TEXT_LEN, load_default="")


class Event(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    held_on = fields.Date(required=True, allow_none=True)
    place = fields.String(required=True)
    notes = fields.String(required=True)
    people = fields.Integer(metadata={"description": "People met there (in lists)"})


class EventList(ma.Schema):
    items = fields.List(fields.Nested(Event), required=True)


class Person(ma.Schema):
    """A contact in the digest, with the figures that put them in that list."""

    class Meta:
        unknown = ma.INCLUDE

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    stage = fields.String(required=True)
    last_touch_on = fields.String(allow_none=True, metadata={"format": "date"})
    due_on = fields.String(allow_none=True, metadata={"format": "date"})
    met_on = fields.String(allow_none=True, metadata={"format": "date"})
    warmth = fields.String(allow_none=True)
    overdue_days = fields.Integer(allow_none=True)
    days_left = fields.Integer(allow_none=True)
    when = fields.String(metadata={"description": "overdue, today or soon"})
    evidence_stage = fields.String()
    given = fields.Integer()
    received = fields.Integer()
    direction = fields.String(metadata={"description": "only_i_give or only_they_give"})


class Place(ma.Schema):
    kind = fields.String(required=True)
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    people = fields.Integer(required=True)
    acquaintance = fields.Integer(required=True)
    trusted = fields.Integer(required=True)
    collaborator = fields.Integer(required=True)
    given = fields.Integer(required=True)
    received = fields.Integer(required=True)


class Digest(ma.Schema):
    """The morning digest, as `flask digest --json` prints it (see the README)."""

    today = fields.Date(required=True)
    cold = fields.List(fields.Nested(Person), required=True)
    cold_total = fields.Integer(required=True)
    cooling = fields.List(fields.Nested(Person), required=True)
    first_follow_up = fields.List(fields.Nested(Person), required=True)
    first_follow_up_total = fields.Integer(required=True)
    follow_ups_due = fields.List(fields.Nested(Person), required=True)
    follow_ups_due_total = fields.Integer(required=True)
    promotion_candidates = fields.List(fields.Nested(Person), required=True)
    unsupported_labels = fields.List(fields.Nested(Person), required=True)
    one_way = fields.List(fields.Nested(Person), required=True)
    places = fields.List(fields.Nested(Place), required=True)
    counts = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )
    referrals_12_months = fields.Dict(keys=fields.String(), values=fields.Integer())
