"""Nobody is folded into somebody else: a shared email or number alone is never a match,
within one file or against the contacts you have; one merge serves imports and the
duplicates page, goes to the trash and the security log, and can be undone."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import stored, upload_import
from tracker.db import write_transaction
from tracker.i18n import format_log_detail
from tracker.models import Contact, ContactMethod, SecurityEvent, Touchpoint, TrashEntry, User
from tracker.services.matching import keys_for, match
from tracker.services.merging import changes

CASES = Path(__file__).resolve().parent / "fixtures" / "import" / "cases"


class _Person:
    def __init__(self, family="", given="", family_reading="", given_reading="", company=""):
        self.family_name, self.given_name = family, given
        self.family_reading, self.given_reading = family_reading, given_reading
        self.company = company


def _keys(*methods: tuple[str, str], **names: str):
    return keys_for(_Person(**names), list(methods))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"family": "山田", "given": "太郎"}, {"family": "山田", "given": "太郎"}),
        # Width, script and spacing do not matter.
        ({"family": "ﾔﾏﾀﾞ", "given": "ﾀﾛｳ"}, {"family": "やまだ", "given": "たろう"}),
        # The same reading, or a Latin name that is the romaji of the reading.
        (
            {
                "family": "山田",
                "given": "太郎",
                "family_reading": "やまだ",
                "given_reading": "たろう",
            },
            {"family": "Yamada", "given": "Taro"},
        ),
        (
            {
                "family": "山田",
                "given": "太郎",
                "family_reading": "ヤマダ",
                "given_reading": "タロウ",
            },
            {
                "family": "山田",
                "given": "太朗",
                "family_reading": "やまだ",
                "given_reading": "たろう",
            },
        ),
        ({"family": "Smith", "given": "Jane"}, {"family": "Jane", "given": "Smith"}),
    ],
)
def test_names_agree_after_folding_script_width_reading_or_romaji(first, second):
    found = match(
        _keys(("email", "a@example.jp"), **first), _keys(("email", "A@example.jp"), **second)
    )
    assert found is not None and found.reason == "name_email" and found.shared == "a@example.jp"


@pytest.mark.parametrize("detail", [("email", "admin@example.jp"), ("phone", "03-0000-1111")])
def test_a_shared_email_or_number_alone_is_never_a_match(detail):
    assert (
        match(_keys(detail, family="田中", given="明"), _keys(detail, family="森", given="健"))
        is None
    )
    # Unless one side has no name: then the shared detail is all there is to go on.
    nameless = match(_keys(detail), _keys(detail, family="森", given="健"))
    assert nameless is not None and nameless.reason.startswith("no_name_")


def test_same_name_at_two_companies_is_two_people():
    one = _keys(family="佐藤", given="花子", company="A社")
    other = _keys(family="佐藤", given="花子", company="B社")
    assert match(one, other) is None
    found = match(one, _keys(family="佐藤", given="花子", company="Ａ社"))
    assert found is not None and found.reason == "name_company"


def test_within_one_file_only_the_same_person_is_folded(app, user, runner):
    result = runner.invoke(
        args=["import", str(CASES / "shared_details.vcf"), "--user", user.email, "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    # 7 records: the two Tanaka Aki (same name and mailbox) are one; admin@ shared by two
    # people, a company's main number, a family landline: all kept apart.
    assert "6 new, 0 likely duplicates, 1 folded together in the file, 0 skipped." in result.stdout
    assert "folded: record 7 into record 1 (name_email: admin@example.jp)" in result.stderr


def test_a_later_import_never_moves_one_persons_details_into_anothers(
    app, user, runner, make_contact
):
    kondo = make_contact(
        family_name="近藤",
        given_name="五郎",
        company="株式会社エイト商事",
        methods=[
            {"kind": "phone", "value": "03-0000-1111"},
            {"kind": "email", "value": "goro@example.jp"},
        ],
    )
    result = runner.invoke(args=["import", str(CASES / "shared_details.vcf"), "--user", user.email])
    assert result.exit_code == 0, result.output
    with write_transaction(app) as session:
        values = set(
            session.scalars(select(ContactMethod.value).where(ContactMethod.contact_id == kondo.id))
        )
        assert values == {"03-0000-1111", "goro@example.jp"}  # 佐藤花子's mobile stayed hers
        sato = session.scalars(select(Contact).where(Contact.family_name == "佐藤")).one()
        assert {m.value for m in sato.methods} == {
            "03-0000-1111",
            "090-0000-3333",
            "hanako@example.jp",
        }
        assert session.scalar(select(func.count()).select_from(Contact)) == 6


def test_eight_card_exchanges_start_the_follow_up_clock(app, user, runner):
    result = runner.invoke(args=["import", str(CASES / "eight_shimei.csv"), "--user", user.email])
    assert result.exit_code == 0, result.output
    with write_transaction(app) as session:
        kondo = session.scalars(select(Contact).where(Contact.family_name == "近藤")).one()
        assert kondo.first_met_on == date(2022, 5, 26)
        assert kondo.last_touch_on == date(2022, 5, 26)  # the derived fields know of it
        (touch,) = session.scalars(select(Touchpoint).where(Touchpoint.contacts.contains(kondo)))
        assert (touch.kind, touch.occurred_on, touch.summary) == (
            "card_exchange",
            date(2022, 5, 26),
            "Eight",
        )
        assert kondo.company_reading == "えいとしょうじ"
        assert session.scalar(select(func.count()).select_from(Touchpoint)) == 2


def test_the_cli_imports_the_good_records_and_names_the_rest(app, user, runner):
    path = CASES / "linkedin_2024_hidden.csv"
    result = runner.invoke(args=["import", str(path), "--user", user.email])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("a LinkedIn member who hides their profile") == 2
    assert "3 new, 0 likely duplicates, 0 folded together in the file, 2 skipped." in result.stdout
    strict = runner.invoke(args=["import", str(path), "--user", user.email, "--strict"])
    assert strict.exit_code == 1 and "nothing was written (--strict)" in strict.output


def test_the_preview_lists_skips_why_pairs_matched_and_what_is_not_kept(signed_in, make_contact):
    make_contact(
        family_name="Tanaka",
        given_name="Aki",
        company="",
        methods=[{"kind": "email", "value": "admin@example.jp"}],
    )
    for name in ("everything_kept.vcf", "linkedin_2024_hidden.csv", "shared_details.vcf"):
        response = upload_import(signed_in, (CASES / name).read_bytes(), name)
        page = signed_in.get(response.location).get_data(as_text=True)
        if name == "everything_kept.vcf":
            assert "Not kept" in page and "<code>GEO</code> (1)" in page
        elif name == "linkedin_2024_hidden.csv":
            assert "Skipped records" in page and "(line 6)" in page and "(line 9)" in page
            assert "<strong>2</strong> × a LinkedIn member who hides their profile" in page
        else:
            assert "same name and email address: admin@example.jp" in page


def test_one_merge_rule_serves_cards_and_contacts(make_contact, app):
    from tracker.importers import Card, Method

    first = Card(family_name="山田", notes="first", methods=[Method("email", "a@x.jp")], tags=["a"])
    second = Card(
        family_name="山田",
        given_name="太郎",
        notes="second",
        first_met_on=date(2020, 1, 1),
        methods=[Method("email", "a@x.jp"), Method("phone", "090")],
        tags=["a", "b"],
    )
    found = changes(first, second, into_tags=first.tags, source_tags=second.tags)
    assert found.fields == {
        "given_name": "太郎",
        "notes": "first\nsecond",
        "first_met_on": date(2020, 1, 1),
    }
    assert (found.methods, found.tags) == ([("phone", "090", "")], ["b"])


def test_a_merge_goes_to_the_trash_and_the_log_and_can_be_undone(
    signed_in, app, user, make_contact, make_touchpoint
):
    keep = make_contact(
        family_name="山田",
        given_name="太郎",
        company="",
        methods=[{"kind": "email", "value": "t@y.jp"}],
    )
    drop = make_contact(
        family_name="山田",
        given_name="太郎",
        company="山田事務所",
        methods=[{"kind": "email", "value": "t@y.jp"}, {"kind": "phone", "value": "090-0000-0000"}],
        tags=["乙"],
    )
    make_touchpoint([drop], occurred_on=date(2026, 2, 1))
    signed_in.post(f"/contacts/merge?keep={keep.id}&drop={drop.id}")
    with write_transaction(app) as session:
        assert session.get(Contact, drop.id) is None
        entry = session.scalars(select(TrashEntry)).one()
        assert (entry.kind, entry.object_id) == ("merge", drop.id)
        event = session.scalars(select(SecurityEvent).where(SecurityEvent.kind == "merge")).one()
        with app.test_request_context():
            assert format_log_detail(event.detail) == "山田 太郎 merged into 山田 太郎"
        assert event.ip == "127.0.0.1"
        kept = stored(session, Contact, keep.id)
        assert kept.company == "山田事務所" and len(kept.methods) == 2
        entry_id = entry.id
    assert "Undo merge" in signed_in.get("/trash").get_data(as_text=True)
    signed_in.post(f"/trash/{entry_id}/restore")
    with write_transaction(app) as session:
        kept = stored(session, Contact, keep.id)
        back = stored(session, Contact, drop.id)
        assert back is not None and back.company == "山田事務所"
        assert (kept.company, [m.value for m in kept.methods], [t.name for t in kept.tags]) == (
            "",
            ["t@y.jp"],
            [],
        )
        assert sorted(m.value for m in back.methods) == ["090-0000-0000", "t@y.jp"]
        (touch,) = session.scalars(select(Touchpoint))
        assert [c.id for c in touch.contacts] == [drop.id]
        assert kept.last_touch_on is None and back.last_touch_on == date(2026, 2, 1)


def test_an_imports_merge_is_undone_from_the_trash_and_a_batch_delete_spares_it(
    signed_in, app, make_contact
):
    from tests.test_import_flow import FIXTURES, preview_and_import

    suzuki = make_contact(
        family_name="鈴木",
        given_name="一郎",
        company="",
        methods=[{"kind": "email", "value": "ichiro.suzuki@example.jp"}],
    )
    preview_and_import(signed_in, (FIXTURES / "vcard30_android.vcf").read_bytes())
    with write_transaction(app) as session:
        merged = stored(session, Contact, suzuki.id)
        assert merged.company == "株式会社サンプル商事" and len(merged.methods) > 1
        entry = session.scalars(select(TrashEntry).where(TrashEntry.kind == "import_merge")).one()
        assert entry.object_id == suzuki.id
        tag_id = next(tag.id for tag in merged.tags if tag.imported_at)
        created = session.scalars(select(func.count()).select_from(Contact)).one() - 1
        entry_id = entry.id
    # Deleting the batch removes what the import created, never a contact you had.
    page = signed_in.get(f"/import/batches/{tag_id}/delete").get_data(as_text=True)
    assert f"Delete {created} contact" in page
    signed_in.post(f"/import/batches/{tag_id}/delete")
    signed_in.post(f"/trash/{entry_id}/restore")
    with write_transaction(app) as session:
        back = stored(session, Contact, suzuki.id)
        assert back.company == "" and [m.value for m in back.methods] == [
            "ichiro.suzuki@example.jp"
        ]
        assert back.tags == []


def test_the_preview_groups_skips_whose_reason_has_values(signed_in):
    from tracker.importers.values import MAX_FIELD

    long_note = "x" * (MAX_FIELD + 1)
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:長い{n}\r\nN:長い{n};;;;\r\nNOTE:{long_note}\r\nEND:VCARD\r\n"
        for n in range(2)
    )
    cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田\r\nN:山田;;;;\r\nEND:VCARD\r\n"
    response = upload_import(signed_in, cards, "long.vcf")
    page = signed_in.get(response.location)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert (
        f"<strong>2</strong> × field too long: notes has more than {MAX_FIELD} characters" in text
    )


def test_the_preview_words_what_a_merge_would_add_in_the_users_language(
    app, signed_in, user, make_contact
):
    make_contact(
        family_name="山田", given_name="太郎", methods=[{"kind": "email", "value": "t@y.jp"}]
    )
    with write_transaction(app) as session:
        stored(session, User, user.id).language = "ja"
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田 太郎\r\nN:山田;太郎;;;\r\nORG:山田事務所\r\n"
        "EMAIL:t@y.jp\r\nTEL;TYPE=CELL:090-1234-5678\r\nCATEGORIES:税理士\r\nEND:VCARD\r\n"
    )
    response = upload_import(signed_in, card, "one.vcf")
    page = signed_in.get(response.location).get_data(as_text=True)
    added = page.split("追加されるもの:")[1].split("</span>")[0]
    assert "会社名" in added and "電話: 090-1234-5678" in added and "税理士" in added
    assert "company" not in added and "phone" not in added and "tag" not in added
