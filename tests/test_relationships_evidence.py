"""The stage the evidence supports, promotion candidates and unsupported labels."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from tracker.relationships import (
    Evidence,
    Referral,
    Touch,
    evidence,
    is_promotion_candidate,
    is_unsupported_label,
    stage_rank,
)

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
        "given_12m": 1,
        "received_12m": 1,
    }
    assert found.has_trusted_evidence


@pytest.mark.parametrize(
    ("on", "counted"),
    [
        (TODAY, True),
        (TODAY - relativedelta(months=12), True),  # 15 Jun 2024: exactly 12 months ago
        (TODAY - relativedelta(months=12) - timedelta(days=1), False),
        (TODAY + timedelta(days=1), False),
    ],
)
def test_the_12_month_window_includes_its_first_day(on: date, counted: bool) -> None:
    found = evidence([], [Referral(on=on, direction="received")], TODAY)
    assert found.received_12m == (1 if counted else 0)


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


def labelled(found: Evidence) -> tuple[str, int]:
    """The evidence stage and the referrals of the last 12 months, as the label rule reads them."""
    return found.stage, found.given_12m + found.received_12m


def found(stage: str, given_12m: int = 0, received_12m: int = 0) -> Evidence:
    """Evidence with only the fields the label rules read."""
    return Evidence(
        stage=stage,
        real_count=0,
        distinct_days=0,
        span_days=0,
        worked_together=0,
        consulted_me=0,
        consulted_them=0,
        given=given_12m,
        received=received_12m,
        given_12m=given_12m,
        received_12m=received_12m,
    )


@pytest.mark.parametrize(
    ("set_stage", "evidence_stage", "expected"),
    [
        ("card", "card", False),
        ("card", "acquaintance", True),
        ("card", "collaborator", True),
        ("acquaintance", "acquaintance", False),
        ("acquaintance", "trusted", True),
        ("trusted", "acquaintance", False),
        ("trusted", "collaborator", True),
        ("collaborator", "collaborator", False),
        ("collaborator", "card", False),
    ],
)
def test_promotion_candidate(set_stage: str, evidence_stage: str, expected: bool) -> None:
    assert is_promotion_candidate(set_stage, evidence_stage) is expected


@pytest.mark.parametrize(
    ("set_stage", "evidence", "expected"),
    [
        ("card", found("card"), False),
        ("card", found("collaborator"), False),
        ("acquaintance", found("card"), True),
        ("acquaintance", found("acquaintance"), False),
        ("trusted", found("acquaintance"), True),
        ("trusted", found("card"), True),
        ("trusted", found("trusted"), False),
        ("trusted", found("collaborator"), False),
        ("collaborator", found("collaborator", given_12m=1), False),
        ("collaborator", found("collaborator", received_12m=1), False),
        ("collaborator", found("collaborator"), True),  # nothing either way in 12 months
        ("collaborator", found("trusted", received_12m=1), True),  # label ahead of evidence
        ("collaborator", found("acquaintance", 1, 1), True),  # no trusted evidence
        ("collaborator", found("card", 3, 3), True),
    ],
)
def test_unsupported_label(set_stage: str, evidence: Evidence, expected: bool) -> None:
    assert is_unsupported_label(set_stage, *labelled(evidence)) is expected


@pytest.mark.parametrize(
    ("referrals", "expected"),
    [
        ([r(400, "given"), r(380, "received")], True),  # both ways, but over a year ago
        ([r(400, "given"), r(380, "received"), r(300, "given")], False),
        ([r(400, "given"), r(380, "received"), r(10, "received")], False),
    ],
)
def test_a_collaborator_label_needs_a_referral_in_the_last_12_months(
    referrals: list[Referral], expected: bool
) -> None:
    history = evidence([t(3, "worked_together")], referrals, TODAY)
    assert history.stage == "collaborator"
    assert is_unsupported_label("collaborator", *labelled(history)) is expected


def test_a_consultation_collaborator_without_recent_referrals_is_unsupported() -> None:
    history = evidence(
        [t(3, "worked_together"), t(2, "consulted_me"), t(1, "consulted_them")], [], TODAY
    )
    assert history.stage == "collaborator"
    assert is_unsupported_label("collaborator", *labelled(history))
    assert not is_unsupported_label("trusted", *labelled(history))
