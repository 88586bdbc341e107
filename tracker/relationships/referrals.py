"""A referral as the rules see it: a date and which way it went."""

from dataclasses import dataclass
from datetime import date

# An introduction of A to B reaches the rules as "given" for each of A and B:
# the caller expands it, so the rules only ever see these two directions.
REFERRAL_DIRECTIONS = ("given", "received")


@dataclass(frozen=True)
class Referral:
    on: date
    direction: str  # "given": I referred someone to the contact; "received": they to me

    def __post_init__(self) -> None:
        if self.direction not in REFERRAL_DIRECTIONS:
            raise ValueError(f"unknown referral direction: {self.direction!r}")

    @property
    def is_given(self) -> bool:
        return self.direction == "given"
