"""Stored evidence and exchanges on contacts; a series on events

Revision ID: 0010
Revises: 0011

The review, the places report and the cold list read what they need from each contact's row
instead of counting its history on every request: the first real touch, the evidence's
counts, and the days of the two latest exchanges each way (tracker.relationships.derived).
real_touches stays NULL until a contact is derived, so `flask db upgrade` recomputes every
contact after this migration (tracker.services.derived.recompute_stale).

Events gain a series: the events of one series (a monthly 朝会) count as one place.

Indexes cover what the review decides on (stage, evidence stage, strength, the exchange
days, the name key) and what the places report counts (per event and per introducer: stage
and referrals), so that neither reads wide rows. The dashboard's covering index gains the
first touch and the day met (which flagged cards have faded), and leads with archived_at
after the user, as the other list indexes do, so that SQLite keeps choosing it.

Plain ADD COLUMN statements: the contacts table is not rebuilt, so 0006's search triggers
stay as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None

DATES = ("first_touch_on", "last_gave_on", "second_gave_on", "last_received_on", "second_received_on")
# The review decides who is a candidate, unsupported or one way from this index alone.
REVIEW_INDEX = (
    "user_id",
    "stage",
    "archived_at",
    "evidence_stage",
    "strength_level",
    "last_gave_on",
    "last_received_on",
    "second_gave_on",
    "second_received_on",
    "sort_key",
)
PLACES_INDEXES = {
    "ix_contacts_user_id_origin_event_id": "origin_event_id",
    "ix_contacts_user_id_introduced_by_id": "introduced_by_id",
}
DASHBOARD_BEFORE = (
    "user_id",
    "next_due_on",
    "archived_at",
    "snoozed_until",
    "last_touch_on",
    "cooling_on",
    "dormant_after",
    "stage",
    "sort_key",
)
DASHBOARD_AFTER = (
    "user_id",
    "archived_at",
    "next_due_on",
    "snoozed_until",
    "last_touch_on",
    "cooling_on",
    "dormant_after",
    "stage",
    "sort_key",
    "first_touch_on",
    "first_met_on",
)
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
    op.create_index("ix_contacts_user_id_review", "contacts", list(REVIEW_INDEX), unique=False)
    for name, column in PLACES_INDEXES.items():
        columns = ["user_id", column, "stage", "referrals_given", "referrals_received"]
        op.create_index(name, "contacts", columns, unique=False)
    op.drop_index("ix_contacts_user_id_next_due_on", table_name="contacts")
    op.create_index(
        "ix_contacts_user_id_next_due_on", "contacts", list(DASHBOARD_AFTER), unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_user_id_next_due_on", table_name="contacts")
    op.create_index(
        "ix_contacts_user_id_next_due_on", "contacts", list(DASHBOARD_BEFORE), unique=False
    )
    for name in PLACES_INDEXES:
        op.drop_index(name, table_name="contacts")
    op.drop_index("ix_contacts_user_id_review", table_name="contacts")
    for name in (*DATES, "real_touches", *COUNTS):
        op.drop_column("contacts", name)
    op.drop_column("events", "series")
