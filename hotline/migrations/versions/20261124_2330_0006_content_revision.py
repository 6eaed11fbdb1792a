"""content revision counter, so web processes can cache line content safely

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_content_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revision")),
    )
    op.bulk_insert(table, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("content_revision")
