"""The quick card exchange, used standing at an event."""

from contextlib import suppress

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import auth
from tracker.dates import parse_date
from tracker.db import get_session
from tracker.fields import ON_CARD
from tracker.forms import CardForm, field_values
from tracker.services import ServiceError
from tracker.services.cards import CardData, log_card_exchange
from tracker.views.helpers import event_choices
from tracker.web import db_int, error_message, today

bp = Blueprint("cards", __name__, url_prefix="/cards")
auth.require_login(bp)


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    """Log a business-card exchange: the contact, where and when, and what was said."""
    session = get_session()
    form = CardForm()
    if request.method == "GET":
        form.event.data = request.args.get("event", None, type=db_int)
        form.met_on.data = today()
        with suppress(ValueError):  # no date, or not one: today
            form.met_on.data = parse_date(request.args.get("date", ""), today=today())
    form.event.choices = event_choices(session, form.event.data, _("No event"))
    if form.validate_on_submit():
        card = CardData(
            **field_values(form, ON_CARD),
            met_on=form.met_on.data or today(),
            email=form.email.data or "",
            phone=form.phone.data or "",
            event_id=form.event.data,
            new_event_name=form.new_event.data or "",
            talked_about=form.talked_about.data or "",
            follow_up_on=form.follow_up_on.data,
        )
        try:
            contact = log_card_exchange(session, auth.user_id(), card, today())
        except ServiceError as error:
            session.rollback()
            form.form_errors.append(error_message(error))
        else:
            session.commit()
            flash(_("Card of %(name)s saved.", name=contact.name), "success")
            if form.save_another.data:
                return redirect(
                    url_for(
                        "cards.new",
                        event=contact.origin_event_id,
                        date=card.met_on.isoformat(),
                    )
                )
            return redirect(url_for("contacts.detail", contact_id=contact.id))
    return render_template("cards/new.html", form=form)
