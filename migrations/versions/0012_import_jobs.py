"""Import jobs as rows: status, progress, error and heartbeat in the draft's row

Revision ID: 0012
Revises: 0016

An import's progress lived in the memory of the process that ran it; now the draft's row
holds it (done_count of total_count, error, heartbeat_at), written by that process, so every
process shows it and a stopped heartbeat tells an interrupted import from a slow one.
runner is the token of the run that owns a running import; import_job_contacts lists the
contacts it has made and new_tag_ids the tags, so that an import that does not finish can
be removed whole. A partial unique index lets one import run at a time in an account.

Imports marked running before this revision ran on a thread of a process that is gone (they
were one transaction: nothing of them was saved), so they are marked failed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0016"
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    op.execute("UPDATE import_drafts SET status = 'failed' WHERE status = 'running'")
    with op.batch_alter_table("import_drafts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("policy", sa.String(length=10), nullable=False, server_default="merge")
        )
        batch_op.add_column(
            sa.Column("done_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("total_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("runner", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("new_tag_ids", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "import_job_contacts",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_import_job_contacts_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["import_drafts.id"],
            name=op.f("fk_import_job_contacts_draft_id_import_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", "contact_id", name=op.f("pk_import_job_contacts")),
    )
    op.create_index(
        op.f("ix_import_job_contacts_contact_id"),
        "import_job_contacts",
        ["contact_id"],
        unique=False,
    )
    op.create_index(
        "uq_import_drafts_user_id_running",
        "import_drafts",
        ["user_id"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("uq_import_drafts_user_id_running", table_name="import_drafts")
    op.drop_index(op.f("ix_import_job_contacts_contact_id"), table_name="import_job_contacts")
    op.drop_table("import_job_contacts")
    with op.batch_alter_table("import_drafts", schema=None) as batch_op:
        for column in (
            "finished_at",
            "heartbeat_at",
            "started_at",
            "new_tag_ids",
            "runner",
            "error",
            "total_count",
            "done_count",
            "policy",
        ):
            batch_op.drop_column(column)
