"""Stored evidence and exchanges on contacts; a series on events

Revision ID: 0010
Revises: 0009

The review, the places report and the cold list read what they need from each contact's row
instead of counting its history on every request: the first real touch, the evidence's
counts, and the days of the two latest exchanges each way (tracker.relationships.derived).
real_touches stays NULL until a contact is derived, so `flask db upgrade` recomputes every
contact after this migration (tracker.services.derived.recompute_stale).

Events gain a series: the events of one series (a monthly 朝会) count as one place.

Plain ADD COLUMN statements: the contacts table is not rebuilt, so 0006's search triggers
stay as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DATES = ("first_touch_on", "last_gave_on", "second_gave_on", "last_received_on", "second_received_on")
COUNTS = (
    "touch_days",
    "worked_together",
    "consulted_me",
    "consulted_them",
    "referrals_given",
    "referrals_received",
)


def upgrade() -> None:
    op.add_column("events", sa.Column("series", sa.String(length=200), server_default="", nullable=False))
    for name in DATES:
        op.add_column("contacts", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("contacts", sa.Column("real_touches", sa.Integer(), nullable=True))
    for name in COUNTS:
        op.add_column("contacts", sa.Column(name, sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    for name in (*DATES, "real_touches", *COUNTS):
        op.drop_column("contacts", name)
    op.drop_column("events", "series")
