"""Referrals: the ledger with its filters, and the form."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from tracker import auth
from tracker.db import get_session, write_session
from tracker.forms import ReferralForm
from tracker.i18n import log_detail
from tracker.services import N_
from tracker.services.contacts import find_contact
from tracker.services.referrals import (
    LedgerFilter,
    ReferralData,
    create_referral,
    delete_referral,
    get_referral,
    ledger,
    update_referral,
    years,
)
from tracker.services.review import one_way_relationships
from tracker.views.helpers import contact_choices, delete_confirmed, safe_next
from tracker.views.once import give_token, save_once
from tracker.vocabulary import REFERRAL_DIRECTIONS, REFERRAL_STATUSES
from tracker.web import db_int, page_number, today

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
auth.require_login(bp)


@bp.route("")
def index() -> str:
    """List referrals, newest first: filter by direction, status, contact and year."""
    args = request.args
    wanted = LedgerFilter(
        direction=args.get("direction", "") if args.get("direction") in REFERRAL_DIRECTIONS else "",
        status=args.get("status", "") if args.get("status") in REFERRAL_STATUSES else "",
        contact_id=args.get("contact", None, type=db_int),
        year=args.get("year", None, type=year_number),
    )
    session = get_session()
    page = ledger(
        session,
        auth.user_id(),
        wanted,
        page=args.get("page", 1, type=page_number) or 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    filtered_contact = find_contact(session, auth.user_id(), wanted.contact_id)
    return render_template(
        "referrals/index.html",
        page=page,
        wanted=wanted,
        years=years(session, auth.user_id()),
        filtered_contact=filtered_contact,
        one_way=one_way_relationships(session, auth.user_id(), today()),
    )


def year_number(value: str) -> int:
    """A year to filter by: 1900 to 2200."""
    year = int(value)
    if not 1900 <= year <= 2200:
        raise ValueError("out of range")
    return year


def _picked(value: int | None) -> list[int]:
    return [value] if value else []


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:referral_id>/edit", methods=["GET", "POST"])
def edit(referral_id: int | None = None) -> str | Response:
    """Record a referral given, received, or an introduction; or edit one."""
    session = get_session()
    referral = None if referral_id is None else get_referral(session, auth.user_id(), referral_id)
    form = ReferralForm()
    if form.fresh and referral is not None:
        form.referred_on.data = referral.referred_on
        form.direction.data = referral.direction
        form.contact.data = referral.contact_id
        form.other_contact.data = referral.other_contact_id
        form.subject.data = referral.subject
        form.subject_contact.data = referral.subject_contact_id
        form.status.data = referral.status
        form.notes.data = referral.notes
    elif form.fresh:
        form.referred_on.data = today()
        form.contact.data = request.args.get("contact", None, type=db_int)
        if request.args.get("direction") in REFERRAL_DIRECTIONS:
            form.direction.data = request.args["direction"]
    nobody = SelectChoice("", _("Nobody"))
    pickers = [
        (form.contact, form.contact_query, form.find_contact),
        (form.other_contact, form.other_query, form.find_other),
        (form.subject_contact, form.subject_query, form.find_subject),
    ]
    for field, query_field, find in pickers:
        query = (query_field.data or "") if find.data else ""
        field.choices = [nobody, *contact_choices(_picked(field.data), query)]
    give_token(form)
    if not form.finding and form.validate_on_submit():
        data = ReferralData(
            referred_on=form.referred_on.data or today(),
            direction=form.direction.data or "given",
            contact_id=form.contact.data,
            other_contact_id=form.other_contact.data,
            subject=form.subject.data or "",
            subject_contact_id=form.subject_contact.data,
            status=form.status.data or "introduced",
            notes=form.notes.data or "",
        )
        done = save_once(
            form,
            referral,
            create=lambda db, user: create_referral(db, user, data, today()),
            update=lambda db, user, row_id: update_referral(db, user, row_id, data, today()),
            target=lambda row: safe_next(url_for("referrals.index")),
            messages=(_("Referral saved."), _("Referral saved.")),
            fallback=url_for("referrals.index"),
        )
        if done is not None:
            return done
    return render_template("referrals/form.html", form=form, referral=referral)


@bp.route("/<int:referral_id>/delete", methods=["GET", "POST"])
def delete(referral_id: int) -> str | Response:
    """Delete a referral, after confirmation."""
    referral = get_referral(get_session(), auth.user_id(), referral_id)
    what = log_detail(
        N_("referral %(direction)s %(date)s %(name)s"),
        direction=referral.direction,
        date=referral.referred_on.isoformat(),
        name=referral.contact.name,
    )
    return delete_confirmed(
        lambda: delete_referral(write_session(), auth.user_id(), referral_id, today()),
        what,
        _("Referral deleted."),
        safe_next(url_for("referrals.index")),
        "referrals/delete.html",
        referral=referral,
    )
