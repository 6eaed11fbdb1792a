"""worker_heartbeat: when a worker last took a job, for /healthz and `hotline doctor`

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 15:22:28
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeat",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seen_at", hotline.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_worker_heartbeat_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_heartbeat")),
    )


def downgrade() -> None:
    op.drop_table("worker_heartbeat")
