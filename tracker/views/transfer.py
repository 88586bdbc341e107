"""Bringing contacts in (import with preview) and taking them out (exports and backup)."""

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
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

from tracker import auth, jobs
from tracker.db import get_session, read_transaction, write_session
from tracker.forms import ConfirmForm, ExportForm, ImportConfirmForm, ImportForm, clean
from tracker.i18n import format_day, log_detail
from tracker.importers import Card, ImportFormatError, Problem
from tracker.services import N_, ServiceError, exports, import_jobs
from tracker.services.imports import Plan, plan
from tracker.services.security import record
from tracker.text import display_name
from tracker.views.helpers import ask_identity, identity_confirmed
from tracker.web import error_message, today

bp = Blueprint("transfer", __name__)
auth.require_login(bp)

PREVIEW_ROWS = 100
SYNC_LIMIT = 300  # more cards than this import on a thread, with a progress page


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
        # Grouped by the whole reason (its message and values), which is what a reader sees.
        "skipped_by_reason": [
            {"message": message, "params": json.loads(params), "count": count}
            for (message, params), count in sorted(
                Counter(
                    (p.message, json.dumps(p.params, sort_keys=True, ensure_ascii=False))
                    for p in found.skipped
                ).items()
            )
        ],
        "warnings": [_problem(p) for p in found.result.warnings[:PREVIEW_ROWS]],
    }


def _card_line(card: Card) -> dict[str, Any]:
    return {
        "record": card.record,
        "name": display_name(card.family_name, card.given_name),
        "company": card.company,
        "methods": len(card.methods),
    }


def _own_draft(draft_id: int) -> import_jobs.ImportDraft:
    draft = import_jobs.owned_draft(get_session(), auth.user_id(), draft_id)
    if draft is None:
        abort(404)
    return draft


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _running() -> import_jobs.ImportDraft | None:
    """The account's running import, to point to it."""
    now = datetime.now(UTC)
    return import_jobs.running_import(get_session(), auth.user_id(), now, jobs.stale_after(_app()))


def _end_request_transaction() -> None:
    """End the request's transaction before long work, so that it holds no lock meanwhile."""
    get_session().commit()


@bp.route("/import", methods=["GET", "POST"])
def upload() -> ResponseReturnValue:
    """Upload a vCard or CSV file (LinkedIn, Google Contacts, Eight) to preview it."""
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        limit = current_app.config["IMPORT_MAX_BYTES"]
        if len(data) > limit:
            form.file.errors = [_("The file is larger than %(size)d MB.", size=limit // 1_000_000)]
        else:
            _end_request_transaction()
            try:
                # Reading and matching a large file is long: it reads in a snapshot.
                with read_transaction() as reader:
                    found = plan(reader, auth.user_id(), data)
            except ImportFormatError as error:
                form.file.errors = [error_message(error)]
            else:
                # Parsed, checked and compared with the contacts before the write lock.
                writer = write_session()
                draft = import_jobs.create_draft(
                    writer,
                    auth.user_id(),
                    clean(form.file.data.filename or "")[:200],
                    data,
                    _preview(found),
                )
                writer.commit()
                return redirect(url_for("transfer.draft", draft_id=draft.id))
    batches = import_jobs.batches(get_session(), auth.user_id())
    return render_template("transfer/import.html", form=form, batches=batches, running=_running())


@bp.route("/import/<int:draft_id>")
def draft(draft_id: int) -> ResponseReturnValue:
    """Show an upload's preview, the progress of its import, or its summary."""
    found = _own_draft(draft_id)
    data = json.loads(found.summary or "{}")
    if found.status == "previewed":
        return render_template(
            "transfer/preview.html",
            draft=found,
            preview=data,
            form=ImportConfirmForm(),
            running=_running(),
        )
    now = datetime.now(UTC)
    interrupted = import_jobs.is_interrupted(found, now, jobs.stale_after(_app()))
    if found.status == "running" and not interrupted:
        progress = import_jobs.progress_of(found)
        return render_template("transfer/progress.html", draft=found, progress=progress)
    return render_template(
        "transfer/summary.html", draft=found, summary=data, interrupted=interrupted
    )


@bp.route("/import/<int:draft_id>/confirm", methods=["POST"])
def confirm(draft_id: int) -> ResponseReturnValue:
    """Import a previewed upload, all or nothing (one import at a time per account)."""
    found = _own_draft(draft_id)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    app, user_id, now = _app(), auth.user_id(), datetime.now(UTC)
    policy = form.duplicates.data or "merge"
    session = write_session()  # the claim reads the draft again under the lock
    try:
        token = import_jobs.claim(session, user_id, draft_id, policy, now, jobs.stale_after(app))
    except import_jobs.ImportBusy as busy:
        session.rollback()
        flash(error_message(busy), "error")
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    if token is None:  # done, or running already
        session.rollback()
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    size, filename = found.total_count, found.filename
    batch_name = _("import %(date)s #%(number)d", date=format_day(today()), number=draft_id)
    if size > SYNC_LIMIT:  # long: on a thread, logged as it starts
        detail = log_detail(N_("%(count)d records, on a thread"), count=size)
        record(session, user_id, "import", detail, auth.client_ip())
        _end_request_transaction()
        jobs.start(app, draft_id, token, batch_name, today())
        return redirect(url_for("transfer.draft", draft_id=draft_id))
    _end_request_transaction()
    summary = jobs.run(app, draft_id, token, batch_name, today())
    if summary is not None:  # short: logged with what it did
        detail = log_detail(
            N_("%(file)s: %(created)d new, %(merged)d merged, %(skipped)d skipped"),
            file=filename,
            created=summary.created,
            merged=summary.merged,
            skipped=summary.skipped,
        )
    else:  # it failed, and removed what it had saved
        detail = log_detail(N_("%(file)s: failed, nothing imported"), file=filename)
    record(write_session(), user_id, "import", detail, auth.client_ip())
    _end_request_transaction()
    return redirect(url_for("transfer.draft", draft_id=draft_id))


@bp.route("/import/batches/<int:tag_id>/delete", methods=["GET", "POST"])
def delete_batch(tag_id: int) -> ResponseReturnValue:
    """Delete every contact an import brought in, after confirmation."""
    session = get_session()
    found = import_jobs.owned_batch(session, auth.user_id(), tag_id)
    if found is None:
        abort(404)
    tag, ids = found
    form = ConfirmForm()
    if form.validate_on_submit():
        session = write_session()
        try:
            name, deleted = import_jobs.delete_batch(session, auth.user_id(), tag_id, today())
        except ServiceError:
            session.rollback()
            abort(404)
        record(
            session,
            auth.user_id(),
            "deletion",
            log_detail(N_("%(count)d contacts of %(batch)s"), count=deleted, batch=name),
            auth.client_ip(),
        )
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
        user_id, fmt = auth.user_id(), str(form.format.data)
        detail = log_detail(N_("export %(format)s"), format=fmt)
        record(write_session(), user_id, "export", detail, auth.client_ip())
        _end_request_transaction()
        # A large account takes seconds to export: it reads in a snapshot of its own.
        with read_transaction() as reader:
            download = exports.export(reader, user_id, fmt, today().isoformat())
        response = Response(download.body, mimetype=download.mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        return response
    return render_template("transfer/export.html", form=form)
