"""The morning mail: each user's hour, and one claim row per user and day

Revision ID: 0013
Revises: 0009

``users.digest_hour`` is the hour (0–23, the user's own time) after which the morning mail
goes out; NULL means it is off. ``digest_mails`` holds one row per user and day, written
before the mail is sent: its unique key is what keeps two overlapping runs of
``flask send-digests`` from both sending it.
"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_mails_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_mails")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_digest_mails_user_id_day")),
    )
    # A plain ADD COLUMN: SQLite does not rebuild the users table for it.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_hour", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_hour")
    op.drop_table("digest_mails")
