"""sources.body_hash and sources.poll_interval: an unchanged feed body costs no parsing

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch_op:
        batch_op.add_column(sa.Column("body_hash", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("poll_interval", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch_op:
        batch_op.drop_column("poll_interval")
        batch_op.drop_column("body_hash")
