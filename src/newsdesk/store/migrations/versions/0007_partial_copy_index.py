"""Index only the copies (duplicate_of IS NOT NULL): a full index misled SQLite on 'IS NULL' filters

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_articles_duplicate_of", "articles")
    where = sa.text("duplicate_of IS NOT NULL")
    op.create_index(
        "ix_articles_copies", "articles", ["duplicate_of"], sqlite_where=where, postgresql_where=where
    )


def downgrade() -> None:
    op.drop_index("ix_articles_copies", "articles")
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
