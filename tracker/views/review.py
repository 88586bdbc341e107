"""The collaborators review, the places report, who can help, and the network picture."""

from flask import Blueprint, render_template, request

from tracker import auth
from tracker.db import get_session
from tracker.forms import StageForm
from tracker.i18n import STAGE_LABELS
from tracker.services.expertise import who_can_help
from tracker.services.network import DEFAULT_LIMIT, picture
from tracker.services.places import SORTS, places
from tracker.services.review import review
from tracker.vocabulary import STAGES
from tracker.web import today

bp = Blueprint("review", __name__)
PLACES_SHOWN = 50  # the best places; all of them on request
auth.require_login(bp)


@bp.route("/review")
def index() -> str:
    """Review collaborators, promotion candidates, unsupported labels and one-way ties."""
    return render_template(
        "review/index.html",
        review=review(get_session(), auth.user_id(), today()),
        stage_form=StageForm(),
    )


@bp.route("/places")
def places_report() -> str:
    """Show which events and introducers brought people who became collaborators."""
    sort = request.args.get("sort", "best")
    sort = sort if sort in SORTS else "best"
    everything = request.args.get("all") == "1"
    found, total = places(
        get_session(), auth.user_id(), sort, limit=None if everything else PLACES_SHOWN
    )
    return render_template("review/places.html", places=found, total=total, sort=sort)


@bp.route("/help")
def helpers() -> str:
    """Find who in your network can help with something, most trusted and warmest first."""
    query = request.args.get("q", "").strip()[:200]
    found = who_can_help(get_session(), auth.user_id(), query, today()) if query else []
    return render_template("review/help.html", query=query, found=found)


@bp.route("/network")
def network() -> str:
    """Draw who introduced whom and who referred to whom."""
    min_stage = request.args.get("stage", "card")
    min_stage = min_stage if min_stage in STAGES else "card"
    limit = request.args.get("limit", DEFAULT_LIMIT, type=int) or DEFAULT_LIMIT
    drawing = picture(
        get_session(),
        auth.user_id(),
        min_stage=min_stage,
        limit=limit,
        stage_label=lambda stage: str(STAGE_LABELS[stage]),
    )
    return render_template("review/network.html", picture=drawing, min_stage=min_stage, limit=limit)
