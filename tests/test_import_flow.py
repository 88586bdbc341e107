"""The import flow: upload, preview, confirm, summary; duplicates, re-imports, batches,
the malformed corpus, the size limit, and the progress page for long imports."""

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import upload_import
from tracker.db import write_transaction
from tracker.models import CardImage, Contact, ContactMethod, ImportDraft, Tag

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MALFORMED = sorted((FIXTURES / "malformed").iterdir())


def contact_count(app) -> int:
    with write_transaction(app) as session:
        return session.scalars(select(func.count()).select_from(Contact)).one()


def preview_and_import(client, data: bytes, policy: str = "merge"):
    response = upload_import(client, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    draft_url = response.location
    page = client.get(draft_url).get_data(as_text=True)
    confirmed = client.post(draft_url + "/confirm", data={"duplicates": policy})
    assert confirmed.status_code == 302
    return page, client.get(draft_url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("vcard30_android.vcf", "鈴木 一郎"),
        ("vcard21_iphone_qp_sjis.vcf", None),
        ("vcard40_sort_as.vcf", None),
        ("linkedin_connections.csv", None),
        ("google_contacts.csv", None),
        ("google_contacts_legacy.csv", None),
        ("eight.csv", None),
    ],
)
def test_every_format_previews_then_imports(signed_in, app, fixture, expected):
    data = (FIXTURES / fixture).read_bytes()
    preview, summary = preview_and_import(signed_in, data)
    assert "new contacts" in preview
    assert "Import finished" in summary
    count = contact_count(app)
    assert count > 0
    if expected:
        assert expected in preview
    # The same file again creates nobody new.
    preview_again, summary_again = preview_and_import(signed_in, data)
    assert contact_count(app) == count
    assert "likely duplicates" in preview_again
    assert "0 new contacts" in summary_again


def test_imported_fields_arrive_whole(signed_in, app):
    preview_and_import(signed_in, (FIXTURES / "vcard30_android.vcf").read_bytes())
    with write_transaction(app) as session:
        ichiro = session.scalars(select(Contact).where(Contact.family_name == "鈴木")).one()
        assert (ichiro.given_name, ichiro.family_reading, ichiro.given_reading) == (
            "一郎",
            "すずき",
            "いちろう",
        )
        assert (ichiro.company, ichiro.department, ichiro.title) == (
            "株式会社サンプル商事",
            "営業部",
            "部長",
        )
        kinds = sorted(m.kind for m in ichiro.methods)
        assert kinds.count("phone") == 3 and "email" in kinds and "address" in kinds
        assert "相続税に強い" in ichiro.notes
        tags = {t.name for t in ichiro.tags}
        assert "取引先" in tags and any(t.imported_at for t in ichiro.tags)
        assert session.scalars(select(func.count()).select_from(CardImage)).one() >= 1


def test_a_duplicate_of_an_existing_contact_is_merged_not_doubled(signed_in, app, make_contact):
    make_contact(
        family_name="鈴木",
        given_name="一郎",
        company="",
        methods=[{"kind": "email", "value": "Ichiro.Suzuki@example.jp"}],
    )
    preview, _summary = preview_and_import(
        signed_in, (FIXTURES / "vcard30_android.vcf").read_bytes()
    )
    assert "same name and email address: ichiro.suzuki@example.jp" in preview
    with write_transaction(app) as session:
        (ichiro,) = session.scalars(select(Contact).where(Contact.family_name == "鈴木")).all()
        assert ichiro.company == "株式会社サンプル商事"  # an empty field was filled
        assert (
            session.scalars(
                select(func.count())
                .select_from(ContactMethod)
                .where(ContactMethod.contact_id == ichiro.id)
            ).one()
            > 1
        )


@pytest.mark.parametrize("policy", ["skip", "new"])
def test_duplicate_policies(signed_in, app, make_contact, policy):
    make_contact(
        family_name="鈴木",
        given_name="一郎",
        methods=[{"kind": "email", "value": "ichiro.suzuki@example.jp"}],
    )
    preview_and_import(signed_in, (FIXTURES / "vcard30_android.vcf").read_bytes(), policy=policy)
    with write_transaction(app) as session:
        suzukis = session.scalars(
            select(Contact).where(Contact.family_name == "鈴木", Contact.given_name == "一郎")
        ).all()
    assert len(suzukis) == (1 if policy == "skip" else 2)


def test_nothing_is_saved_before_confirming(signed_in, app):
    upload_import(signed_in, (FIXTURES / "eight.csv").read_bytes(), "eight.csv")
    assert contact_count(app) == 0


@pytest.mark.parametrize("path", MALFORMED, ids=[p.name for p in MALFORMED])
def test_the_malformed_corpus_gives_a_clear_answer(signed_in, app, path):
    response = upload_import(signed_in, path.read_bytes(), path.name)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        assert 'class="error"' in page  # a clear message by the file field
        assert "Traceback" not in page
    else:
        page = signed_in.get(response.location).get_data(as_text=True)
        assert "Import preview" in page
    assert contact_count(app) == 0


def test_a_file_over_the_limit_is_refused_kindly(signed_in, app):
    app.config["IMPORT_MAX_BYTES"] = 1000
    response = upload_import(signed_in, b"BEGIN:VCARD\r\n" + b"x" * 2000)
    assert response.status_code == 200
    assert "larger than" in response.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 500
    response = upload_import(signed_in, b"x" * 2000)
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def vcard(n: int) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:試験{n};太郎;;;\r\nFN:試験{n} 太郎\r\n"
        f"ORG:会社{n}\r\nEMAIL:t{n}@example.jp\r\nEND:VCARD\r\n"
    )


def test_a_long_import_runs_with_a_progress_page_all_or_nothing(signed_in, app):
    data = "".join(vcard(n) for n in range(400)).encode()
    response = upload_import(signed_in, data)
    draft_url = response.location
    confirmed = signed_in.post(draft_url + "/confirm", data={"duplicates": "merge"})
    assert confirmed.location == draft_url
    deadline = time.monotonic() + 30
    while True:
        page = signed_in.get(draft_url).get_data(as_text=True)
        if "Import finished" in page:
            break
        assert "Importing…" in page and 'http-equiv="refresh"' in page
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert contact_count(app) == 400
    assert "400 new contacts" in page


def test_an_import_batch_can_be_removed_together(signed_in, app, make_contact):
    keep = make_contact(family_name="残る")
    preview_and_import(signed_in, "".join(vcard(n) for n in range(5)).encode())
    with write_transaction(app) as session:
        tag = session.scalars(select(Tag).where(Tag.imported_at.is_not(None))).one()
    page = signed_in.get(f"/import/batches/{tag.id}/delete").get_data(as_text=True)
    assert "Delete 5 contacts" in page
    signed_in.post(f"/import/batches/{tag.id}/delete")
    with write_transaction(app) as session:
        assert [c.id for c in session.scalars(select(Contact))] == [keep.id]


def test_another_users_draft_is_a_404(client, app, make_user):
    from tests.conftest import log_in

    owner, stranger = make_user(), make_user()
    log_in(client, owner)
    draft_url = upload_import(client, vcard(1).encode()).location
    log_in(client, stranger)
    assert client.get(draft_url).status_code == 404
    assert client.post(draft_url + "/confirm", data={"duplicates": "merge"}).status_code == 404
    with write_transaction(app) as session:
        assert session.scalars(select(ImportDraft)).one().status == "previewed"
