"""typed_digits_off_urls_no_spoken_input: typed digits kept with the call, not in URLs; no spoken-input switch

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-02 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call") as batch_op:
        batch_op.add_column(sa.Column("typed_digits", sa.String(length=64), nullable=True))
    # Every Gather takes keys only; the switch was stored but changed nothing.
    with op.batch_alter_table("network") as batch_op:
        batch_op.drop_column("spoken_input")


def downgrade() -> None:
    with op.batch_alter_table("network") as batch_op:
        batch_op.add_column(sa.Column("spoken_input", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("call") as batch_op:
        batch_op.drop_column("typed_digits")
