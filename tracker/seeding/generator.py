"""Draw a whole dataset in memory from a plan and a seed: people, histories, referrals.

Nothing here touches the database: the draft is numbered (assign_ids) and turned into
rows by tracker.seeding.rows.
"""

import bisect
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tracker.fields import ContactFields
from tracker.relationships import Referral as RuleReferral
from tracker.relationships import Touch
from tracker.seeding.data import (
    ARCHETYPE_WEIGHTS,
    ARCHETYPES,
    AREAS,
    CADENCE_GUESS,
    CADENCE_OVERRIDES,
    CONTACT_NOTES,
    EVENT_SERIES,
    EVENT_WEIGHTS,
    EVENT_WINDOW_DAYS,
    EXTRA_WEIGHT,
    FAMILY_NAMES,
    FAMILY_WEIGHTS,
    GIVEN_NAMES,
    GIVEN_WEIGHTS,
    GROUP_KINDS,
    GROUP_SHARE,
    HORIZON_DAYS,
    KIND_TABLES,
    MAX_TOUCHES,
    MIN_TOUCHES,
    ORIGIN_NOTES,
    PROFESSION_WEIGHTS,
    PROFESSIONS,
    REAL_KIND_TABLES,
    REFERRAL_NOTES,
    SPAN_DAYS,
    STATUS_WEIGHTS_OLD,
    STATUS_WEIGHTS_RECENT,
    STATUSES,
    STEMS,
    SUBJECTS_GIVEN,
    SUBJECTS_RECEIVED,
    SUMMARIES_EN,
    SUMMARIES_JA,
    TAG_WEIGHTS,
    TAGS,
    TOPICS_EN,
    TOPICS_JA,
    TOUCH_NOTES,
    WARMTH_MIX,
    WESTERN_FAMILY,
    WESTERN_GIVEN,
    WESTERN_PROFESSION_WEIGHTS,
    WESTERN_PROFESSIONS,
)
from tracker.vocabulary import STAGES

# --- The plans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedPlan:
    """How much to seed, and the random seed that fixes every choice."""

    contacts: int
    touchpoints: int
    seed: int = 1


TIERS: dict[str, SeedPlan] = {
    "solo": SeedPlan(contacts=500, touchpoints=5_000),
    "heavy": SeedPlan(contacts=5_000, touchpoints=50_000),
    "firm": SeedPlan(contacts=20_000, touchpoints=400_000),
}
TOUCHPOINTS_PER_CONTACT = 10  # when only --contacts is given


# --- In-memory drafts --------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Person(ContactFields):
    """One contact being drafted (its fields, then how to reach it and where it was met),
    with its history once it is known."""

    archetype: str
    western: bool
    email: str = ""
    phone: str = ""
    last_on: date | None = None
    shape: str = "plain"  # card variants: plain, with_note, no_touch, note_only
    touches_wanted: int = 0
    origin: str = "none"  # event, introducer, note, none
    origin_event: int | None = None  # index into the events
    introduced_by: int | None = None  # index into the people
    cadence: str | None = None
    tags: list[int] = field(default_factory=list)  # indexes into TAGS
    snoozed_until: date | None = None
    archived_at: datetime | None = None
    id: int = 0
    touches: list[Touch] = field(default_factory=list)
    referrals: list[RuleReferral] = field(default_factory=list)


@dataclass(slots=True)
class TouchDraft:
    """One touchpoint being drafted; contacts are indexes into the people."""

    on: date
    kind: str
    contacts: list[int]
    at: time | None = None
    summary: str = ""
    notes: str = ""
    initiated_by: str | None = None
    follow_up_on: date | None = None
    event: int | None = None
    id: int = 0


@dataclass(slots=True)
class ReferralDraft:
    """One referral being drafted; people are indexes into the people."""

    on: date
    direction: str
    contact: int
    other: int | None = None
    subject: str = ""
    subject_contact: int | None = None
    status: str = "introduced"
    notes: str = ""


@dataclass(slots=True)
class EventDraft:
    """One event being drafted."""

    name: str
    kind: str
    held_on: date
    place: str
    id: int = 0


@dataclass
class Draft:
    """Everything one seeding run will insert, before ids are given."""

    today: date
    events: list[EventDraft]
    people: list[Person]
    touches: list[TouchDraft]
    referrals: list[ReferralDraft]


