"""call consent and pending callback topic, idempotency token of call steps

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 22:45:00
"""

from alembic import op
import sqlalchemy as sa
import hotline.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_at', hotline.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('callback_topic', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('callback_activity_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_call_callback_activity_id_activity'), 'activity',
            ['callback_activity_id'], ['id'], ondelete='SET NULL',
        )

    with op.batch_alter_table('call_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_call_step_call_id_request_token'), ['call_id', 'request_token']
        )


def downgrade() -> None:
    with op.batch_alter_table('call_step', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_call_step_call_id_request_token'), type_='unique')
        batch_op.drop_column('request_token')

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_call_callback_activity_id_activity'), type_='foreignkey')
        batch_op.drop_column('callback_activity_id')
        batch_op.drop_column('callback_topic')
        batch_op.drop_column('consent_at')
