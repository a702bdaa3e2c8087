"""Story categories: one category per story across its languages, and each article's own classification

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("category_slug", sa.String(40), nullable=True))
    op.add_column("stories", sa.Column("category_method", sa.String(20), nullable=True))
    op.add_column("articles", sa.Column("own_category_slug", sa.String(40), nullable=True))
    op.execute("UPDATE articles SET own_category_slug = category_slug")


def downgrade() -> None:
    op.drop_column("articles", "own_category_slug")
    op.drop_column("stories", "category_method")
    op.drop_column("stories", "category_slug")
