"""The stage the evidence supports, promotion candidates and unsupported labels."""

from datetime import date, timedelta

import pytest

from tracker.relationships import (
    Referral,
    Touch,
    evidence,
    is_promotion_candidate,
    label_supported,
    reciprocity,
    stage_rank,
    unsupported_reason,
)
from tracker.relationships.evidence import RECENT_MONTHS

TODAY = date(2025, 6, 15)


def t(days_ago: int, kind: str = "meeting") -> Touch:
    return Touch(on=TODAY - timedelta(days=days_ago), kind=kind)


def r(days_ago: int, direction: str) -> Referral:
    return Referral(on=TODAY - timedelta(days=days_ago), direction=direction)


# Trusted by time: four real touches spanning exactly 90 days.
TRUSTED_BY_TIME = [t(200), t(170), t(140), t(110)]
BOTH_REFERRALS = [r(30, "given"), r(20, "received")]


@pytest.mark.parametrize(
    ("touches", "referrals", "expected"),
    [
        pytest.param([], [], "card", id="nothing"),
        pytest.param([t(5, "card_exchange")], [], "card", id="card-alone"),
        pytest.param([t(5, "card_exchange"), t(5, "meal")], [], "card", id="two-same-day"),
        pytest.param([t(6, "card_exchange"), t(5, "message")], [], "acquaintance", id="two-days"),
        pytest.param(
            [t(9, "card_exchange"), t(5, "note"), t(1, "note")], [], "card", id="notes-dont-count"
        ),
        pytest.param([t(5, "note"), t(1, "note")], [], "card", id="only-notes"),
        pytest.param([t(99), t(60), t(30), t(10)], [], "acquaintance", id="four-over-89-days"),
        pytest.param([t(100), t(60), t(30), t(10)], [], "trusted", id="four-over-90-days"),
        pytest.param(TRUSTED_BY_TIME, [], "trusted", id="four-over-90-days-exactly"),
        pytest.param([t(300), t(150), t(10)], [], "acquaintance", id="three-over-long-span"),
        pytest.param(
            [t(200), t(170, "note"), t(140), t(110)], [], "acquaintance", id="a-note-is-not-4th"
        ),
        pytest.param([t(100), t(100), t(100), t(10)], [], "trusted", id="four-touches-on-two-days"),
        pytest.param([t(3, "worked_together")], [], "trusted", id="worked-together-alone"),
        pytest.param(TRUSTED_BY_TIME, BOTH_REFERRALS, "collaborator", id="referrals-both-ways"),
        pytest.param(
            [*TRUSTED_BY_TIME, t(50, "consulted_me"), t(40, "consulted_them")],
            [],
            "collaborator",
            id="consultations-both-ways",
        ),
        pytest.param(
            [t(3, "worked_together")], BOTH_REFERRALS, "collaborator", id="worked-and-referred"
        ),
        pytest.param(TRUSTED_BY_TIME, [r(30, "given"), r(20, "given")], "trusted", id="given-only"),
        pytest.param(TRUSTED_BY_TIME, [r(30, "received")], "trusted", id="received-only"),
        pytest.param(
            [*TRUSTED_BY_TIME, t(50, "consulted_me"), t(40, "consulted_me")],
            [],
            "trusted",
            id="consulted-me-only",
        ),
        pytest.param(
            [*TRUSTED_BY_TIME, t(50, "consulted_them")],
            [r(30, "given")],
            "trusted",
            id="mixed-channels-are-not-both-ways",
        ),
        pytest.param([t(20), t(10)], BOTH_REFERRALS, "acquaintance", id="both-ways-without-trust"),
        pytest.param([t(-3, "worked_together")], [], "card", id="future-work-ignored"),
        pytest.param(
            TRUSTED_BY_TIME, [r(30, "given"), r(-2, "received")], "trusted", id="future-ref"
        ),
        pytest.param(
            TRUSTED_BY_TIME,
            [r(2000, "given"), r(1900, "received")],
            "collaborator",
            id="old-referrals-count-for-evidence",
        ),
    ],
)
def test_evidence_stage(touches: list[Touch], referrals: list[Referral], expected: str) -> None:
    assert evidence(touches, referrals, TODAY).stage == expected


def test_evidence_counts() -> None:
    touches = [
        t(400, "card_exchange"),
        t(300, "worked_together"),
        t(300, "note"),
        t(200, "consulted_me"),
        t(100, "consulted_them"),
        t(100, "consulted_them"),
        t(-5, "meal"),
    ]
    referrals = [r(500, "given"), r(300, "given"), r(10, "received"), r(-1, "given")]
    found = evidence(touches, referrals, TODAY)
    assert found.as_dict() == {
        "stage": "collaborator",
        "real_count": 5,
        "distinct_days": 4,
        "span_days": 300,
        "worked_together": 1,
        "consulted_me": 1,
        "consulted_them": 2,
        "given": 2,
        "received": 1,
    }
    assert found.has_trusted_evidence


