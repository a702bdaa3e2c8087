"""Feeds in the wild: dropped entries with their reasons, pages still to fetch, enclosures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dropped_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("guid", sa.String(2000), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("retry", sa.Boolean(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_dropped_entries_source_id", "dropped_entries", ["source_id"])
    op.create_table(
        "article_enclosures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=True),
        sa.Column("medium", sa.String(20), nullable=False),
    )
    op.create_index("ix_article_enclosures_article_id", "article_enclosures", ["article_id"])
    # Plain ADD COLUMN: a batch copy of the table on SQLite would lose the trigger that numbers articles.
    op.add_column(
        "articles", sa.Column("page_pending", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("articles", sa.Column("page_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("articles", sa.Column("page_retry_at", sa.DateTime(), nullable=True))
    op.create_index("ix_articles_page_retry_at", "articles", ["page_retry_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_page_retry_at", "articles")
    for column in ("page_retry_at", "page_attempts", "page_pending"):
        op.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    op.drop_index("ix_article_enclosures_article_id", "article_enclosures")
    op.drop_table("article_enclosures")
    op.drop_index("ix_dropped_entries_source_id", "dropped_entries")
    op.drop_table("dropped_entries")