# --- Random helpers ----------------------------------------------------------------------


class Chooser:
    """A seeded random source with the weighted picks the generator needs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._cumulative: dict[tuple[float, ...], list[float]] = {}

    def chance(self, share: float) -> bool:
        """Return True with this probability."""
        return self.rng.random() < share

    def pick(self, items: Sequence[Any]) -> Any:
        """Return one item, uniformly."""
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: Sequence[Any], weights: tuple[float, ...]) -> Any:
        """Return one item with probability proportional to its weight."""
        cumulative = self._cumulative.get(weights)
        if cumulative is None:
            cumulative = self._cumulative[weights] = _cumulate(weights)
        point = self.rng.random() * cumulative[-1]
        return items[bisect.bisect_right(cumulative, point)]

    def day_between(self, start: date, end: date) -> date:
        """Return a day from start to end, both included."""
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))


def _cumulate(weights: Sequence[float]) -> list[float]:
    """Return the running totals of the weights."""
    totals, running = [], 0.0
    for weight in weights:
        running += weight
        totals.append(running)
    return totals


# --- Generating the draft ----------------------------------------------------------------


class Generator:
    """Draws a whole dataset from a plan and a seed, in memory."""

    def __init__(self, plan: SeedPlan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.start = today - timedelta(days=HORIZON_DAYS)
        self.choose = Chooser(plan.seed)
        self.companies: dict[int, list[str]] = defaultdict(list)
        self.events: list[EventDraft] = []
        self.event_days: list[date] = []
        self.people: list[Person] = []
        self.touches: list[TouchDraft] = []
        self.referrals: list[ReferralDraft] = []

    def draft(self) -> Draft:
        """Draw events, people, their timelines, touchpoints and referrals."""
        self._draw_events()
        self.people = [self._draw_person() for _ in range(self.plan.contacts)]
        self._allocate_touches()
        for person in self.people:
            self._draw_timeline(person)
        self.people.sort(key=_met_order)
        self._draw_introducers()
        for index, person in enumerate(self.people):
            self._draw_history(index, person)
        self._add_group_members()
        self._draw_referrals()
        return Draft(self.today, self.events, self.people, self.touches, self.referrals)

    # Events

    def _draw_events(self) -> None:
        """Draw the events, one row per date, spread over the three years."""
        count = max(12, self.plan.contacts // 10)
        days = sorted(self.choose.day_between(self.start, self.today) for _ in range(count))
        for held_on in days:
            kind, pattern, places, _weight = self.choose.weighted(EVENT_SERIES, EVENT_WEIGHTS)
            area = self.choose.pick(AREAS)
            place = self.choose.pick(places).format(area=area)
            self.events.append(EventDraft(pattern.format(area=area), kind, held_on, place))
        self.event_days = [event.held_on for event in self.events]

    # People

    def _draw_person(self) -> Person:
        """Draw one contact's name, work, tags and the shape of the relationship."""
        archetype = self.choose.weighted(ARCHETYPES, ARCHETYPE_WEIGHTS)
        person = Person(archetype=archetype, western=self.choose.chance(0.2))
        if person.western:
            self._name_western(person)
        else:
            self._name_japanese(person)
        self._draw_work(person)
        self._draw_extras(person)
        if archetype == "card":
            person.shape = self.choose.weighted(
                ("plain", "with_note", "no_touch", "note_only"), (85, 8, 3, 4)
            )
        return person

    def _name_japanese(self, person: Person) -> None:
        """Give a kanji family and given name with their readings."""
        person.family_name, person.family_reading = self.choose.weighted(
            FAMILY_NAMES, FAMILY_WEIGHTS
        )
        person.given_name, person.given_reading = self.choose.weighted(GIVEN_NAMES, GIVEN_WEIGHTS)

    def _name_western(self, person: Person) -> None:
        """Give a Western name; some users type a katakana reading for it."""
        given, given_kana = self.choose.pick(WESTERN_GIVEN)
        family, family_kana = self.choose.pick(WESTERN_FAMILY)
        person.family_name, person.given_name = family, given
        if self.choose.chance(0.3):
            person.family_reading, person.given_reading = family_kana, given_kana

    def _draw_work(self, person: Person) -> None:
        """Give a company (often shared with other contacts), department, title, skills."""
        if person.western:
            kind = 100 + self._pick_index(WESTERN_PROFESSIONS, WESTERN_PROFESSION_WEIGHTS)
            work = WESTERN_PROFESSIONS[kind - 100]
        else:
            kind = self._pick_index(PROFESSIONS, PROFESSION_WEIGHTS)
            work = PROFESSIONS[kind]
        known = self.companies[kind]
        if known and self.choose.chance(0.35):
            person.company = self.choose.pick(known)
        else:
            person.company = self.choose.pick(work.companies).format(
                stem=self.choose.pick(STEMS),
                family=person.family_name,
                area=self.choose.pick(AREAS),
            )
            known.append(person.company)
        person.department = self.choose.pick(work.departments)
        person.title = self.choose.pick(work.titles)
        if self.choose.chance(0.85):
            count = min(len(work.skills), 1 + self.choose.rng.randrange(3))
            separator = ", " if person.western else "、"
            person.expertise = separator.join(self.choose.rng.sample(work.skills, count))

    def _pick_index(self, items: Sequence[Any], weights: tuple[float, ...]) -> int:
        """Return the index of a weighted pick."""
        return int(self.choose.weighted(range(len(items)), weights))

    def _draw_extras(self, person: Person) -> None:
        """Draw tags, a cadence of its own, notes, an email and a phone number."""
        tag_count = self.choose.weighted((0, 1, 2, 3), (35, 35, 20, 10))
        picked: list[int] = []
        for _ in range(tag_count):
            tag = self._pick_index(TAGS, TAG_WEIGHTS)
            if tag not in picked:
                picked.append(tag)
        person.tags = sorted(picked)
        if self.choose.chance(0.05):
            person.cadence = self.choose.pick(CADENCE_OVERRIDES)
        if self.choose.chance(0.25):
            person.notes = self.choose.pick(CONTACT_NOTES)
        number = self.choose.rng.randrange(10_000_000)
        if self.choose.chance(0.85):
            person.email = f"contact{number:07d}@example.jp"
        if self.choose.chance(0.7):
            prefix = self.choose.pick(("03", "06", "045", "090", "080"))
            person.phone = f"{prefix}-{number % 10_000:04d}-{number // 1_000 % 10_000:04d}"

    # How many touchpoints each person starts

    def _allocate_touches(self) -> None:
        """Share the touchpoints out: a minimum per shape, the rest lognormally skewed."""
        minimums = [_minimum_touches(person) for person in self.people]
        weights = [
            EXTRA_WEIGHT[person.archetype] * self.choose.rng.lognormvariate(0.0, 1.0)
            for person in self.people
        ]
        counts = allocate(self.plan.touchpoints, minimums, weights, MAX_TOUCHES)
        for person, count in zip(self.people, counts, strict=True):
            person.touches_wanted = count

    # Timelines: first meeting and last touch

    def _draw_timeline(self, person: Person) -> None:
        """Choose the first meeting and the last real touch, aiming at a warmth."""
        if person.archetype == "card":
            if person.shape != "no_touch" or self.choose.chance(0.5):
                person.first_met_on = self.choose.day_between(self.start, self.today)
            person.last_on = person.first_met_on
        else:
            self._draw_span(person)
        self._draw_origin(person)

    def _draw_span(self, person: Person) -> None:
        """Place a longer relationship: a gap since the last touch, then its span."""
        low, high = SPAN_DAYS[person.archetype]
        cadence = CADENCE_GUESS[person.archetype]
        warmth = self.choose.weighted(range(4), WARMTH_MIX[person.archetype])
        bounds = ((0.0, 0.7), (0.76, 0.99), (1.05, 2.9), (3.1, HORIZON_DAYS / cadence))[warmth]
        gap = int(self.choose.rng.uniform(*bounds) * cadence)
        gap = min(gap, HORIZON_DAYS - low)
        last = self.today - timedelta(days=gap)
        room = (last - self.start).days
        span = self.choose.rng.randint(low, max(low, min(high, room)))
        person.last_on = last
        person.first_met_on = last - timedelta(days=span)

    def _draw_origin(self, person: Person) -> None:
        """Say where the person was met: an event near the first meeting, or otherwise."""
        origin = self.choose.weighted(("event", "introducer", "note", "none"), (55, 15, 10, 20))
        if origin == "event" and person.first_met_on is not None:
            event = self._event_near(person.first_met_on, person)
            if event is not None:
                person.origin, person.origin_event = "event", event
                person.first_met_on = self.events[event].held_on
                return
            origin = "note"
        if origin == "note" and self.choose.chance(0.8):
            person.origin, person.origin_note = "note", self.choose.pick(ORIGIN_NOTES)
        elif origin == "introducer":
            person.origin = "introducer"

    def _event_near(self, day: date, person: Person) -> int | None:
        """Return an event shortly before the day that keeps the drawn span possible."""
        latest = day
        if person.last_on is not None and person.archetype != "card":
            low = SPAN_DAYS[person.archetype][0]
            latest = min(day, person.last_on - timedelta(days=low))
        first = bisect.bisect_left(self.event_days, day - timedelta(days=EVENT_WINDOW_DAYS))
        last = bisect.bisect_right(self.event_days, latest)
        if first >= last:
            return None
        return self.choose.rng.randrange(first, last)

    def _draw_introducers(self) -> None:
        """Pick an introducer met earlier for those introduced; most are closer contacts."""
        close = [i for i, p in enumerate(self.people) if p.archetype in ("trusted", "collaborator")]
        close_days = [self.people[i].first_met_on or self.today for i in close]
        for person in self.people:
            if person.origin != "introducer" or person.first_met_on is None:
                continue
            known = bisect.bisect_left(close_days, person.first_met_on)
            if known == 0:
                person.origin, person.origin_note = "note", self.choose.pick(ORIGIN_NOTES)
                continue
            person.introduced_by = close[self.choose.rng.randrange(known)]

    # Touchpoints

    def _draw_history(self, index: int, person: Person) -> None:
        """Draw the person's own touchpoints: first meeting, the ones between, the last."""
        count = person.touches_wanted
        if count == 0 or person.first_met_on is None:
            return
        first = person.first_met_on
        if person.archetype == "card":
            self._draw_card_history(index, person, first)
            return
        last = person.last_on or first
        days = sorted(self.choose.day_between(first, last) for _ in range(count - 2))
        kinds, weights = KIND_TABLES[person.archetype]
        middle = [self.choose.weighted(kinds, weights) for _ in days]
        if person.archetype == "collaborator" and len(middle) >= 2 and self.choose.chance(0.3):
            middle[0], middle[-1] = "consulted_me", "consulted_them"
        self._add_first_touch(index, person, first)
        for day, kind in zip(days, middle, strict=True):
            self._add_touch(index, person, day, kind)
        real_kinds, real_weights = REAL_KIND_TABLES[person.archetype]
        self._add_touch(index, person, last, self.choose.weighted(real_kinds, real_weights))

    def _draw_card_history(self, index: int, person: Person, first: date) -> None:
        """A card exchange (or only a note), and for some a private note after it."""
        if person.shape == "note_only":
            self._add_touch(index, person, first, "note")
            return
        self._add_first_touch(index, person, first)
        if person.shape == "with_note":
            later = self.choose.day_between(first, min(self.today, first + timedelta(days=20)))
            self._add_touch(index, person, later, "note")

    def _add_first_touch(self, index: int, person: Person, first: date) -> None:
        """Log the first meeting: a card exchange for most, at the event if there was one."""
        kind = "card_exchange"
        if person.origin_event is None and self.choose.chance(0.15):
            kind = self.choose.pick(("meeting", "call", "message", "event"))
        touch = self._add_touch(index, person, first, kind)
        touch.event = person.origin_event
        # Most follow-ups set at a card exchange are kept; with people never met again,
        # a few are forgotten and stay due.
        share = 0.1 if person.archetype == "card" else 0.3
        if kind == "card_exchange" and self.choose.chance(share):
            touch.follow_up_on = first + timedelta(days=self.choose.rng.randint(7, 30))

    def _add_touch(self, index: int, person: Person, day: date, kind: str) -> TouchDraft:
        """Append one touchpoint with this person, with realistic details."""
        touch = TouchDraft(on=day, kind=kind, contacts=[index])
        english = person.western and self.choose.chance(0.7)
        templates = (SUMMARIES_EN if english else SUMMARIES_JA)[kind]
        topic = self.choose.pick(TOPICS_EN if english else TOPICS_JA)
        touch.summary = self.choose.pick(templates).format(topic=topic)
        if kind not in ("note", "message") and self.choose.chance(0.35):
            touch.at = time(self.choose.rng.randint(8, 20), self.choose.pick((0, 15, 30, 45)))
        if kind not in ("note", "card_exchange"):
            touch.initiated_by = self.choose.weighted(("me", "them", None), (45, 35, 20))
        if self.choose.chance(0.12):
            touch.notes = self.choose.pick(TOUCH_NOTES)
        if kind != "card_exchange" and self.choose.chance(0.1):
            touch.follow_up_on = day + timedelta(days=self.choose.rng.randint(3, 45))
        if kind == "event":
            touch.event = self._event_on_or_before(day, person.first_met_on or day)
            if touch.event is not None:
                touch.on = self.events[touch.event].held_on
        self.touches.append(touch)
        return touch

    def _event_on_or_before(self, day: date, earliest: date) -> int | None:
        """Return the latest event held from `earliest` to `day`, if any."""
        position = bisect.bisect_right(self.event_days, day) - 1
        if position >= 0 and self.event_days[position] >= earliest:
            return position
        return None

    def _add_group_members(self) -> None:
        """Add colleagues or regulars (people met more than once) to some group touchpoints."""
        regulars = [i for i, p in enumerate(self.people) if p.archetype != "card"]
        regular_days = [self.people[i].first_met_on or date.max for i in regulars]
        by_company: dict[str, list[int]] = defaultdict(list)
        for index, person in enumerate(self.people):
            by_company[person.company].append(index)
        for touch in self.touches:
            if touch.kind not in GROUP_KINDS or not self.choose.chance(GROUP_SHARE):
                continue
            colleagues = by_company[self.people[touch.contacts[0]].company]
            known = regulars[: bisect.bisect_right(regular_days, touch.on)]
            for _ in range(self.choose.weighted((1, 2, 3), (60.0, 30.0, 10.0))):
                other = self._group_member(colleagues, known, touch.on)
                if other is not None and other not in touch.contacts:
                    touch.contacts.append(other)

    def _group_member(self, colleagues: list[int], known: list[int], day: date) -> int | None:
        """Return a colleague met by that day, else a regular met by then."""
        if self.choose.chance(0.4):
            candidate: int = self.choose.pick(colleagues)
            met = self.people[candidate].first_met_on
            if met is not None and met <= day:
                return candidate
        return self.choose.pick(known) if known else None

    # Referrals

    def _draw_referrals(self) -> None:
        """Draw referrals: both ways for collaborators, one way for some, from introducers."""
        met_days = [person.first_met_on or date.max for person in self.people]
        for index, person in enumerate(self.people):
            if person.first_met_on is None:
                continue
            if person.introduced_by is not None and self.choose.chance(0.4):
                self._add_referral(
                    person.introduced_by,
                    person.first_met_on,
                    "received",
                    subject_contact=index,
                )
            given, received = self._referral_counts(person.archetype)
            for direction, count in (("given", given), ("received", received)):
                for _ in range(count):
                    self._draw_referral(index, person.first_met_on, direction, met_days)

    def _referral_counts(self, archetype: str) -> tuple[int, int]:
        """How many referrals to give to and receive from a person of this archetype."""
        randint = self.choose.rng.randint
        if archetype == "collaborator":
            if self.choose.chance(0.7):
                return randint(1, 4), randint(1, 4)
            return (randint(0, 1), 0) if self.choose.chance(0.5) else (0, randint(0, 1))
        if archetype == "trusted" and self.choose.chance(0.25):
            return (randint(1, 3), 0) if self.choose.chance(0.5) else (0, randint(1, 3))
        if archetype == "acquaintance" and self.choose.chance(0.05):
            return (1, 0) if self.choose.chance(0.5) else (0, 1)
        return 0, 0

    def _draw_referral(self, index: int, met: date, direction: str, met_days: list[date]) -> None:
        """Draw one referral after the first meeting; some given ones are introductions."""
        on = self._recent_leaning_day(met)
        if direction == "given" and self.choose.chance(0.2):
            known = bisect.bisect_right(met_days, on)
            other = self.choose.rng.randrange(known) if known else index
            if other != index:
                self._add_referral(index, on, "introduction", other=other)
                return
        self._add_referral(index, on, direction)

    def _recent_leaning_day(self, earliest: date) -> date:
        """A day from earliest to today, more often recent than not."""
        span = (self.today - earliest).days
        return self.today - timedelta(days=int(span * self.choose.rng.random() ** 1.5))

    def _add_referral(
        self,
        contact: int,
        on: date,
        direction: str,
        *,
        other: int | None = None,
        subject_contact: int | None = None,
    ) -> None:
        """Append one referral with a subject, a status fitting its age, and maybe notes."""
        referral = ReferralDraft(on=on, direction=direction, contact=contact, other=other)
        referral.subject_contact = subject_contact
        if subject_contact is None and direction != "introduction":
            subjects = SUBJECTS_RECEIVED if direction == "received" else SUBJECTS_GIVEN
            referral.subject = self.choose.pick(subjects)
        recent = (self.today - on).days <= 30
        weights = STATUS_WEIGHTS_RECENT if recent else STATUS_WEIGHTS_OLD
        referral.status = self.choose.weighted(STATUSES, weights)
        if self.choose.chance(0.2):
            referral.notes = self.choose.pick(REFERRAL_NOTES)
        self.referrals.append(referral)


