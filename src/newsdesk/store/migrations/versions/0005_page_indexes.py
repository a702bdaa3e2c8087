"""Indexes the reader pages need: copies, category and story timelines, top stories

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_index("ix_articles_category_published", "articles", ["category_slug", "published_at"])
    op.create_index("ix_articles_story_published", "articles", ["story_id", "published_at"])
    op.create_index("ix_stories_rank", "stories", ["merged_into", "source_count", "last_seen_at"])


def downgrade() -> None:
    op.drop_index("ix_stories_rank", "stories")
    op.drop_index("ix_articles_story_published", "articles")
    op.drop_index("ix_articles_category_published", "articles")
    op.drop_index("ix_articles_duplicate_of", "articles")
