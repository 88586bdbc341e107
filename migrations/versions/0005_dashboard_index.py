"""Indexes pages read from alone: the dashboard's (instead of one on stage), the lists'

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The lists' indexes gain archived_at: active contacts are read from the index alone.
LISTS = {
    "ix_contacts_user_id_sort_key": "sort_key",
    "ix_contacts_user_id_last_touch_on": "last_touch_on",
    "ix_contacts_user_id_strength_level": "strength_level",
}
COVERING = [
    "user_id",
    "next_due_on",
    "archived_at",
    "snoozed_until",
    "last_touch_on",
    "cooling_on",
    "dormant_after",
    "stage",
    "sort_key",
]


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_user_id_next_due_on")
        batch_op.create_index("ix_contacts_user_id_next_due_on", COVERING, unique=False)
        # SQLite took this one to group the dashboard's counts and read every row; without
        # it the covering index answers them from the index alone, twice as fast.
        batch_op.drop_index("ix_contacts_user_id_stage")
        for name, column in LISTS.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, ["user_id", "archived_at", column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for name, column in LISTS.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, ["user_id", column], unique=False)
        batch_op.create_index("ix_contacts_user_id_stage", ["user_id", "stage"], unique=False)
        batch_op.drop_index("ix_contacts_user_id_next_due_on")
        batch_op.create_index("ix_contacts_user_id_next_due_on", ["user_id", "next_due_on"], unique=False)
