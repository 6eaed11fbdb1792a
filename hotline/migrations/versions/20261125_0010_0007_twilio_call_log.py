"""when Twilio's copy of a call log was deleted

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 00:10:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("twilio_deleted_at", hotline.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("twilio_deleted_at")
