"""Reading state for reader apps: per-reader read marks and horizons, app passwords, articles' item numbers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Existing articles are numbered in the order they arrived; new ones get the next number from the database.
NUMBER_EXISTING = (
    "UPDATE articles SET item_no = numbered.n FROM "
    "(SELECT id, row_number() OVER (ORDER BY first_seen_at, id) AS n FROM articles) AS numbered "
    "WHERE articles.id = numbered.id"
)
SQLITE_NUMBERING = [
    "CREATE TABLE article_numbers (last INTEGER NOT NULL)",
    "INSERT INTO article_numbers (last) SELECT COALESCE(MAX(item_no), 0) FROM articles",
    "CREATE TRIGGER articles_item_no AFTER INSERT ON articles WHEN new.item_no IS NULL BEGIN "
    "UPDATE article_numbers SET last = last + 1; "
    "UPDATE articles SET item_no = (SELECT last FROM article_numbers) WHERE rowid = new.rowid; END",
]
POSTGRES_NUMBERING = [
    "CREATE SEQUENCE articles_item_no_seq OWNED BY articles.item_no",
    "SELECT setval('articles_item_no_seq', COALESCE((SELECT MAX(item_no) FROM articles), 0) + 1, false)",
    "ALTER TABLE articles ALTER COLUMN item_no SET DEFAULT nextval('articles_item_no_seq')",
]


def upgrade() -> None:
    op.add_column("articles", sa.Column("item_no", sa.BigInteger(), nullable=True))
    op.execute(NUMBER_EXISTING)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_NUMBERING if dialect == "sqlite" else POSTGRES_NUMBERING:
        op.execute(statement)
    op.create_index("ix_articles_item_no", "articles", ["item_no"], unique=True)
    op.create_table(
        "article_states",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_article_states_article_id", "article_states", ["article_id"])
    op.create_table(
        "reading_horizons",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("read_before", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "app_passwords",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("fever_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_app_passwords_user_id", "app_passwords", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_app_passwords_user_id", "app_passwords")
    op.drop_table("app_passwords")
    op.drop_table("reading_horizons")
    op.drop_index("ix_article_states_article_id", "article_states")
    op.drop_table("article_states")
    op.drop_index("ix_articles_item_no", "articles")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER articles_item_no")
        op.execute("DROP TABLE article_numbers")
        # In place (SQLite 3.35+): a copied table would lose the search triggers.
        op.execute("ALTER TABLE articles DROP COLUMN item_no")
    else:
        op.drop_column("articles", "item_no")
