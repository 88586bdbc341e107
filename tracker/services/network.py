"""The network picture: who introduced whom, and the referrals given and received.

It is laid out here, on the server, so that the page works without JavaScript and no name
is ever clipped or drawn over another, at 375 px as at 1280 px. The layout makes overlap
impossible by construction rather than by searching for free space: an arc diagram. Each
person has a row of their own, under the heading of their stage (collaborators first), so
no two labels share a line. You are the line down the left; a referral is a short arrow
between you and the person (given: from you, green and solid; received: to you, blue and
dashed). People linked to each other (an introducer and the person they brought, or two
people you introduced) are joined by arcs on the right, beyond the longest name. Labels are
measured with a width table (tracker.text_width) to place that column and the drawing's
right edge, so a name never runs into the arcs or out of the picture.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral
from tracker.relationships import stage_rank
from tracker.services import sql
from tracker.services.sql.stages import stage_rank as sql_stage_rank
from tracker.text_width import text_width
from tracker.vocabulary import STAGES

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# The drawing's geometry, in CSS pixels at its natural size.
FONT_SIZE = 14  # the names
HEADING_SIZE = 12  # the stages' headings
ROW = 28  # a person's row: the name's box is about 19 px tall
HEADING_ROW = 34  # a stage's heading, with room above it
TOP = 20  # below the "You" label, whose baseline is at 15
SPINE_X = 12  # you: the line the referral arrows start and end on
DOT_X = 54  # the people's dots
DOT_R = 6
LABEL_X = 66  # where names start
HEADING_X = DOT_X - DOT_R  # where the stages' headings start
GAP = 12  # between the longest name and the arcs' column
ARC_REACH = 72  # how far right the widest arc reaches beyond its column
EDGE = 8  # margin at the right edge
# Two referral arrows with one person (given and received) sit this far apart.
LANE_OFFSET = 4
DIRECTED = ("given", "received")
BETWEEN = ("introduced", "introduction")


@dataclass(frozen=True)
class Row:
    contact: Contact
    y: float  # the centre of the row: dot and lanes; the name's baseline is a little lower
    label_width: float  # measured with the width table

    @property
    def baseline(self) -> float:
        return self.y + FONT_SIZE * 0.35


@dataclass(frozen=True)
class Heading:
    stage: str
    count: int
    baseline: float
    text: str  # the stage's name and how many are drawn under it
    width: float


@dataclass(frozen=True)
class Lane:
    """Referrals between you and one person, in one direction."""

    kind: str  # given (arrow from you) or received (arrow to you)
    contact_id: int
    count: int
    x1: float
    x2: float
    y: float

    @property
    def stroke(self) -> float:
        return 1.5 + 0.5 * min(self.count - 1, 3)


@dataclass(frozen=True)
class Arc:
    """A link between two people: an introduction to you, or two people you introduced."""

    kind: str  # introduced (source introduced target to you) or introduction
    source: int
    target: int
    count: int
    path: str


@dataclass
class Person:
    """One person's links in words, for the list that stands beside the drawing."""

    contact: Contact
    given: int = 0
    received: int = 0
    introduced_by: list[Contact] = field(default_factory=list)
    introduced: list[Contact] = field(default_factory=list)  # they introduced them to you
    introduced_to: list[Contact] = field(default_factory=list)  # you introduced them


@dataclass
class Picture:
    rows: list[Row]
    headings: list[Heading]
    lanes: list[Lane]
    arcs: list[Arc]
    people: list[Person]
    total: int  # people with any link, before the filter and the limit
    width: float
    height: float
    port_x: float  # the column the arcs start from
    arc_ends: set[int] = field(default_factory=set)  # the people an arc starts or ends at
    spine_top: float = TOP + 2
    geometry: dict[str, float] = field(
        default_factory=lambda: {
            "spine_x": SPINE_X,
            "dot_x": DOT_X,
            "dot_r": DOT_R,
            "label_x": LABEL_X,
            "heading_x": HEADING_X,
            "font_size": FONT_SIZE,
            "heading_size": HEADING_SIZE,
        }
    )


Link = tuple[str, int | None, int | None]  # kind, one end, the other (None is you)


def _links(session: Session, user_id: int) -> list[Link]:
    links: list[Link] = []
    for contact_id, introducer_id in session.execute(
        select(Contact.id, Contact.introduced_by_id).where(
            Contact.user_id == user_id, Contact.introduced_by_id.is_not(None)
        )
    ):
        links.append(("introduced", introducer_id, contact_id))
    for direction, contact_id, other_id in session.execute(
        select(Referral.direction, Referral.contact_id, Referral.other_contact_id).where(
            Referral.user_id == user_id
        )
    ):
        if direction == "introduction":
            if other_id is not None:
                links.append(("introduction", contact_id, other_id))
        elif direction == "given":
            links.append(("given", None, contact_id))
        else:
            links.append(("received", contact_id, None))
    return links


def picture(
    session: Session,
    user_id: int,
    *,
    min_stage: str = "card",
    limit: int = DEFAULT_LIMIT,
    stage_label: Callable[[str], str] = str,
) -> Picture:
    """Lay out the linked contacts (the strongest `limit` at or above a stage) and their
    links; `stage_label` names a stage in the reader's language, for the headings."""
    links = _links(session, user_id)
    linked = {end for _kind, a, b in links for end in (a, b) if end is not None}
    limit = max(1, min(limit, MAX_LIMIT))
    contacts = list(
        session.scalars(
            select(Contact)
            .where(
                Contact.user_id == user_id,
                sql.active(),
                Contact.id.in_(linked) if linked else Contact.id.is_(None),
                sql_stage_rank() >= stage_rank(min_stage if min_stage in STAGES else "card"),
            )
            .order_by(Contact.strength_level.desc().nulls_last(), Contact.id)
            .limit(limit)
        )
    )
    return lay_out(contacts, links, total=len(linked), stage_label=stage_label)


