"""Related articles found by the stories stage: the nearest reports of other stories, with their score

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "related_articles",
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "related_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("score", sa.Float(), nullable=False),
    )
    op.create_index("ix_related_articles_related_id", "related_articles", ["related_id"])


def downgrade() -> None:
    op.drop_index("ix_related_articles_related_id", "related_articles")
    op.drop_table("related_articles")
