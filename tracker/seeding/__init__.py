"""A realistic, reproducible dataset for one user: `flask seed` and the benchmarks.

The same plan and seed give the same rows, byte for byte, on an empty account. Contacts
are ~80 % Japanese (kanji names with their hiragana readings) and ~20 % Western, with
companies, departments, titles, expertise, tags (some with cadences), origin events and
introducers. Touchpoints are spread over the three years before today, with a skewed
(lognormal) number per contact, a card exchange first for most, several contacts on
some, and follow-up dates on some; referrals go both ways and as introductions.

The package: data (the tables drawn from), generator (the draft, in memory), rows (rows,
with the derived fields from tracker.services.derived itself, inserted in batches with
SQLAlchemy Core, so that a `flask recompute` afterwards changes nothing) and command
(`flask seed`). Records (touchpoints, referrals, events, first meetings, archive times) are
never dated after today; follow-up dates and snoozes are plans, and may lie ahead, as the
app allows.
"""

from tracker.seeding.command import plan_for, seed_command
from tracker.seeding.generator import TIERS, SeedPlan
from tracker.seeding.rows import SeedCounts, seed_user, table

__all__ = ["TIERS", "SeedCounts", "SeedPlan", "plan_for", "seed_command", "seed_user", "table"]
