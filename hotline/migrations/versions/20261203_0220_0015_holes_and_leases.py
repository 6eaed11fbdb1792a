"""holes_and_leases: session generation of accounts, urgent terms of one network, voicemail leases,
Twilio copies to erase

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 02:20:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
    # The same word may now stand in several networks' lists; the service refuses duplicates.
    with op.batch_alter_table("urgent_term") as batch_op:
        batch_op.drop_constraint("uq_urgent_term_term", type_="unique")
        batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_urgent_term_network_id"), ["network_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_urgent_term_network_id_network"), "network",
                                    ["network_id"], ["id"], ondelete="CASCADE")


    with op.batch_alter_table("voicemail") as batch_op:
        batch_op.add_column(sa.Column("lease_until", hotline.db.UTCDateTime(), nullable=True))
    op.create_table(
        "twilio_erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("created_at", hotline.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('call', 'recording')", name=op.f("ck_twilio_erasure_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_twilio_erasure")),
    )


def downgrade() -> None:
    op.drop_table("twilio_erasure")
    with op.batch_alter_table("voicemail") as batch_op:
        batch_op.drop_column("lease_until")
    op.execute("DELETE FROM urgent_term WHERE network_id IS NOT NULL")
    with op.batch_alter_table("urgent_term") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_urgent_term_network_id_network"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_urgent_term_network_id"))
        batch_op.drop_column("network_id")
        batch_op.create_unique_constraint("uq_urgent_term_term", ["term"])
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("session_generation")
