"""The fields real contact files carry: middle name, nickname, company reading, anniversary

Revision ID: 0015
Revises: 0013

Imports used to glue middle names into the given name and drop nicknames, the company's
reading (X-PHONETIC-ORG, Eight's 会社名よみ) and anniversaries. Four columns keep them; the
company reading also goes into the search and sort keys, which the app rebuilds on the
next save of each contact (a contact without one keeps the keys it has). Adding columns
with a server default rebuilds no table, so 0006's search triggers stay as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (("additional_name", 100), ("nickname", 100), ("company_reading", 200))


def upgrade() -> None:
    for name, length in _TEXT_COLUMNS:
        op.add_column(
            "contacts", sa.Column(name, sa.String(length), nullable=False, server_default="")
        )
    op.add_column("contacts", sa.Column("anniversary", sa.String(10), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of the table would drop 0006's triggers.
    for name in ("anniversary", *reversed([name for name, _ in _TEXT_COLUMNS])):
        op.drop_column("contacts", name)
