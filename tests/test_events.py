"""Events: list, create, edit, the people met there, delete."""

from datetime import date

from sqlalchemy import select

from tests.conftest import log_in, stored
from tracker.db import write_transaction
from tracker.models import Contact, Event


def event_form(**overrides):
    data = {
        "name": "府中 異業種交流会",
        "kind": "networking",
        "held_on": "2026/11/20",
        "place": "府中市",
        "notes": "",
        "save": "Save",
    }
    data.update(overrides)
    return data


def test_create_and_edit_an_event(signed_in, app):
    response = signed_in.post("/events/new", data=event_form())
    assert response.status_code == 302
    event_id = int(response.location.rsplit("/", 1)[1])
    signed_in.post(f"/events/{event_id}/edit", data=event_form(name="BNI 府中", kind="community"))
    with write_transaction(app) as session:
        event = stored(session, Event, event_id)
        assert (event.name, event.kind, event.held_on, event.place) == (
            "BNI 府中",
            "community",
            date(2026, 11, 20),
            "府中市",
        )
    listing = signed_in.get("/events").get_data(as_text=True)
    assert "BNI 府中" in listing and "Community" in listing


def test_an_event_lists_the_people_met_there(signed_in, make_event, make_contact, make_touchpoint):
    event = make_event(name="セミナー")
    by_origin = make_contact(family_name="起点", origin_event_id=event.id)
    by_touch = make_contact(family_name="接点")
    elsewhere = make_contact(family_name="無関係")
    make_touchpoint([by_touch], kind="event", event_id=event.id)
    page = signed_in.get(f"/events/{event.id}").get_data(as_text=True)
    assert "起点" in page and "接点" in page and "無関係" not in page
    listing = signed_in.get("/events").get_data(as_text=True)
    assert "2 people met" in listing
    assert elsewhere.id and by_origin.id


def test_bad_event_input(signed_in, app):
    for bad in [
        event_form(name=""),
        event_form(held_on="someday"),
        event_form(kind="rave"),
        event_form(name="x" * 201),
    ]:
        assert signed_in.post("/events/new", data=bad).status_code == 200
    with write_transaction(app) as session:
        assert session.scalars(select(Event)).all() == []


def test_deleting_an_event_keeps_the_people(signed_in, app, make_event, make_contact):
    event = make_event()
    person = make_contact(origin_event_id=event.id)
    assert "Delete" in signed_in.get(f"/events/{event.id}/delete").get_data(as_text=True)
    signed_in.post(f"/events/{event.id}/delete")
    with write_transaction(app) as session:
        assert session.get(Event, event.id) is None
        assert stored(session, Contact, person.id).origin_event_id is None


def test_another_users_event_is_a_404(client, app, make_user, make_event):
    owner, stranger = make_user(), make_user()
    event = make_event(owner=owner)
    log_in(client, stranger)
    for method, url in [
        ("get", f"/events/{event.id}"),
        ("get", f"/events/{event.id}/edit"),
        ("post", f"/events/{event.id}/edit"),
        ("get", f"/events/{event.id}/delete"),
        ("post", f"/events/{event.id}/delete"),
    ]:
        assert getattr(client, method)(url, data=event_form()).status_code == 404
    assert client.get(f"/cards/new?event={event.id}").status_code == 200
    assert "交流会" not in client.get("/events").get_data(as_text=True)
    with write_transaction(app) as session:
        assert stored(session, Event, event.id).name == "交流会"
