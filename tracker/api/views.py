"""The JSON API, version 1: contacts, touchpoints, referrals, events and the digest.

A thin layer over tracker.services: each view checks the token, loads only the caller's
rows, calls the service that the pages call too, and commits once.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_smorest import Blueprint, abort
from sqlalchemy.orm import Session
from webargs.core import missing
from webargs.flaskparser import FlaskParser

from tracker.api import schemas
from tracker.api.errors import json_error
from tracker.dates import today_in
from tracker.db import get_session, write_session
from tracker.models import Contact, Event, Referral, Touchpoint, User
from tracker.services import ServiceError
from tracker.services.contacts import (
    ContactData,
    ContactFilter,
    MethodData,
    contact_data,
    create_contact,
    list_contacts,
    set_archived,
    update_contact,
)
from tracker.services.dashboard import warmth_of
from tracker.services.digest import digest
from tracker.services.events import EventData, create_event, list_events, people_met
from tracker.services.ownership import owned
from tracker.services.referrals import LedgerFilter, ReferralData, create_referral, ledger
from tracker.services.tokens import user_for_token
from tracker.services.touchpoints import TouchpointData, create_touchpoint, list_touchpoints
from tracker.web import csrf


class Parser(FlaskParser):
    """Requests that fail validation are a 400, as the document says (webargs says 422),
    and so is a request without the JSON body its operation needs."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req: Any, schema: Any) -> Any:
        data = super().load_json(req, schema)
        if data is missing:
            abort(400, errors={"json": ["Send a JSON object, as application/json."]})
        return data


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = Parser()


bp = ApiBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Contacts, touchpoints, referrals, events and the morning digest.",
)
# Programs sign in with a token on every request: there is no form, so no CSRF token.
csrf.exempt(bp)

T = TypeVar("T")

NOT_FOUND = {"schema": schemas.ApiError, "description": "Not one of your records"}
INVALID = {
    "schema": schemas.ApiError,
    "description": "Malformed JSON, or values that fail validation",
}
UNAUTHORIZED = {"schema": schemas.ApiError, "description": "No token, or one that does not work"}


@bp.before_request
def _authenticate() -> ResponseReturnValue | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    user = None
    if scheme.lower() == "bearer" and secret.strip():
        user = user_for_token(get_session(), secret.strip())
    if user is None:
        return json_error(401, "Send Authorization: Bearer TOKEN (make a token in Settings).")
    g.api_user = user
    return None


def _user() -> User:
    user: User = g.api_user
    return user


def _today() -> date:
    return today_in(_user().time_zone, current_app.config.get("TODAY"))


def _owned(model: type[T], object_id: int) -> T:
    # Another user's record is a 404 like a missing one (the app's NotFound handler).
    return owned(get_session(), model, _user().id, object_id)


@contextmanager
def _writing() -> Iterator[Session]:
    """The session under the write lock, to enter once the body is parsed and checked, so
    that what the change reads is read under the lock; commit what the block changed. A
    change a service refuses is a 400 with its message."""
    session = write_session()
    try:
        yield session
    except ServiceError as error:
        abort(400, message=str(error))
    session.commit()


# The Contact schema's fields that are the model's own attributes (the rest are worked out).
CONTACT_COLUMNS = [
    name
    for name in schemas.Contact().fields
    if name not in ("archived", "warmth", "tags", "cadence")
]


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        **{name: getattr(contact, name) for name in CONTACT_COLUMNS},
        "cadence": contact.cadence,
        "archived": contact.archived_at is not None,
        "warmth": warmth_of(contact, _today()),
        "tags": [tag.name for tag in contact.tags],
    }


def _touchpoint(touchpoint: Touchpoint) -> dict[str, Any]:
    return {
        **{
            name: getattr(touchpoint, name)
            for name in schemas.Touchpoint().fields
            if name != "contact_ids"
        },
        "contact_ids": [contact.id for contact in touchpoint.contacts],
    }


def _page(page: Any, items: list[Any]) -> dict[str, Any]:
    return {"items": items, "page": page.number, "per_page": page.per_page, "total": page.total}


def _contact_values(data: ContactData, values: dict[str, Any]) -> ContactData:
    for name, value in values.items():
        if name == "methods":
            value = [MethodData(m["kind"], m["value"], m.get("label", "")) for m in value]
        elif name == "cadence":
            value = value or ""
        setattr(data, name, value)
    return data


@bp.route("/contacts", methods=["GET"])
@bp.arguments(schemas.ContactQuery, location="query")
@bp.response(200, schemas.ContactPage)
@bp.alt_response(401, **UNAUTHORIZED)
def contacts(query: dict[str, Any]) -> Any:
    """List your contacts, in name order; search with q."""
    found = list_contacts(
        get_session(),
        _user().id,
        ContactFilter(query=query["q"], archived=query["archived"]),
        today=_today(),
        page=query["page"],
        per_page=query["per_page"],
    )
    return _page(found, [_contact(contact) for contact in found.items])


@bp.route("/contacts", methods=["POST"])
@bp.arguments(schemas.ContactIn)
@bp.response(201, schemas.Contact)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(400, **INVALID)
def create(values: dict[str, Any]) -> Any:
    """Add a contact (a family or a given name is required)."""
    with _writing() as session:
        contact = create_contact(
            session, _user().id, _contact_values(ContactData(), values), _today()
        )
    return _contact(contact)


