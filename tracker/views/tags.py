"""Tags and the cadence each may carry."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import TagCadenceForm
from tracker.services import ServiceError
from tracker.services.contacts import set_tag_cadence
from tracker.services.tags import get_tag, tags_with_counts
from tracker.web import error_message, today

bp = Blueprint("tags", __name__, url_prefix="/tags")
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List your tags, how many contacts carry each, and their cadence."""
    rows = tags_with_counts(get_session(), auth.user_id())
    forms = {
        tag.id: TagCadenceForm(prefix=f"tag{tag.id}", cadence=tag.cadence or "") for tag, _n in rows
    }
    return render_template("tags/index.html", rows=rows, forms=forms)


@bp.route("/<int:tag_id>", methods=["POST"])
def update(tag_id: int) -> Response:
    """Set the cadence of every contact with this tag (shortest tag cadence wins)."""
    tag = get_tag(get_session(), auth.user_id(), tag_id)
    form = TagCadenceForm(prefix=f"tag{tag.id}")
    if form.validate_on_submit():
        session = write_session()
        try:
            set_tag_cadence(session, auth.user_id(), tag_id, form.cadence.data or "", today())
        except ServiceError as error:
            session.rollback()
            flash(error_message(error), "error")
        else:
            session.commit()
            flash(_("Cadence of “%(tag)s” saved.", tag=tag.name), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("tags.index"))
