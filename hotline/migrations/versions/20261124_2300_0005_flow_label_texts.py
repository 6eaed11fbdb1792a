"""flow versions carry the menu's label texts (applied to the prompt overrides on publishing)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('flow_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_texts', sa.JSON(), server_default='{}', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('flow_version', schema=None) as batch_op:
        batch_op.drop_column('label_texts')
