"""The contact field specification (tracker.fields) and what it feeds: the model agrees with
it, and the forms, data classes, exports, restore, merges and keys carry every field."""

import dataclasses
import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Date, String, Text, select

from tests.conftest import stored
from tracker import fields
from tracker.db import write_transaction
from tracker.forms import CardForm, ContactForm
from tracker.importers import Card
from tracker.models import Contact, User
from tracker.services import exports
from tracker.services.cards import CardData
from tracker.services.contacts import ContactData
from tracker.services.duplicates import merge
from tracker.services.imports import merge_cards
from tracker.services.restore import restore
from tracker.text import NameParts, contact_keys, search_key

FIELD_IDS = [spec.name for spec in fields.FIELDS]


def sample(spec: fields.FieldSpec, seed: str = "a") -> Any:
    """A value of the field, different for each seed."""
    if spec.kind == "date":
        return date(2025, 12, 7) if seed == "a" else date(2024, 1, 15)
    if spec.kind == "birthday":
        return "1980-02-29" if seed == "a" else "--11-27"
    return f"{spec.name} {seed}"


def every_field(seed: str = "a") -> dict[str, Any]:
    return {spec.name: sample(spec, seed) for spec in fields.FIELDS}


def test_the_fields_are_those_of_the_dataclass():
    assert [f.name for f in dataclasses.fields(fields.ContactFields)] == FIELD_IDS
    assert FIELD_IDS[:4] == ["family_name", "given_name", "family_reading", "given_reading"]
    assert all(spec.label for spec in fields.FIELDS)


@pytest.mark.parametrize("spec", fields.FIELDS, ids=FIELD_IDS)
def test_the_model_has_a_column_as_the_spec_says(spec):
    column = Contact.__table__.columns[spec.name]
    if spec.kind == "line":
        assert isinstance(column.type, String) and column.type.length == spec.length
        assert column.default.arg == "" and not column.nullable
    elif spec.kind == "text":
        assert isinstance(column.type, Text) and column.default.arg == ""
    elif spec.kind == "date":
        assert isinstance(column.type, Date) and column.nullable
    else:
        assert isinstance(column.type, String) and column.type.length == spec.length
        assert column.nullable


@pytest.mark.parametrize("carrier", [ContactData, CardData, Card, NameParts])
def test_every_carrier_of_a_contact_has_every_field(carrier):
    assert issubclass(carrier, fields.ContactFields)
    assert set(FIELD_IDS) <= {f.name for f in dataclasses.fields(carrier)}


@pytest.mark.parametrize(
    ("form", "specs"), [(ContactForm, fields.EDITABLE), (CardForm, fields.ON_CARD)]
)
def test_the_forms_have_a_field_for_each_of_theirs(app, form, specs):
    with app.test_request_context():
        made = form(meta={"csrf": False})
        for spec in specs:
            field = made[spec.name]
            assert field.label.text == spec.label
            lengths = [v.max for v in field.validators if hasattr(v, "max")]
            assert lengths == ([] if spec.kind == "date" else [spec.length])
        assert "birthday" not in made
    assert {s.name for s in fields.ON_CARD} == {
        "family_name",
        "given_name",
        "family_reading",
        "given_reading",
        "company",
        "department",
        "title",
    }


def test_a_label_is_translated_on_the_form(app):
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        assert str(ContactForm(meta={"csrf": False}).family_reading.label.text) == "姓（よみ）"


def test_every_field_is_exported_and_restored(app, user, make_user, make_contact):
    make_contact(**{spec.name: sample(spec) for spec in fields.EDITABLE}, tags=["取引先"])
    with write_transaction(app) as session:
        contact = session.scalars(select(Contact)).one()
        for spec in fields.FIELDS:
            if not spec.editable:  # kept from imports; no form edits them
                setattr(contact, spec.name, sample(spec))
        backup = json.loads(exports.backup_json(session, stored(session, User, user.id)))
        rows = exports.csv_text(session, user.id).lstrip("\ufeff").splitlines()
    (row,) = backup["contacts"]
    expected = every_field()
    expected["first_met_on"] = expected["first_met_on"].isoformat()
    assert {name: row[name] for name in FIELD_IDS} == expected
    header = rows[0].split(",")
    assert [name for name in FIELD_IDS if fields.BY_NAME[name].csv] == [
        name for name in header if name in FIELD_IDS
    ]
    assert "origin_note a" not in rows[1] and "family_name a" in rows[1]
    other = make_user()
    with write_transaction(app) as session:
        restore(session, stored(session, User, other.id), backup, date(2026, 12, 1))
        restored = session.scalars(select(Contact).where(Contact.user_id == other.id)).one()
        assert fields.values(restored) == every_field()
        assert "取引先" in restored.search_key  # the keys are refreshed once tags are linked


def test_a_restored_line_longer_than_its_column_is_refused(app, user, make_user, make_contact):
    make_contact()
    with write_transaction(app) as session:
        backup = exports.backup(session, stored(session, User, user.id))
    backup["contacts"][0]["department"] = "x" * (fields.ORG_LEN + 1)
    other = make_user()
    with write_transaction(app) as session, pytest.raises(ValueError, match="department"):
        restore(session, stored(session, User, other.id), backup, date(2026, 12, 1))


def test_merging_two_cards_fills_joins_and_keeps_the_earlier_date():
    first = Card(family_name="山田", notes="first", first_met_on=date(2025, 5, 1))
    second = Card(**every_field("b"))
    merge_cards(first, second)
    for spec in fields.FIELDS:
        mine = getattr(first, spec.name)
        if spec.merge == "join":
            assert mine == f"first\n{sample(spec, 'b')}"
        elif spec.merge == "earliest":
            assert mine == min(date(2025, 5, 1), sample(spec, "b"))
        elif spec.name == "family_name":
            assert mine == "山田"
        else:
            assert mine == sample(spec, "b"), spec.name


def test_merging_two_contacts_fills_every_field(app, make_contact):
    keep = make_contact(family_name="山田", given_name="", notes="")
    drop = make_contact(**{spec.name: sample(spec, "b") for spec in fields.EDITABLE})
    with write_transaction(app) as session:
        merge(session, keep.user_id, keep.id, drop.id, date.today())
    with write_transaction(app) as session:
        kept = session.get(Contact, keep.id)
        for spec in fields.EDITABLE:
            expected = "山田" if spec.name == "family_name" else sample(spec, "b")
            assert getattr(kept, spec.name) == expected


def test_the_keys_search_every_field_marked_for_search():
    card = Card(**every_field())
    key = contact_keys(card, ["取引先"]).search_key
    for spec in fields.TEXT_FIELDS:
        assert (sample(spec) in key) is (spec.search or spec.group == "name"), spec.name
    assert "取引先" in key
    assert key == search_key(NameParts(**fields.values(card), tags=("取引先",)))


def test_the_model_and_an_import_build_the_same_keys(app, make_contact):
    made = make_contact(**{spec.name: sample(spec) for spec in fields.EDITABLE}, tags=["取引先"])
    with write_transaction(app) as session:
        contact = stored(session, Contact, made.id)
        card = Card(**fields.values(contact))
        assert tuple(contact_keys(card, ["取引先"])) == (contact.search_key, contact.sort_key)
