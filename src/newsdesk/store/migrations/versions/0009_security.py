"""Security: the site's generated secret key, per-reader session versions, banned readers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("banned_at", sa.DateTime(), nullable=True))
    op.create_index("ix_comments_user_id_created_at", "comments", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_comments_user_id_created_at", "comments")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("banned_at")
        batch_op.drop_column("session_version")
    op.drop_table("site_secrets")
