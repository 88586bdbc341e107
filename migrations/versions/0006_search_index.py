"""An index for searching contacts' stored search keys

Revision ID: 0006
Revises: 0005

SQLite: an FTS5 table with the trigram tokenizer over contacts.search_key (external content,
kept in step by triggers). PostgreSQL: a pg_trgm GIN index on the same column. Both answer
a substring search of three characters or more from the index; shorter terms still read the
stored keys of the user's contacts (no trigram fits in them).

A later migration that rebuilds the contacts table on SQLite (batch mode) drops these
triggers with the table, and must create them again (see create_sqlite below).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "contacts_search_insert": (
        "AFTER INSERT ON contacts BEGIN "
        "INSERT INTO contacts_search(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
    "contacts_search_delete": (
        "AFTER DELETE ON contacts BEGIN "
        "INSERT INTO contacts_search(contacts_search, rowid, search_key) "
        "VALUES ('delete', old.id, old.search_key); END"
    ),
    "contacts_search_update": (
        "AFTER UPDATE OF search_key ON contacts BEGIN "
        "INSERT INTO contacts_search(contacts_search, rowid, search_key) "
        "VALUES ('delete', old.id, old.search_key); "
        "INSERT INTO contacts_search(rowid, search_key) VALUES (new.id, new.search_key); END"
    ),
}


def create_sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE contacts_search USING fts5("
        "search_key, content='contacts', content_rowid='id', tokenize='trigram')"
    )
    op.execute("INSERT INTO contacts_search(contacts_search) VALUES ('rebuild')")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite()
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_contacts_search_key_trgm ON contacts "
            "USING gin (search_key gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS contacts_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_contacts_search_key_trgm")
