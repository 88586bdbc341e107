"""Undo: deleted contacts and touchpoints wait in the trash for 30 days, restorable whole."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update

from tests.conftest import stored, upload_import
from tracker.db import write_transaction
from tracker.models import CardImage, Contact, Referral, Tag, Touchpoint, TrashEntry, User
from tracker.services import exports


def dump(app, user_id):
    """The account as its backup sees it (ids, links, everything)."""
    with write_transaction(app) as session:
        return exports.backup(session, stored(session, User, user_id))


def test_a_deleted_contact_comes_back_with_everything_attached(
    signed_in, app, user, make_contact, make_touchpoint, make_referral
):
    taro = make_contact(
        family_name="山田",
        tags=["税理士"],
        methods=[{"kind": "email", "value": "t@y.jp", "label": "work"}],
    )
    hanako = make_contact(family_name="鈴木", introduced_by_id=taro.id)
    make_touchpoint([taro], occurred_on=date(2026, 10, 1), summary="一人")
    make_touchpoint([taro, hanako], occurred_on=date(2026, 11, 1), summary="二人")
    make_referral(taro, direction="given")
    make_referral(hanako, direction="received", subject_contact_id=taro.id)
    make_referral(taro, direction="introduction", other_contact_id=hanako.id)
    with write_transaction(app) as session:
        session.add(
            CardImage(contact_id=taro.id, content_type="image/png", data=b"\x89PNG\r\n\x1a\n...")
        )
    before = dump(app, user.id)
    with write_transaction(app) as session:
        derived_before = (
            stored(session, Contact, hanako.id).evidence_stage,
            stored(session, Contact, hanako.id).last_touch_on,
        )

    signed_in.post(f"/contacts/{taro.id}/delete")
    with write_transaction(app) as session:
        assert session.get(Contact, taro.id) is None
        assert stored(session, Contact, hanako.id).introduced_by_id is None
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 1
        assert session.scalar(select(func.count()).select_from(Referral)) == 1
        (entry,) = session.scalars(select(TrashEntry)).all()
    page = signed_in.get("/trash").get_data(as_text=True)
    assert "山田 太郎" in page

    response = signed_in.post(f"/trash/{entry.id}/restore")
    assert response.location == f"/contacts/{taro.id}"
    assert dump(app, user.id) == before
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(TrashEntry)) == 0
        assert session.scalar(select(CardImage).where(CardImage.contact_id == taro.id)) is not None
        restored_hanako = stored(session, Contact, hanako.id)
        assert (restored_hanako.evidence_stage, restored_hanako.last_touch_on) == derived_before
    assert signed_in.post(f"/trash/{entry.id}/restore").status_code == 404


def test_a_deleted_touchpoint_comes_back(signed_in, app, user, make_contact, make_touchpoint):
    taro = make_contact()
    make_touchpoint([taro], occurred_on=date(2026, 9, 1))
    latest = make_touchpoint([taro], occurred_on=date(2026, 11, 1), summary="最新")
    before = dump(app, user.id)
    signed_in.post(f"/touchpoints/{latest.id}/delete")
    with write_transaction(app) as session:
        assert stored(session, Contact, taro.id).last_touch_on == date(2026, 9, 1)
        entry = session.scalars(select(TrashEntry)).one()
    signed_in.post(f"/trash/{entry.id}/restore")
    assert dump(app, user.id) == before
    with write_transaction(app) as session:
        assert stored(session, Contact, taro.id).last_touch_on == date(2026, 11, 1)


def test_an_import_batch_removal_is_undoable_too(signed_in, app, user):

    vcards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:人{n};;;;\r\nEMAIL:p{n}@example.jp\r\nEND:VCARD\r\n"
        for n in range(3)
    )
    draft = upload_import(signed_in, vcards, "x.vcf").location
    signed_in.post(draft + "/confirm", data={"duplicates": "merge"})
    with write_transaction(app) as session:
        tag = session.scalars(select(Tag).where(Tag.imported_at.is_not(None))).one()
    signed_in.post(f"/import/batches/{tag.id}/delete")
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        assert session.scalar(select(func.count()).select_from(TrashEntry)) == 3


def test_restoring_a_touchpoint_needs_one_of_its_people(
    signed_in, app, make_contact, make_touchpoint
):
    taro = make_contact()
    tp = make_touchpoint([taro])
    signed_in.post(f"/touchpoints/{tp.id}/delete")
    signed_in.post(f"/contacts/{taro.id}/delete")
    with write_transaction(app) as session:
        touch_entry = session.scalars(
            select(TrashEntry).where(TrashEntry.kind == "touchpoint")
        ).one()
    page = signed_in.post(f"/trash/{touch_entry.id}/restore", follow_redirects=True).get_data(
        as_text=True
    )
    assert "restore them first" in page


def test_purge_removes_entries_older_than_thirty_days(runner, signed_in, app, make_contact):
    old, new = make_contact(family_name="古"), make_contact(family_name="新")
    signed_in.post(f"/contacts/{old.id}/delete")
    signed_in.post(f"/contacts/{new.id}/delete")
    with write_transaction(app) as session:
        session.execute(
            update(TrashEntry)
            .where(TrashEntry.label.like("古%"))
            .values(deleted_at=datetime.now(UTC) - timedelta(days=31))
        )
    result = runner.invoke(args=["purge-trash"])
    assert result.exit_code == 0 and "Purged 1 trash entries" in result.output
    with write_transaction(app) as session:
        assert [e.label for e in session.scalars(select(TrashEntry))] == ["新 太郎"]


def test_delete_for_good_asks_first(signed_in, app, make_contact):
    person = make_contact()
    signed_in.post(f"/contacts/{person.id}/delete")
    with write_transaction(app) as session:
        entry = session.scalars(select(TrashEntry)).one()
    assert "This cannot be undone." in signed_in.get(f"/trash/{entry.id}/purge").get_data(
        as_text=True
    )
    signed_in.post(f"/trash/{entry.id}/purge")
    with write_transaction(app) as session:
        assert session.scalar(select(func.count()).select_from(TrashEntry)) == 0
