"""What understanding adds to an article: language, category confidence, key facts, vectors, summaries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("category_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("enrichment_errors", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("processed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("summary_cache", sa.JSON(), nullable=True))
        batch_op.create_index("ix_articles_processed_at", ["processed_at"])
    with op.batch_alter_table("stories") as batch_op:
        batch_op.add_column(sa.Column("summary_cache", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("facts_cache", sa.JSON(), nullable=True))
    op.create_table(
        "article_vectors",
        sa.Column(
            "article_id",
            sa.String(length=32),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_vectors")
    with op.batch_alter_table("stories") as batch_op:
        batch_op.drop_column("facts_cache")
        batch_op.drop_column("summary_cache")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_index("ix_articles_processed_at")
        batch_op.drop_column("summary_cache")
        batch_op.drop_column("processed_at")
        batch_op.drop_column("enrichment_errors")
        batch_op.drop_column("facts")
        batch_op.drop_column("category_confidence")
