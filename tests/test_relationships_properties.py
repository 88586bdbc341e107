"""Properties of the relationship rules that must hold for any history."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.relationships import (
    WARMTHS,
    Cadence,
    Referral,
    Touch,
    bond_strength,
    evidence,
    is_flagged,
    last_touch,
    parse_cadence,
    stage_rank,
    warmth,
    warmth_dates,
)
from tracker.vocabulary import REAL_TOUCHPOINT_KINDS, TOUCHPOINT_KINDS

EXAMPLES = settings(max_examples=200, deadline=None)
TODAY = date(2025, 6, 15)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
past_days = st.dates(min_value=date(2015, 1, 1), max_value=TODAY)
touches = st.builds(
    Touch,
    on=past_days,
    kind=st.sampled_from(TOUCHPOINT_KINDS),
    follow_up_on=st.none() | days,
    order=st.integers(0, 1000),
)
histories = st.lists(touches, max_size=12)
referrals = st.lists(
    st.builds(Referral, on=past_days, direction=st.sampled_from(("given", "received"))),
    max_size=6,
)
cadences = st.one_of(
    st.builds(Cadence, months=st.integers(1, 60)),
    st.builds(Cadence, days=st.integers(1, 1826)),
    st.builds(Cadence, months=st.integers(1, 24), days=st.integers(1, 60)),
)
warmth_values = st.sampled_from((None, *WARMTHS))


def coldness(state: str | None) -> int:
    """Rank warmth from warmest to coldest; no touch at all counts as coldest."""
    return len(WARMTHS) if state is None else WARMTHS.index(state)


@EXAMPLES
@given(history=histories, cadence=cadences, kind=st.sampled_from(REAL_TOUCHPOINT_KINDS))
def test_a_touch_today_never_makes_warmth_colder(
    history: list[Touch], cadence: Cadence, kind: str
) -> None:
    before = warmth(warmth_dates(last_touch(history), cadence), TODAY)
    after_history = [*history, Touch(on=TODAY, kind=kind)]
    after = warmth(warmth_dates(last_touch(after_history), cadence), TODAY)
    assert after == "warm"
    assert coldness(after) <= coldness(before)


@EXAMPLES
@given(
    history=histories,
    cadence=cadences,
    kind=st.sampled_from(REAL_TOUCHPOINT_KINDS),
    on=past_days,
)
def test_any_past_touch_never_makes_warmth_colder(
    history: list[Touch], cadence: Cadence, kind: str, on: date
) -> None:
    before = warmth(warmth_dates(last_touch(history), cadence), TODAY)
    after_history = [*history, Touch(on=on, kind=kind)]
    after = warmth(warmth_dates(last_touch(after_history), cadence), TODAY)
    assert coldness(after) <= coldness(before)


@EXAMPLES
@given(last=days, cadence=cadences, today=days, later=st.integers(0, 3000))
def test_warmth_never_warms_up_as_days_pass(
    last: date, cadence: Cadence, today: date, later: int
) -> None:
    dates = warmth_dates(last, cadence)
    assert coldness(warmth(dates, today)) <= coldness(warmth(dates, today + timedelta(later)))


@EXAMPLES
@given(history=histories, given_referrals=referrals, later=st.integers(0, 5000))
def test_strength_never_rises_without_a_new_item(
    history: list[Touch], given_referrals: list[Referral], later: int
) -> None:
    now = bond_strength(history, given_referrals, TODAY)
    assert bond_strength(history, given_referrals, TODAY + timedelta(days=later)) <= now


@EXAMPLES
@given(
    history=histories,
    cadence=cadences,
    on=days,
    follow_up_on=st.none() | days,
    today=days,
)
def test_a_note_changes_no_warmth(
    history: list[Touch], cadence: Cadence, on: date, follow_up_on: date | None, today: date
) -> None:
    with_note = [*history, Touch(on=on, kind="note", follow_up_on=follow_up_on)]
    assert last_touch(with_note) == last_touch(history)
    before = warmth_dates(last_touch(history), cadence)
    after = warmth_dates(last_touch(with_note), cadence)
    assert after == before
    assert warmth(after, today) == warmth(before, today)


@EXAMPLES
@given(state=warmth_values, today=days, snooze_days=st.integers(0, 400), archived=st.booleans())
def test_a_snoozed_contact_is_never_flagged(
    state: str | None, today: date, snooze_days: int, archived: bool
) -> None:
    until = today + timedelta(days=snooze_days)
    assert not is_flagged(state, today=today, snoozed_until=until, archived=archived)


@EXAMPLES
@given(state=warmth_values, today=days, snoozed_until=st.none() | days)
def test_an_archived_contact_is_never_flagged(
    state: str | None, today: date, snoozed_until: date | None
) -> None:
    assert not is_flagged(state, today=today, snoozed_until=snoozed_until, archived=True)


@EXAMPLES
@given(state=warmth_values, today=days, lapsed=st.integers(1, 400))
def test_an_active_contact_is_flagged_exactly_when_cold_or_dormant(
    state: str | None, today: date, lapsed: int
) -> None:
    for until in (None, today - timedelta(days=lapsed)):
        flagged = is_flagged(state, today=today, snoozed_until=until, archived=False)
        assert flagged is (state in ("cold", "dormant"))


@EXAMPLES
@given(cadence=cadences, first=days, gap=st.integers(0, 2000), times=st.integers(0, 3))
def test_after_is_monotonic_in_the_start(
    cadence: Cadence, first: date, gap: int, times: int
) -> None:
    second = first + timedelta(days=gap)
    assert cadence.after(first, times) <= cadence.after(second, times)
    assert cadence.after(first, times) >= first


@EXAMPLES
@given(cadence=cadences)
def test_a_single_unit_cadence_reads_back_from_its_phrase(cadence: Cadence) -> None:
    assume(cadence.months == 0 or cadence.days == 0)
    assert parse_cadence(str(cadence)) == cadence


@EXAMPLES
@given(history=histories, given_referrals=referrals, extra=touches, extra_referrals=referrals)
def test_more_history_never_lowers_the_evidence(
    history: list[Touch],
    given_referrals: list[Referral],
    extra: Touch,
    extra_referrals: list[Referral],
) -> None:
    before = evidence(history, given_referrals, TODAY).stage
    after = evidence([*history, extra], [*given_referrals, *extra_referrals], TODAY).stage
    assert stage_rank(after) >= stage_rank(before)
