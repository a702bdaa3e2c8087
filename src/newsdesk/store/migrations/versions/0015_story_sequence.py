"""Story assignment sequence: every article assigned or moved to a story carries the number of that write

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("story_seq", sa.BigInteger(), nullable=True))
    op.create_index("ix_articles_story_seq", "articles", ["story_seq"])
    op.create_table(
        "story_sequence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO story_sequence (id, value) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("story_sequence")
    op.drop_index("ix_articles_story_seq", "articles")
    op.drop_column("articles", "story_seq")
