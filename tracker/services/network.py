"""The network picture: who introduced whom and who referred to whom, with the user at
the centre and each contact on the ring of its stage."""

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Contact, Referral
from tracker.relationships import stage_rank
from tracker.services import sql
from tracker.services.sql.stages import stage_rank as sql_stage_rank
from tracker.vocabulary import STAGES

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ring radius per stage: the closer the relationship, the nearer the centre.
RING = {"collaborator": 110, "trusted": 190, "acquaintance": 265, "card": 335}
SIZE = 440  # the drawing spans -SIZE..SIZE


@dataclass(frozen=True)
class Node:
    contact: Contact
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


# Each kind of link bends its own way, so that a referral given and one received between
# the same two people stay two visible lines.
BEND = {"introduced": 0.12, "given": 0.18, "received": -0.18, "introduction": -0.1}


@dataclass(frozen=True)
class Edge:
    kind: str  # introduced, given, received, introduction
    source: int | None  # None is the user
    target: int | None
    path: str  # SVG path data: a gentle curve from source to target


def curve(x1: float, y1: float, x2: float, y2: float, bend: float) -> str:
    """A quadratic curve whose control point sits off the middle, across the line."""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    cx, cy = mx - (y2 - y1) * bend, my + (x2 - x1) * bend
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


@dataclass
class Picture:
    nodes: list[Node]
    edges: list[Edge]
    total: int  # people with any link, before the filter and the limit
    size: int = SIZE


def _links(session: Session, user_id: int) -> list[tuple[str, int | None, int | None]]:
    links: list[tuple[str, int | None, int | None]] = []
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
            links.append(("introduction", contact_id, other_id))
        elif direction == "given":
            links.append(("given", None, contact_id))
        else:
            links.append(("received", contact_id, None))
    return links


def picture(
    session: Session, user_id: int, *, min_stage: str = "card", limit: int = DEFAULT_LIMIT
) -> Picture:
    """Place the linked contacts (the strongest `limit` at or above a stage) around the user."""
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
    nodes = _place(contacts)
    position = {node.contact.id: (node.x, node.y) for node in nodes}
    position_of_user = (0.0, 0.0)
    edges = []
    for kind, a, b in links:
        if (a is not None and a not in position) or (b is not None and b not in position):
            continue
        x1, y1 = position.get(a, position_of_user) if a is not None else position_of_user
        x2, y2 = position.get(b, position_of_user) if b is not None else position_of_user
        edges.append(Edge(kind, a, b, curve(x1, y1, x2, y2, BEND[kind])))
    return Picture(nodes=nodes, edges=edges, total=len(linked))


def _place(contacts: list[Contact]) -> list[Node]:
    """Spread each stage's contacts evenly round its ring, introducer groups side by side."""
    nodes = []
    for stage in STAGES:
        ring = sorted(
            (c for c in contacts if c.stage == stage),
            key=lambda c: (c.introduced_by_id or c.id, c.id),
        )
        offset = STAGES.index(stage) * 0.37  # keep rings from lining their nodes up
        for i, contact in enumerate(ring):
            angle = offset + 2 * math.pi * i / len(ring)
            radius = RING[stage]
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            label_radius = radius + 12
            nodes.append(
                Node(
                    contact=contact,
                    x=round(x, 1),
                    y=round(y, 1),
                    label_x=round(label_radius * math.cos(angle), 1),
                    label_y=round(label_radius * math.sin(angle) + 4, 1),
                    anchor="start" if math.cos(angle) >= 0 else "end",
                )
            )
    return nodes
