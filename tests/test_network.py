"""The network picture's layout, without a browser: every name on a row of its own, inside
the drawing and short of the arcs' column, as the width table measures it; referrals drawn
as arrows that say which way they went; introductions as arcs; the list in words."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.models import Contact
from tracker.services.network import (
    ARC_REACH,
    EDGE,
    FONT_SIZE,
    HEADING_SIZE,
    HEADING_X,
    LABEL_X,
    SPINE_X,
    lay_out,
)
from tracker.text_width import char_width, text_width
from tracker.vocabulary import STAGES


@pytest.mark.parametrize(
    ("text", "ems"),
    [
        ("佐藤 花子", 4 + 0.318),  # four kanji of one em, a space of DejaVu Sans
        ("さとう", 3),
        ("ｻﾄｳ", 1.5),  # half-width katakana
        ("Ｓａｔｏ", 4),  # full-width Latin
        ("il", 0.278 * 2),
        ("MW", 0.863 + 0.989),
        ("é", 0.615),  # as wide as e
        ("Ł", 1.0),  # no decomposition: as wide as anything can be
        ("e\u0301", 0.615),  # a combining accent takes no room
        ("", 0),
    ],
)
def test_the_width_table(text, ems):
    assert text_width(text, 10) == pytest.approx(ems * 10, abs=0.1)
    assert text_width(text, 10) >= ems * 10 - 1e-9  # rounded up, never down


def test_every_printable_ascii_character_has_a_width():
    assert all(0.2 < char_width(chr(code)) <= 1.0 for code in range(32, 127))


def contact(contact_id: int, name: str, stage: str = "card", **extra) -> Contact:
    family, _, given = name.partition(" ")
    return Contact(
        id=contact_id,
        family_name=family,
        given_name=given,
        stage=stage,
        sort_key=f"{contact_id:05d}",
        **extra,
    )


def boxes(drawing) -> list[tuple[str, float, float, float, float]]:
    """Every text's box as the width table measures it: (text, left, top, right, bottom)."""
    found: list[tuple[str, float, float, float, float]] = [
        ("You", 2.0, 15 - FONT_SIZE, 2 + text_width("You", FONT_SIZE), 15 + 4)
    ]
    for heading in drawing.headings:
        assert heading.width == text_width(heading.text, HEADING_SIZE)
        top, bottom = heading.baseline - HEADING_SIZE, heading.baseline + 3
        found.append((heading.text, HEADING_X, top, HEADING_X + heading.width, bottom))
    for row in drawing.rows:
        top = row.baseline - FONT_SIZE
        found.append((row.contact.name, LABEL_X, top, LABEL_X + row.label_width, row.baseline + 4))
    return found


def test_referrals_are_arrows_that_say_which_way_they_went():
    hub, newcomer, other = (
        contact(1, "要 一", "collaborator"),
        contact(2, "新 二", introduced_by_id=1),
        contact(3, "他 三", "trusted"),
    )
    links = [
        ("given", None, 1),
        ("given", None, 1),
        ("received", 1, None),
        ("received", 3, None),
        ("introduced", 1, 2),
        ("introduction", 1, 3),
        ("introduction", 3, 1),  # the same pair, recorded the other way round
        ("introduced", 99, 2),  # an introducer who is not drawn
    ]
    drawing = lay_out([newcomer, other, hub], links, total=4)
    assert [row.contact.id for row in drawing.rows] == [1, 3, 2]  # collaborators first
    assert [h.stage for h in drawing.headings] == ["collaborator", "trusted", "card"]
    lanes = {(lane.kind, lane.contact_id): lane for lane in drawing.lanes}
    assert set(lanes) == {("given", 1), ("received", 1), ("received", 3)}
    given, received = lanes[("given", 1)], lanes[("received", 1)]
    assert given.count == 2 and given.stroke > received.stroke
    assert given.x1 < given.x2 and given.x1 > SPINE_X  # from you to them
    assert received.x1 > received.x2  # from them to you
    assert given.y != received.y  # side by side, not on top of each other
    assert lanes[("received", 3)].y == drawing.rows[1].y  # alone, on its row
    arcs = {(arc.kind, arc.source, arc.target): arc.count for arc in drawing.arcs}
    assert arcs == {("introduced", 1, 2): 1, ("introduction", 1, 3): 2}
    assert drawing.arc_ends == {1, 2, 3}
    people = {person.contact.id: person for person in drawing.people}
    assert [person.contact.id for person in drawing.people] == [1, 3, 2]
    assert (people[1].given, people[1].received) == (2, 1)
    assert people[2].introduced_by == [hub] and people[1].introduced == [newcomer]
    assert people[1].introduced_to == [other] and people[3].introduced_to == [hub]


def test_nothing_to_draw():
    drawing = lay_out([], [], total=0)
    assert drawing.rows == [] and drawing.arcs == [] and drawing.width > 0


names = st.text(
    alphabet=st.sampled_from("佐藤花子山田太郎ｻﾄｳ ＷabcdefghijklmnopqrstuvwxyzMWIl'-éŁ"),
    min_size=1,
    max_size=24,
).filter(str.strip)


@st.composite
def networks(draw):
    count = draw(st.integers(1, 60))
    people = [contact(i + 1, draw(names), draw(st.sampled_from(STAGES))) for i in range(count)]
    ends = st.integers(1, count)
    links = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("given"), st.none(), ends),
                st.tuples(st.just("received"), ends, st.none()),
                st.tuples(st.sampled_from(["introduced", "introduction"]), ends, ends),
            ),
            max_size=120,
        )
    )
    return people, links


@given(networks())
def test_no_label_overlaps_another_or_leaves_the_drawing(network):
    people, links = network
    drawing = lay_out(people, links, total=len(people), stage_label=str.upper)
    assert len(drawing.rows) == len(people)
    found = sorted(boxes(drawing), key=lambda box: box[2])
    for (_a, *first), (_b, *second) in itertools.pairwise(found):
        assert first[3] <= second[1], (first, second)  # each below the one above
    for text, left, top, right, bottom in found:
        assert left >= 0 and right <= drawing.port_x <= drawing.width, text
        assert top >= 0 and bottom <= drawing.height, text
    for arc in drawing.arcs:
        xs = [float(part.split(",")[0].lstrip("MC")) for part in arc.path.split() if "," in part]
        assert min(xs) == drawing.port_x and max(xs) * 0.75 + drawing.port_x * 0.25 <= (
            drawing.port_x + ARC_REACH
        )
        assert drawing.port_x + ARC_REACH + EDGE <= drawing.width + 0.1
