"""Bringing contacts in (import with preview) and taking them out (exports and backup)."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from tracker import auth, jobs
from tracker.db import get_session, write_session
from tracker.exporters.vcard import Version
from tracker.forms import ConfirmForm, ExportForm, ImportConfirmForm, ImportForm, clean
from tracker.i18n import format_day, log_detail
from tracker.importers import Card, ImportFormatError, Problem
from tracker.models import Contact, ImportDraft, Tag, contact_tags
from tracker.services import N_, exports
from tracker.services.contacts import delete_contacts
from tracker.services.imports import Plan, apply, plan
from tracker.services.security import record
from tracker.text import display_name
from tracker.views.helpers import ask_identity, identity_confirmed
from tracker.web import error_message, today

bp = Blueprint("transfer", __name__)
auth.require_login(bp)

PREVIEW_ROWS = 100
SYNC_LIMIT = 300  # more cards than this import on a thread, with a progress page
DRAFT_LIFETIME = timedelta(days=1)


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "record": problem.record,
        "line": problem.line,
        "message": problem.message,
        "params": problem.params,
    }


def _preview(found: Plan) -> dict[str, Any]:
    """What the preview page shows, kept with the draft so it is not parsed again."""
    return {
        "format": found.result.format,
        "encoding": found.result.encoding,
        "new_count": len(found.new),
        "duplicate_count": len(found.duplicates),
        "merged_in_file": found.merged_in_file,
        "folded": [
            {
                "record": folded.record,
                "line": folded.line,
                "into_record": folded.into_record,
                "name": folded.name,
                "reason": folded.reason,
                "shared": folded.shared,
            }
            for folded in found.folded[:PREVIEW_ROWS]
        ],
        "not_kept": sorted(found.result.not_kept.items()),
        "new": [_card_line(card) for card in found.new[:PREVIEW_ROWS]],
        "duplicates": [
            {
                "card": _card_line(dup.card),
                "contact_id": dup.contact_id,
                "contact_name": dup.contact_name,
                "reason": dup.reason,
                "shared": dup.shared,
                "additions": dup.additions[:8],
            }
            for dup in found.duplicates[:PREVIEW_ROWS]
        ],
        "errors": [_problem(p) for p in found.skipped[:PREVIEW_ROWS]],
        "error_count": len(found.skipped),
        "skipped_by_reason": sorted(Counter(p.message for p in found.skipped).items()),
        "warnings": [_problem(p) for p in found.result.warnings[:PREVIEW_ROWS]],
    }


def _card_line(card: Card) -> dict[str, Any]:
    return {
        "record": card.record,
        "name": display_name(card.family_name, card.given_name),
        "company": card.company,
        "methods": len(card.methods),
    }


def _own_draft(draft_id: int) -> ImportDraft:
    draft = get_session().get(ImportDraft, draft_id)
    if draft is None or draft.user_id != auth.user_id():
        abort(404)
    return draft


def _batches() -> list[tuple[Tag, int]]:
    rows = get_session().execute(
        select(Tag, func.count(contact_tags.c.contact_id))
        .outerjoin(contact_tags, contact_tags.c.tag_id == Tag.id)
        .where(Tag.user_id == auth.user_id(), Tag.imported_at.is_not(None))
        .group_by(Tag.id)
        .order_by(Tag.imported_at.desc())
    )
    return [(tag, count) for tag, count in rows]


@bp.route("/import", methods=["GET", "POST"])
def upload() -> ResponseReturnValue:
    """Upload a vCard or CSV file (LinkedIn, Google Contacts, Eight) to preview it."""
    session = get_session()
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        limit = current_app.config["IMPORT_MAX_BYTES"]
        if len(data) > limit:
            form.file.errors = [_("The file is larger than %(size)d MB.", size=limit // 1_000_000)]
        else:
            try:
                found = plan(session, auth.user_id(), data)
            except ImportFormatError as error:
                form.file.errors = [error_message(error)]
            else:
                # Parsed, checked and compared with the contacts before the write lock.
                session = write_session()
                session.execute(
                    delete(ImportDraft).where(
                        ImportDraft.user_id == auth.user_id(),
                        ImportDraft.created_at < datetime.now(UTC) - DRAFT_LIFETIME,
                    )
                )
                draft = ImportDraft(
                    user_id=auth.user_id(),
                    filename=clean(form.file.data.filename or "")[:200],
                    data=data,
                    summary=json.dumps(_preview(found), ensure_ascii=False),
                )
                session.add(draft)
                session.commit()
                return redirect(url_for("transfer.draft", draft_id=draft.id))
    return render_template("transfer/import.html", form=form, batches=_batches())


@bp.route("/import/<int:draft_id>")
def draft(draft_id: int) -> ResponseReturnValue:
    """Show an upload's preview, the progress of its import, or its summary."""
    found = _own_draft(draft_id)
    data = json.loads(found.summary or "{}")
    if found.status == "previewed":
        return render_template(
            "transfer/preview.html", draft=found, preview=data, form=ImportConfirmForm()
        )
    if found.status == "running" and not jobs.interrupted(found):
        progress = jobs.progress_of(found.id)
        return render_template("transfer/progress.html", draft=found, progress=progress)
    return render_template(
        "transfer/summary.html", draft=found, summary=data, interrupted=found.status == "running"
    )


