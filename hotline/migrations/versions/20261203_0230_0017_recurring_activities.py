"""recurring_activities: an activity or the welcome meeting may repeat, with an end date and cancelled dates

Existing activities become one-off ones with their dates and announcement windows unchanged; the
announcement end becomes optional (a weekly group has none). The welcome meeting's text stays as its
note, read as before until a date is entered.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 02:30:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_FREQUENCIES = "'once', 'weekly', 'biweekly', 'monthly_weekday', 'monthly_date'"


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch_op:
        batch_op.add_column(sa.Column("frequency", sa.String(length=20), server_default="once", nullable=False))
        batch_op.add_column(sa.Column("repeat_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_dates", sa.JSON(), server_default="[]", nullable=False))
        batch_op.alter_column("valid_until", existing_type=sa.Date(), nullable=True)
        batch_op.create_check_constraint(op.f("ck_activity_frequency_known"), f"frequency IN ({_FREQUENCIES})")
    with op.batch_alter_table("newcomer_info") as batch_op:
        batch_op.add_column(sa.Column("welcome_starts_at", hotline.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("welcome_frequency", sa.String(length=20), server_default="once",
                                      nullable=False))
        batch_op.add_column(sa.Column("welcome_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("welcome_cancelled", sa.JSON(), server_default="[]", nullable=False))
        batch_op.create_check_constraint(op.f("ck_newcomer_info_welcome_frequency_known"), f"welcome_frequency IN ({_FREQUENCIES})")


def downgrade() -> None:
    with op.batch_alter_table("newcomer_info") as batch_op:
        batch_op.drop_constraint(op.f("ck_newcomer_info_welcome_frequency_known"), type_="check")
        for column in ("welcome_cancelled", "welcome_until", "welcome_frequency", "welcome_starts_at"):
            batch_op.drop_column(column)
    # An open announcement end becomes the first date: the activity was at least announced until then.
    op.execute("UPDATE activity SET valid_until = valid_from WHERE valid_until IS NULL")
    with op.batch_alter_table("activity") as batch_op:
        batch_op.drop_constraint(op.f("ck_activity_frequency_known"), type_="check")
        batch_op.alter_column("valid_until", existing_type=sa.Date(), nullable=False)
        for column in ("cancelled_dates", "repeat_until", "frequency"):
            batch_op.drop_column(column)
