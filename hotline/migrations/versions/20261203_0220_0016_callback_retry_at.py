"""callback_retry_at: a request not reached stays with the volunteer until the next try

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 02:20:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("callback_request") as batch_op:
        batch_op.add_column(sa.Column("retry_at", hotline.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table("callback_attempt") as batch_op:
        batch_op.add_column(sa.Column("retry_at", hotline.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("callback_attempt") as batch_op:
        batch_op.drop_column("retry_at")
    with op.batch_alter_table("callback_request") as batch_op:
        batch_op.drop_column("retry_at")
