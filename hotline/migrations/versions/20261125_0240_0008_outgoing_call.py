"""outgoing calls (click-to-call), until Twilio's log of them is deleted

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 02:40:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outgoing_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("started_at", hotline.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["callback_request.id"],
                                name=op.f("fk_outgoing_call_request_id_callback_request"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_call")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_outgoing_call_call_sid")),
    )
    with op.batch_alter_table("outgoing_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outgoing_call_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outgoing_call_started_at"), ["started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outgoing_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outgoing_call_started_at"))
        batch_op.drop_index(batch_op.f("ix_outgoing_call_request_id"))
    op.drop_table("outgoing_call")
