"""Stemmed full-text search: a Snowball-stemmed FTS5 index on SQLite, per-language tsvector on PostgreSQL

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from alembic import op

from newsdesk.text.stems import SNOWBALL

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# SQLite: the FTS5 table indexes a view of each article's title and body as Snowball stems of its language
# (newsdesk_stems is registered on every connection of the store); the triggers keep it in step.
STEMMED = "newsdesk_stems(language, title) AS title, newsdesk_stems(language, body_text) AS body_text"
SQLITE_UP = [
    f"CREATE VIEW articles_stemmed AS SELECT rowid AS rowid, {STEMMED} FROM articles",
    "CREATE VIRTUAL TABLE articles_stems USING fts5(title, body_text, content='articles_stemmed', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_stems_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_stems(rowid, title, body_text) VALUES (new.rowid, "
    "newsdesk_stems(new.language, new.title), newsdesk_stems(new.language, new.body_text)); END",
    "CREATE TRIGGER articles_stems_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_stems(articles_stems, rowid, title, body_text) VALUES ('delete', old.rowid, "
    "newsdesk_stems(old.language, old.title), newsdesk_stems(old.language, old.body_text)); END",
    "CREATE TRIGGER articles_stems_au AFTER UPDATE OF title, body_text, language ON articles BEGIN "
    "INSERT INTO articles_stems(articles_stems, rowid, title, body_text) VALUES ('delete', old.rowid, "
    "newsdesk_stems(old.language, old.title), newsdesk_stems(old.language, old.body_text)); "
    "INSERT INTO articles_stems(rowid, title, body_text) VALUES (new.rowid, "
    "newsdesk_stems(new.language, new.title), newsdesk_stems(new.language, new.body_text)); END",
    "INSERT INTO articles_stems(articles_stems) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS articles_stems_ai",
    "DROP TRIGGER IF EXISTS articles_stems_ad",
    "DROP TRIGGER IF EXISTS articles_stems_au",
    "DROP TABLE IF EXISTS articles_stems",
    "DROP VIEW IF EXISTS articles_stemmed",
]
# PostgreSQL: the text search configuration of the article's language ('simple' for one it has none of).
POSTGRES_CONFIGS = ("english", "german", "spanish", "french", "italian", "portuguese", "dutch", "swedish")


def postgres_config_case() -> str:
    """A CASE choosing the article's text search configuration by its language code."""
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'::regconfig"
        for code, name in SNOWBALL.items()
        if name in POSTGRES_CONFIGS
    )
    return f"CASE language {cases} ELSE 'simple'::regconfig END"


def postgres_vector(config: str) -> str:
    return (
        f"setweight(to_tsvector({config}, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector({config}, coalesce(body_text, '')), 'B')"
    )


def postgres_statements(config: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_search_vector",
        "ALTER TABLE articles DROP COLUMN search_vector",
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"({postgres_vector(config)}) STORED",
        "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = SQLITE_UP
    elif dialect == "postgresql":
        statements = postgres_statements(postgres_config_case())
    else:
        statements = []
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = SQLITE_DOWN
    elif dialect == "postgresql":
        statements = postgres_statements("'simple'::regconfig")
    else:
        statements = []
    for statement in statements:
        op.execute(statement)