def test_a_referral_has_a_known_direction() -> None:
    with pytest.raises(ValueError):
        Referral(on=TODAY, direction="introduction")


@pytest.mark.parametrize(
    ("stage", "rank"), [("card", 0), ("acquaintance", 1), ("trusted", 2), ("collaborator", 3)]
)
def test_stage_rank(stage: str, rank: int) -> None:
    assert stage_rank(stage) == rank


def test_stage_rank_rejects_an_unknown_stage() -> None:
    with pytest.raises(ValueError):
        stage_rank("friend")


@pytest.mark.parametrize(
    ("set_stage", "evidence_stage", "exchanges_12m", "expected"),
    [
        ("card", "card", 0, False),
        ("card", "acquaintance", 0, True),
        ("card", "collaborator", 1, True),
        ("card", "collaborator", 0, True),  # to trusted: nothing passed in 12 months
        ("acquaintance", "acquaintance", 0, False),
        ("acquaintance", "trusted", 0, True),
        ("trusted", "acquaintance", 0, False),
        ("trusted", "collaborator", 1, True),
        ("trusted", "collaborator", 0, False),  # a collaborator label would be unsupported
        ("collaborator", "collaborator", 0, False),
        ("collaborator", "card", 0, False),
    ],
)
def test_promotion_candidate(
    set_stage: str, evidence_stage: str, exchanges_12m: int, expected: bool
) -> None:
    assert is_promotion_candidate(set_stage, evidence_stage, exchanges_12m) is expected


@pytest.mark.parametrize(
    ("evidence_stage", "exchanges_12m", "expected"),
    [
        ("card", 0, "card"),
        ("trusted", 0, "trusted"),
        ("collaborator", 1, "collaborator"),
        ("collaborator", 0, "trusted"),
    ],
)
def test_label_supported(evidence_stage: str, exchanges_12m: int, expected: str) -> None:
    assert label_supported(evidence_stage, exchanges_12m) == expected


@pytest.mark.parametrize(
    ("set_stage", "evidence_stage", "exchanges_12m", "expected"),
    [
        ("card", "card", 0, None),
        ("card", "collaborator", 0, None),
        ("acquaintance", "card", 0, "evidence"),
        ("acquaintance", "acquaintance", 0, None),
        ("trusted", "acquaintance", 0, "evidence"),
        ("trusted", "card", 3, "evidence"),
        ("trusted", "trusted", 0, None),
        ("trusted", "collaborator", 0, None),
        ("collaborator", "collaborator", 1, None),
        ("collaborator", "collaborator", 0, "no_exchange"),  # nothing either way in 12 months
        ("collaborator", "trusted", 1, "evidence"),  # label ahead of the evidence
        ("collaborator", "trusted", 0, "evidence"),  # both apply: the evidence is named
        ("collaborator", "card", 3, "evidence"),
    ],
)
def test_unsupported_reason(
    set_stage: str, evidence_stage: str, exchanges_12m: int, expected: str | None
) -> None:
    assert unsupported_reason(set_stage, evidence_stage, exchanges_12m) == expected


def exchanges_12m(touches: list[Touch], referrals: list[Referral]) -> int:
    """What went either way in the last 12 months, as the label rules count it."""
    recent = reciprocity(touches, referrals, TODAY, months=RECENT_MONTHS)
    return recent.gave + recent.received


@pytest.mark.parametrize(
    ("referrals", "expected"),
    [
        ([r(400, "given"), r(380, "received")], "no_exchange"),  # both ways, over a year ago
        ([r(400, "given"), r(380, "received"), r(300, "given")], None),
        ([r(400, "given"), r(380, "received"), r(10, "received")], None),
        ([r(400, "given"), r(365, "received")], None),  # 15 Jun 2024: the window's first day
        ([r(400, "given"), r(366, "received")], "no_exchange"),
    ],
)
def test_a_collaborator_label_needs_an_exchange_in_the_last_12_months(
    referrals: list[Referral], expected: str | None
) -> None:
    touches = [t(3, "worked_together")]
    history = evidence(touches, referrals, TODAY)
    assert history.stage == "collaborator"
    assert unsupported_reason("collaborator", history.stage, exchanges_12m(touches, referrals)) == (
        expected
    )


def test_a_collaborator_consulted_both_ways_this_year_is_supported() -> None:
    touches = [t(300, "worked_together"), t(100, "consulted_me"), t(40, "consulted_them")]
    history = evidence(touches, [], TODAY)
    assert history.stage == "collaborator"
    assert unsupported_reason("collaborator", history.stage, exchanges_12m(touches, [])) is None


def test_consultations_long_ago_leave_a_collaborator_unsupported_and_not_a_candidate() -> None:
    touches = [t(800, "worked_together"), t(700, "consulted_me"), t(600, "consulted_them")]
    history = evidence(touches, [], TODAY)
    count = exchanges_12m(touches, [])
    assert history.stage == "collaborator" and count == 0
    assert unsupported_reason("collaborator", history.stage, count) == "no_exchange"
    assert not is_promotion_candidate("trusted", history.stage, count)
