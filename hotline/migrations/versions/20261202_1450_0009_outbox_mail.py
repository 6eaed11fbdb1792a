"""e-mail outbox: one row per message and recipient, sent by a job after the commit

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:50:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", hotline.db.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", hotline.db.UTCDateTime(), nullable=True),
        sa.Column("sent_at", hotline.db.UTCDateTime(), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed')",
                           name=op.f("ck_outbox_mail_state_known")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_mail_attempts_not_negative")),
        sa.CheckConstraint("state <> 'sent' OR sent_at IS NOT NULL", name=op.f("ck_outbox_mail_sent_has_time")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mail")),
    )
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_mail_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_mail_next_attempt_at"))
    op.drop_table("outbox_mail")