def lay_out(
    contacts: list[Contact],
    links: list[Link],
    *,
    total: int,
    stage_label: Callable[[str], str] = str,
) -> Picture:
    """Place each contact on a row of its own, by stage, and draw the links between them."""
    shown = {contact.id: contact for contact in contacts}
    counted: dict[tuple[str, int | None, int | None], int] = defaultdict(int)
    for kind, a, b in links:
        if all(end is None or end in shown for end in (a, b)) and a != b:
            if kind == "introduction":  # one arc for a pair, whichever way it was recorded
                a, b = sorted((a, b), key=lambda end: end or 0)
            counted[(kind, a, b)] += 1
    rows, headings, bottom = _rows(contacts, counted, stage_label)
    y_of = {row.contact.id: row.y for row in rows}
    port_x = GAP + max(
        [LABEL_X + row.label_width for row in rows]
        + [HEADING_X + heading.width for heading in headings]
        + [LABEL_X]
    )
    lanes = _lanes(counted, y_of)
    arcs = [
        Arc(kind, a, b, count, _arc(port_x, y_of[a], y_of[b], kind))
        for (kind, a, b), count in sorted(counted.items(), key=_order)
        if kind in BETWEEN and a is not None and b is not None
    ]
    width = port_x + (ARC_REACH if arcs else 0) + EDGE
    height = bottom + EDGE
    return Picture(
        rows=rows,
        headings=headings,
        lanes=lanes,
        arcs=arcs,
        people=_people([row.contact for row in rows], counted, shown),
        total=total,
        width=round(width, 1),
        height=round(height, 1),
        port_x=round(port_x, 1),
        arc_ends={end for arc in arcs for end in (arc.source, arc.target)},
    )


def _order(item: tuple[tuple[str, int | None, int | None], int]) -> tuple[str, int, int]:
    (kind, a, b), _count = item
    return kind, a or 0, b or 0


def _rows(
    contacts: list[Contact],
    counted: dict[tuple[str, int | None, int | None], int],
    stage_label: Callable[[str], str],
) -> tuple[list[Row], list[Heading], float]:
    """Rows by stage, closest first, each stage under its heading; within a stage, the
    people an introducer brought sit next to the introducer, so that their arcs stay short.
    Returns the rows, the headings and the bottom of the last row."""
    introducer = {b: a for (kind, a, b) in counted if kind == "introduced" and a and b}
    rows: list[Row] = []
    headings: list[Heading] = []
    bottom = float(TOP)
    for stage in reversed(STAGES):  # collaborators first
        ring = [c for c in contacts if c.stage == stage]
        if not ring:
            continue
        ring.sort(key=lambda c: (introducer.get(c.id, c.id), c.id in introducer, c.sort_key))
        baseline = bottom + HEADING_ROW - 10
        text = f"{stage_label(stage)} · {len(ring)}"
        width = text_width(text, HEADING_SIZE)
        headings.append(Heading(stage, len(ring), round(baseline, 1), text, width))
        bottom = baseline + 4
        for contact in ring:
            rows.append(
                Row(contact, round(bottom + ROW / 2, 1), text_width(contact.name, FONT_SIZE))
            )
            bottom += ROW
    return rows, headings, bottom


def _lanes(
    counted: dict[tuple[str, int | None, int | None], int], y_of: dict[int, float]
) -> list[Lane]:
    """One arrow per person and direction between you and them; both, side by side."""
    by_person: dict[int, dict[str, int]] = defaultdict(dict)
    for (kind, a, b), count in counted.items():
        if kind in DIRECTED:
            person = b if kind == "given" else a
            assert person is not None
            by_person[person][kind] = count
    lanes = []
    start, end = SPINE_X + 2, DOT_X - DOT_R - 2
    for person, kinds in sorted(by_person.items(), key=lambda item: y_of[item[0]]):
        both = len(kinds) == 2
        for kind, count in sorted(kinds.items()):
            shift = (-LANE_OFFSET if kind == "given" else LANE_OFFSET) if both else 0
            x1, x2 = (start, end) if kind == "given" else (end, start)
            lanes.append(Lane(kind, person, count, x1, x2, y_of[person] + shift))
    return lanes


def _arc(port_x: float, y1: float, y2: float, kind: str) -> str:
    """A curve out to the right of the names and back, wider for rows further apart."""
    reach = min(ARC_REACH / 0.75, 16 + abs(y2 - y1) * 0.45)
    if kind == "introduction":  # drawn a little inside, so both kinds of one pair show
        reach *= 0.8
    x = port_x + reach
    return f"M{port_x:.1f},{y1:.1f} C{x:.1f},{y1:.1f} {x:.1f},{y2:.1f} {port_x:.1f},{y2:.1f}"


def _people(
    contacts: list[Contact],
    counted: dict[tuple[str, int | None, int | None], int],
    shown: dict[int, Contact],
) -> list[Person]:
    """Each person's links in words, in the drawing's order."""
    people = {contact.id: Person(contact) for contact in contacts}
    for (kind, a, b), count in sorted(counted.items(), key=_order):
        if kind == "given" and b is not None:
            people[b].given = count
        elif kind == "received" and a is not None:
            people[a].received = count
        elif kind == "introduced" and a is not None and b is not None:
            people[b].introduced_by.append(shown[a])
            people[a].introduced.append(shown[b])
        elif kind == "introduction" and a is not None and b is not None:
            people[a].introduced_to.append(shown[b])
            people[b].introduced_to.append(shown[a])
    return list(people.values())
