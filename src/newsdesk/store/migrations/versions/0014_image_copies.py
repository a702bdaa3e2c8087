"""Image copies: resized copies of articles' images, what was copied per article, readers' story visits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "image_files",
        sa.Column(
            "article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("width", sa.Integer(), primary_key=True),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("images_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("image_copies", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("images_note", sa.Text(), nullable=False, server_default=""))
    op.create_index(
        "ix_articles_images_pending",
        "articles",
        ["first_seen_at"],
        sqlite_where=sa.text("images_at IS NULL"),
        postgresql_where=sa.text("images_at IS NULL"),
    )
    with op.batch_alter_table("follows") as batch_op:
        batch_op.add_column(sa.Column("seen_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("follows") as batch_op:
        batch_op.drop_column("seen_at")
    op.drop_index("ix_articles_images_pending", table_name="articles")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_column("images_note")
        batch_op.drop_column("image_copies")
        batch_op.drop_column("images_at")
    op.drop_table("image_files")
