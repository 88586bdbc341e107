"""Last touch and pending follow-up from a contact's history (tracker.relationships.history)."""

from datetime import date

import pytest

from tracker.relationships.history import Touch, last_touch, pending_follow_up

D = date


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], None),
        ([Touch(D(2026, 1, 1), "note")], None),
        ([Touch(D(2026, 1, 1), "meeting"), Touch(D(2026, 3, 1), "note")], D(2026, 1, 1)),
        ([Touch(D(2026, 5, 1), "call"), Touch(D(2026, 1, 1), "meeting")], D(2026, 5, 1)),
    ],
)
def test_last_touch_counts_real_touchpoints_only(history, expected):
    assert last_touch(history) == expected


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], None),
        ([Touch(D(2026, 1, 1), "card_exchange", D(2026, 1, 15), 1)], D(2026, 1, 15)),
        # A later real touch answers the follow-up.
        (
            [
                Touch(D(2026, 1, 1), "card_exchange", D(2026, 1, 15), 1),
                Touch(D(2026, 1, 10), "call", None, 2),
            ],
            None,
        ),
        # A note does not.
        (
            [
                Touch(D(2026, 1, 1), "card_exchange", D(2026, 1, 15), 1),
                Touch(D(2026, 1, 10), "note", None, 2),
            ],
            D(2026, 1, 15),
        ),
        # An earlier touch logged afterwards does not.
        (
            [
                Touch(D(2026, 1, 10), "meeting", D(2026, 2, 1), 1),
                Touch(D(2026, 1, 5), "call", None, 2),
            ],
            D(2026, 2, 1),
        ),
        # Same day: the order logged decides.
        (
            [
                Touch(D(2026, 1, 10), "meeting", D(2026, 2, 1), 1),
                Touch(D(2026, 1, 10), "call", None, 2),
            ],
            None,
        ),
        # The newest follow-up date wins.
        (
            [
                Touch(D(2026, 1, 1), "meeting", D(2026, 1, 15), 1),
                Touch(D(2026, 1, 20), "meal", D(2026, 3, 1), 2),
            ],
            D(2026, 3, 1),
        ),
    ],
)
def test_pending_follow_up(history, expected):
    assert pending_follow_up(history) == expected