def _minimum_touches(person: Person) -> int:
    """The touchpoints a person's shape needs at least."""
    if person.archetype != "card":
        return MIN_TOUCHES[person.archetype]
    return {"plain": 1, "with_note": 2, "no_touch": 0, "note_only": 1}[person.shape]


def _met_order(person: Person) -> tuple[date, str]:
    """Sort key: first met first; people never met last."""
    return (person.first_met_on or date.max, person.family_reading + person.family_name)


def allocate(total: int, minimums: list[int], weights: list[float], cap: int) -> list[int]:
    """Share `total` out: each gets its minimum, the rest by weight, none above the cap."""
    counts = list(minimums)
    remaining = total - sum(counts)
    while remaining > 0:
        open_ = [i for i, w in enumerate(weights) if w > 0 and counts[i] < cap]
        if not open_:
            break
        weight_sum = math.fsum(weights[i] for i in open_)
        shares = {i: remaining * weights[i] / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = min(int(shares[i]), cap - counts[i])
            counts[i] += add
            given += add
        if given == 0:
            for i in sorted(open_, key=lambda i: -(shares[i] % 1))[:remaining]:
                counts[i] += 1
                given += 1
        remaining -= given
    return counts


# --- Ids and derived fields --------------------------------------------------------------


def assign_ids(draft: Draft, starts: dict[str, int]) -> None:
    """Number events and people in draft order, touchpoints in the order they happened."""
    for offset, event in enumerate(draft.events):
        event.id = starts["events"] + offset
    for offset, person in enumerate(draft.people):
        person.id = starts["contacts"] + offset
    draft.touches.sort(key=lambda t: (t.on, t.at or time.min))
    for offset, touch in enumerate(draft.touches):
        touch.id = starts["touchpoints"] + offset


def collect_histories(draft: Draft) -> None:
    """Give each person its touches and referrals, as the rules (and load_histories) see them."""
    for touch in draft.touches:
        rule_touch = Touch(
            on=touch.on, kind=touch.kind, follow_up_on=touch.follow_up_on, order=touch.id
        )
        for index in touch.contacts:
            draft.people[index].touches.append(rule_touch)
    for referral in draft.referrals:
        partners: list[tuple[int | None, str]] = [(referral.contact, referral.direction)]
        if referral.direction == "introduction":
            partners = [(referral.contact, "given"), (referral.other, "given")]
        for partner, direction in partners:
            if partner is not None:
                draft.people[partner].referrals.append(RuleReferral(referral.on, direction))


def label_stage(found: str, choose: Chooser) -> str:
    """The stage a user would set: mostly what the evidence says, sometimes behind or ahead."""
    rank = STAGES.index(found)
    roll = choose.rng.random()
    if rank > 0 and roll < 0.12:
        return STAGES[rank - 1]  # a promotion candidate
    if rank < len(STAGES) - 1 and roll > 0.94:
        return STAGES[rank + 1]  # a label ahead of the evidence
    return found