@bp.route("/contacts/<int:contact_id>", methods=["GET"])
@bp.response(200, schemas.Contact)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def contact(contact_id: int) -> Any:
    """One of your contacts."""
    return _contact(_owned(Contact, contact_id))


@bp.route("/contacts/<int:contact_id>", methods=["PATCH"])
@bp.arguments(schemas.ContactIn)
@bp.response(200, schemas.Contact)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(400, **INVALID)
@bp.alt_response(404, **NOT_FOUND)
def update(values: dict[str, Any], contact_id: int) -> Any:
    """Change the fields sent; the others stay as they are."""
    with _writing() as session:
        data = _contact_values(contact_data(_owned(Contact, contact_id)), values)
        found = update_contact(session, _user().id, contact_id, data, _today())
    return _contact(found)


@bp.route("/contacts/<int:contact_id>/archive", methods=["POST"])
@bp.response(200, schemas.Contact)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def archive(contact_id: int) -> Any:
    """Archive a contact: it leaves the lists and the phone, and keeps its history."""
    with _writing() as session:
        found = set_archived(session, _user().id, contact_id, True)
    return _contact(found)


@bp.route("/touchpoints", methods=["GET"])
@bp.arguments(schemas.TouchpointQuery, location="query")
@bp.response(200, schemas.TouchpointPage)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def touchpoints(query: dict[str, Any]) -> Any:
    """List your touchpoints, newest first (one contact's with contact_id)."""
    contact_id = query.get("contact_id")
    if contact_id is not None:
        _owned(Contact, contact_id)
    found = list_touchpoints(
        get_session(),
        _user().id,
        contact_id=contact_id,
        page=query["page"],
        per_page=query["per_page"],
    )
    return _page(found, [_touchpoint(item) for item in found.items])


@bp.route("/touchpoints", methods=["POST"])
@bp.arguments(schemas.TouchpointIn)
@bp.response(201, schemas.Touchpoint)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(400, **INVALID)
def log_touchpoint(values: dict[str, Any]) -> Any:
    """Log a touchpoint with one or more of your contacts."""
    with _writing() as session:
        touchpoint = create_touchpoint(session, _user().id, TouchpointData(**values), _today())
    return _touchpoint(touchpoint)


@bp.route("/touchpoints/<int:touchpoint_id>", methods=["GET"])
@bp.response(200, schemas.Touchpoint)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def touchpoint(touchpoint_id: int) -> Any:
    """One of your touchpoints."""
    return _touchpoint(_owned(Touchpoint, touchpoint_id))


@bp.route("/referrals", methods=["GET"])
@bp.arguments(schemas.ReferralQuery, location="query")
@bp.response(200, schemas.ReferralPage)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def referrals(query: dict[str, Any]) -> Any:
    """List your referrals, newest first, filtered by direction, status or contact."""
    contact_id = query.get("contact_id")
    if contact_id is not None:
        _owned(Contact, contact_id)
    wanted = LedgerFilter(
        direction=query.get("direction", ""),
        status=query.get("status", ""),
        contact_id=contact_id,
    )
    found = ledger(
        get_session(), _user().id, wanted, page=query["page"], per_page=query["per_page"]
    )
    return _page(found, found.items)


@bp.route("/referrals", methods=["POST"])
@bp.arguments(schemas.ReferralIn)
@bp.response(201, schemas.Referral)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(400, **INVALID)
def add_referral(values: dict[str, Any]) -> Any:
    """Record a referral given, received, or an introduction of two contacts."""
    with _writing() as session:
        referral = create_referral(session, _user().id, ReferralData(**values), _today())
    return referral


@bp.route("/referrals/<int:referral_id>", methods=["GET"])
@bp.response(200, schemas.Referral)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def referral(referral_id: int) -> Any:
    """One of your referrals."""
    return _owned(Referral, referral_id)


@bp.route("/events", methods=["GET"])
@bp.response(200, schemas.EventList)
@bp.alt_response(401, **UNAUTHORIZED)
def events() -> Any:
    """List your events, newest first, each with the number of people met there."""
    found = list_events(get_session(), _user().id)
    return {"items": [{**_event(event), "people": people} for event, people in found]}


def _event(event: Event) -> dict[str, Any]:
    return {
        name: getattr(event, name) for name in ("id", "name", "kind", "held_on", "place", "notes")
    }


@bp.route("/events", methods=["POST"])
@bp.arguments(schemas.EventIn)
@bp.response(201, schemas.Event)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(400, **INVALID)
def add_event(values: dict[str, Any]) -> Any:
    """Add an event: a place where people are met."""
    with _writing() as session:
        event = create_event(session, _user().id, EventData(**values))
    return _event(event)


@bp.route("/events/<int:event_id>", methods=["GET"])
@bp.response(200, schemas.Event)
@bp.alt_response(401, **UNAUTHORIZED)
@bp.alt_response(404, **NOT_FOUND)
def event(event_id: int) -> Any:
    """One of your events, with the number of people met there."""
    found: Event = _owned(Event, event_id)
    return {**_event(found), "people": len(people_met(get_session(), found))}


@bp.route("/digest", methods=["GET"])
@bp.response(200, schemas.Digest)
@bp.alt_response(401, **UNAUTHORIZED)
def morning_digest() -> Any:
    """The morning digest, as `flask digest --json` prints it."""
    return jsonify(digest(get_session(), _user().id, _today()))
