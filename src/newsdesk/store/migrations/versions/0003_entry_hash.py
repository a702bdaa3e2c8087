"""articles.entry_hash and a (source_id, guid) index: dedup of feed entries before any fetch

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.create_index("ix_articles_source_guid", ["source_id", "guid"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_index("ix_articles_source_guid")
        batch_op.drop_column("entry_hash")
