"""Ids never reused on every table whose ids leave the database; no row points into another
account; two-step sign-in

Revision ID: 0011
Revises: 0015

- Events, tags and contact methods get AUTOINCREMENT on SQLite (contacts, touchpoints and
  referrals have it since 0004): SQLite otherwise hands a deleted highest id to the next
  row, whoever owns it, and an old id (in a trash entry, a link) then names someone else's
  row. On PostgreSQL the six tables' serial ids become identity columns, starting after
  the highest id the old sequence ever gave.
- References that cross accounts (left by trash restores before this release: a contact
  "met at" another user's event) are cleared: the owner's own rows stay, the link goes.
- users gets the two-step sign-in columns; recovery_codes holds the hashes of the
  one-time recovery codes.

Only events, tags and contact_methods are rebuilt on SQLite: 0006's search triggers live
on contacts, which is left alone.
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0015"
branch_labels = None
depends_on = None

REBUILT_ON_SQLITE = ("events", "tags", "contact_methods")
IDENTITY_ON_POSTGRES = ("events", "tags", "contacts", "contact_methods", "touchpoints", "referrals")

# Each statement clears (or, for link rows, deletes) a reference to another account's row.
CROSS_ACCOUNT_REPAIRS = (
    "UPDATE contacts SET origin_event_id = NULL WHERE origin_event_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.id = contacts.origin_event_id AND e.user_id = contacts.user_id)",
    "UPDATE contacts SET introduced_by_id = NULL WHERE introduced_by_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM contacts c WHERE c.id = contacts.introduced_by_id AND c.user_id = contacts.user_id)",
    "UPDATE touchpoints SET event_id = NULL WHERE event_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.id = touchpoints.event_id AND e.user_id = touchpoints.user_id)",
    "UPDATE referrals SET subject_contact_id = NULL WHERE subject_contact_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM contacts c WHERE c.id = referrals.subject_contact_id AND c.user_id = referrals.user_id)",
    "UPDATE referrals SET other_contact_id = NULL WHERE other_contact_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM contacts c WHERE c.id = referrals.other_contact_id AND c.user_id = referrals.user_id)",
    "DELETE FROM referrals WHERE NOT EXISTS "
    "(SELECT 1 FROM contacts c WHERE c.id = referrals.contact_id AND c.user_id = referrals.user_id)",
    "DELETE FROM touchpoint_contacts WHERE NOT EXISTS "
    "(SELECT 1 FROM touchpoints t JOIN contacts c ON c.user_id = t.user_id "
    "WHERE t.id = touchpoint_contacts.touchpoint_id AND c.id = touchpoint_contacts.contact_id)",
    "DELETE FROM contact_tags WHERE NOT EXISTS "
    "(SELECT 1 FROM contacts c JOIN tags t ON t.user_id = c.user_id "
    "WHERE c.id = contact_tags.contact_id AND t.id = contact_tags.tag_id)",
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_pending", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])

    for statement in CROSS_ACCOUNT_REPAIRS:
        op.execute(statement)

    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(autoincrement=True)
    else:
        for table in IDENTITY_ON_POSTGRES:
            _serial_to_identity(table)


def _rebuild_on_sqlite(*, autoincrement: bool) -> None:
    for table in REBUILT_ON_SQLITE:
        with warnings.catch_warnings():
            # Reflecting contact_methods reads contacts too, with 0007's index on an
            # expression, which SQLite cannot reflect (and the rebuild does not touch).
            warnings.filterwarnings("ignore", "Skipped unsupported reflection")
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
            ):
                pass


def _serial_to_identity(table: str) -> None:
    bind = op.get_bind()
    identity = bind.execute(
        sa.text(
            "SELECT is_identity FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = :table AND column_name = 'id'"
        ),
        {"table": table},
    ).scalar()
    if identity == "YES":
        return
    start = bind.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")).scalar()
    sequence = bind.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
    ).scalar()
    if sequence:
        # Past the highest id the sequence ever gave, even if that row is gone.
        last, called = bind.execute(sa.text(f"SELECT last_value, is_called FROM {sequence}")).one()
        start = max(start, last + 1 if called else last)
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP DEFAULT")
        op.execute(f"DROP SEQUENCE {sequence}")
    op.execute(
        f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
        f"(START WITH {int(start)})"
    )


def _identity_to_serial(table: str) -> None:
    bind = op.get_bind()
    sequence = bind.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
    ).scalar()
    last, called = bind.execute(sa.text(f"SELECT last_value, is_called FROM {sequence}")).one()
    op.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY")
    op.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
    op.execute(f"SELECT setval('{table}_id_seq', {int(last)}, {'true' if called else 'false'})")
    op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(autoincrement=False)
    else:
        for table in IDENTITY_ON_POSTGRES:
            _identity_to_serial(table)
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending")
        batch_op.drop_column("totp_secret")
