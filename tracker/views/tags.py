"""Tags and the cadence each may carry."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import TagCadenceForm
from tracker.models import Tag, contact_tags
from tracker.services import ServiceError
from tracker.services.contacts import set_tag_cadence
from tracker.web import error_message, today

bp = Blueprint("tags", __name__, url_prefix="/tags")
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List your tags, how many contacts carry each, and their cadence."""
    session = get_session()
    rows = session.execute(
        select(Tag, func.count(contact_tags.c.contact_id))
        .outerjoin(contact_tags, contact_tags.c.tag_id == Tag.id)
        .where(Tag.user_id == auth.user_id())
        .group_by(Tag.id)
        .order_by(Tag.name)
    ).all()
    forms = {
        tag.id: TagCadenceForm(prefix=f"tag{tag.id}", cadence=tag.cadence or "") for tag, _n in rows
    }
    return render_template("tags/index.html", rows=rows, forms=forms)


@bp.route("/<int:tag_id>", methods=["POST"])
def update(tag_id: int) -> Response:
    """Set the cadence of every contact with this tag (shortest tag cadence wins)."""
    session = get_session()
    tag = session.get(Tag, tag_id)
    if tag is None or tag.user_id != auth.user_id():
        abort(404)
    form = TagCadenceForm(prefix=f"tag{tag.id}")
    if form.validate_on_submit():
        session = write_session()
        try:
            set_tag_cadence(session, tag, form.cadence.data or "", today())
        except ServiceError as error:
            session.rollback()
            flash(error_message(error), "error")
        else:
            session.commit()
            flash(_("Cadence of “%(tag)s” saved.", tag=tag.name), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("tags.index"))