@bp.route("/import/<int:draft_id>/confirm", methods=["POST"])
def confirm(draft_id: int) -> ResponseReturnValue:
    """Import a previewed upload, all or nothing."""
    found = _own_draft(draft_id)
    form = ImportConfirmForm()
    if found.status not in ("previewed", "failed", "running") or not form.validate_on_submit():
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    if found.status == "running" and not jobs.interrupted(found):
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    session = write_session()
    # Read again under the lock: another tab may have started this import meanwhile.
    if found.status not in ("previewed", "failed", "running") or (
        found.status == "running" and not jobs.interrupted(found)
    ):
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    preview = json.loads(found.summary or "{}")
    policy = form.duplicates.data or "merge"
    batch_name = _("import %(date)s #%(number)d", date=format_day(today()), number=found.id)
    size = preview.get("new_count", 0) + preview.get("duplicate_count", 0)
    if size > SYNC_LIMIT:
        detail = log_detail(N_("%(count)d records, on a thread"), count=size)
        record(session, auth.user_id(), "import", detail, auth.client_ip())
        found.status = "running"
        session.commit()
        jobs.start(current_app._get_current_object(), found.id, policy, batch_name, today())  # type: ignore[attr-defined]
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    summary = apply(
        session,
        auth.user_id(),
        plan(session, auth.user_id(), found.data),
        policy=policy,
        batch_name=batch_name,
        today=today(),
    )
    found.status, found.tag_id, found.data = "done", summary.tag_id, b""
    found.summary = json.dumps(summary.as_dict())
    record(
        session,
        auth.user_id(),
        "import",
        log_detail(
            N_("%(file)s: %(created)d new, %(merged)d merged, %(skipped)d skipped"),
            file=found.filename,
            created=summary.created,
            merged=summary.merged,
            skipped=summary.skipped,
        ),
        auth.client_ip(),
    )
    session.commit()
    return redirect(url_for("transfer.draft", draft_id=draft_id))


@bp.route("/import/batches/<int:tag_id>/delete", methods=["GET", "POST"])
def delete_batch(tag_id: int) -> ResponseReturnValue:
    """Delete every contact an import brought in, after confirmation."""
    session = get_session()
    tag = session.get(Tag, tag_id)
    if tag is None or tag.user_id != auth.user_id() or tag.imported_at is None:
        abort(404)
    # Only the contacts the import created: a contact it merged into was yours before, and
    # its merge is undone from the trash instead.
    created = (
        select(contact_tags.c.contact_id)
        .join(Contact, Contact.id == contact_tags.c.contact_id)
        .where(contact_tags.c.tag_id == tag.id, Contact.created_at >= tag.imported_at)
    )
    ids = list(session.scalars(created))
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        ids = list(session.scalars(created))
        deleted = delete_contacts(session, auth.user_id(), ids, today())
        name = tag.name
        record(
            session,
            auth.user_id(),
            "deletion",
            log_detail(N_("%(count)d contacts of %(batch)s"), count=deleted, batch=name),
            auth.client_ip(),
        )
        session.delete(tag)
        record(
            session,
            auth.user_id(),
            "deletion",
            log_detail(N_("tag %(name)s"), name=name),
            auth.client_ip(),
        )
        session.commit()
        flash(
            _("%(count)d contacts of the import were moved to the trash.", count=deleted), "success"
        )
        return redirect(url_for("transfer.upload"))
    return render_template("transfer/delete_batch.html", tag=tag, count=len(ids), form=form)


@bp.route("/export", methods=["GET", "POST"])
def export() -> ResponseReturnValue:
    """Download your contacts as vCard or CSV, or the whole account as a JSON backup, after
    your password (or a code)."""
    form = ask_identity(ExportForm())
    if form.validate_on_submit() and identity_confirmed(
        form, log_detail(N_("export %(format)s"), format=form.format.data)
    ):
        user_id = auth.user_id()
        record(get_session(), user_id, "export", str(form.format.data), auth.client_ip())
        get_session().commit()
        # The export itself is read outside the write lock.
        session = get_session()
        stamp = today().isoformat()
        if form.format.data in ("vcf", "vcf3"):
            version: Version = "3.0" if form.format.data == "vcf3" else "4.0"
            body, mimetype, name = (
                exports.vcards(session, user_id, version),
                "text/vcard",
                f"jinmyaku-{stamp}.vcf",
            )
        elif form.format.data == "csv":
            body, mimetype, name = (
                exports.csv_text(session, user_id),
                "text/csv",
                f"jinmyaku-{stamp}.csv",
            )
        else:
            body, mimetype, name = (
                exports.backup_json(session, auth.user()),
                "application/json",
                f"jinmyaku-backup-{stamp}.json",
            )
        response = Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render_template("transfer/export.html", form=form)
