"""The stage a contact's history supports, next to the stage the user set.

Readings chosen:
- Evidence is counted as of today: touchpoints and referrals dated after today have
  not happened yet and count for nothing.
- Notes are not real touchpoints: they count towards no stage.
- Stages are cumulative from trusted up: collaborator needs the trusted evidence. A
  single worked_together is trusted evidence on its own, even when it is the only
  touchpoint, on one day (working together shows their work; it needs no second day).
- Collaborator needs trust both ways within one channel: a referral each way, or a
  consultation each way. A referral given plus a consultation received is not enough.
  Counts for this are all-time.
- A label is unsupported for one of two reasons: `evidence`, the stage set is ranked above
  the evidence stage; or `no_exchange`, a collaborator with nothing passing either way in
  the last 12 months: no referral and no consultation, in either direction (whatever the
  all-time evidence says). The evidence reason is given when both apply.
- The same recency holds for promotions: the stage a label may take is the evidence stage,
  but trusted where the evidence is a collaborator's and nothing passed either way in 12
  months (promoting them would make an unsupported label). That stage is also the one-step
  fix offered for an unsupported label.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date

from tracker.relationships.history import Touch
from tracker.relationships.referrals import Referral
from tracker.relationships.stages import stage_rank

ACQUAINTANCE_DAYS = 2
TRUSTED_TOUCHES = 4
TRUSTED_SPAN_DAYS = 90
RECENT_MONTHS = 12  # the window in which a collaborator's exchanges must fall
UNSUPPORTED_REASONS = ("evidence", "no_exchange")


@dataclass(frozen=True)
class Evidence:
    stage: str  # the highest stage the evidence supports
    real_count: int
    distinct_days: int
    span_days: int  # last real touch − first real touch
    worked_together: int
    consulted_me: int
    consulted_them: int
    given: int
    received: int

    def as_dict(self) -> dict[str, str | int]:
        """Return the fields as a plain dict."""
        return asdict(self)

    @property
    def has_trusted_evidence(self) -> bool:
        return stage_rank(self.stage) >= stage_rank("trusted")


def evidence(touches: Iterable[Touch], referrals: Iterable[Referral], today: date) -> Evidence:
    """Count what the history shows and the highest stage it supports."""
    past_touches = [touch for touch in touches if touch.on <= today]
    past_referrals = [referral for referral in referrals if referral.on <= today]
    real_days = sorted(touch.on for touch in past_touches if touch.is_real)
    given = sum(1 for referral in past_referrals if referral.is_given)
    return evidence_from_counts(
        real_count=len(real_days),
        distinct_days=len(set(real_days)),
        span_days=(real_days[-1] - real_days[0]).days if real_days else 0,
        worked_together=_count_kind(past_touches, "worked_together"),
        consulted_me=_count_kind(past_touches, "consulted_me"),
        consulted_them=_count_kind(past_touches, "consulted_them"),
        given=given,
        received=len(past_referrals) - given,
    )


def evidence_from_counts(**counts: int) -> Evidence:
    """The evidence from its counts alone (a database can count them), with its stage."""
    found = Evidence(stage="card", **counts)
    return replace(found, stage=_supported_stage(found))


def _count_kind(touches: list[Touch], kind: str) -> int:
    """Count the touches of one kind."""
    return sum(1 for touch in touches if touch.kind == kind)


def _has_trusted_counts(found: Evidence) -> bool:
    """Tell whether the counts show their character and work: time or work together."""
    enough_time = found.real_count >= TRUSTED_TOUCHES and found.span_days >= TRUSTED_SPAN_DAYS
    return enough_time or found.worked_together > 0


def _has_both_ways_counts(found: Evidence) -> bool:
    """Tell whether referrals, or consultations, went both ways."""
    referrals = found.given > 0 and found.received > 0
    consultations = found.consulted_me > 0 and found.consulted_them > 0
    return referrals or consultations


def _supported_stage(found: Evidence) -> str:
    """Return the highest stage the counts support (the stage field is not read)."""
    if _has_trusted_counts(found):
        return "collaborator" if _has_both_ways_counts(found) else "trusted"
    return "acquaintance" if found.distinct_days >= ACQUAINTANCE_DAYS else "card"


def label_supported(evidence_stage: str, exchanges_12m: int) -> str:
    """Return the highest stage the evidence supports as a label today."""
    if evidence_stage == "collaborator" and exchanges_12m == 0:
        return "trusted"
    return evidence_stage


def is_promotion_candidate(set_stage: str, evidence_stage: str, exchanges_12m: int) -> bool:
    """Tell whether the evidence supports a higher label than the one set."""
    return stage_rank(label_supported(evidence_stage, exchanges_12m)) > stage_rank(set_stage)


def unsupported_reason(set_stage: str, evidence_stage: str, exchanges_12m: int) -> str | None:
    """Say why the stage set is ahead of the evidence (evidence or no_exchange), or None.

    ``exchanges_12m`` counts the referrals and consultations, either way, in the last 12
    months.
    """
    if stage_rank(set_stage) > stage_rank(evidence_stage):
        return "evidence"
    if set_stage == "collaborator" and exchanges_12m == 0:
        return "no_exchange"
    return None
