"""activity_drafts_and_proposals: activities wait as drafts or volunteers' proposals before the line reads them

Live activities stay in `activity` (all of them count as published); who entered and who published
each is kept from now on. `user_network.publishes_directly` marks the volunteers a Begleitung lets
publish their own activities. Downgrading drops the drafts and proposals not yet published.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 06:32:40
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# The rows that name an activity. SQLite rebuilds the activity table to change its foreign keys;
# foreign keys are on and cannot be switched off inside the migration's transaction, so dropping
# the old copy would set these to NULL. They are read before and written back after.
_REFERENCES = (("callback_request", "activity_id"), ("call", "callback_activity_id"))
References = list[tuple[sa.TableClause, str, list[dict[str, int]]]]


def _keep_references() -> References:
    if op.get_bind().dialect.name != "sqlite":
        return []
    kept: References = []
    for name, column in _REFERENCES:
        table = sa.table(name, sa.column("id"), sa.column(column))
        rows = op.get_bind().execute(sa.select(table.c.id, table.c[column]).where(table.c[column].is_not(None)))
        kept.append((table, column, [{"row_id": row_id, "target": target} for row_id, target in rows]))
    return kept


def _put_back(kept: References) -> None:
    for table, column, rows in kept:
        if rows:
            op.get_bind().execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                                  .values({column: sa.bindparam("target")}), rows)


def upgrade() -> None:
    kept = _keep_references()
    op.create_table(
        "activity_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", hotline.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hotline.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("proposed_at", hotline.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", hotline.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("frequency", sa.String(length=20), server_default="once", nullable=False),
        sa.Column("repeat_until", sa.Date(), nullable=True),
        sa.Column("cancelled_dates", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(length=200), server_default="", nullable=False),
        sa.CheckConstraint("frequency IN ('once', 'weekly', 'biweekly', 'monthly_weekday', 'monthly_date')",
                           name=op.f("ck_activity_draft_frequency_known")),
        sa.CheckConstraint("state IN ('draft', 'proposed', 'returned')", name=op.f("ck_activity_draft_state_known")),
        sa.CheckConstraint("title <> ''", name=op.f("ck_activity_draft_title_not_empty")),
        sa.CheckConstraint("valid_from <= valid_until", name=op.f("ck_activity_draft_valid_range")),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"],
                                name=op.f("fk_activity_draft_activity_id_activity"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"],
                                name=op.f("fk_activity_draft_author_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"],
                                name=op.f("fk_activity_draft_network_id_network"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["returned_by_id"], ["user_account.id"],
                                name=op.f("fk_activity_draft_returned_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_draft")),
        sa.UniqueConstraint("activity_id", name=op.f("uq_activity_draft_activity_id")),
    )
    with op.batch_alter_table("activity_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_draft_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_draft_network_id"), ["network_id"], unique=False)

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_at", hotline.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.String(length=200), server_default="", nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_activity_published_by_id_user_account"), "user_account", ["published_by_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_activity_entered_by_id_user_account"), "user_account", ["entered_by_id"], ["id"], ondelete="SET NULL")
    _put_back(kept)

    with op.batch_alter_table("user_network", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publishes_directly", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    kept = _keep_references()
    with op.batch_alter_table("user_network", schema=None) as batch_op:
        batch_op.drop_column("publishes_directly")

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_activity_entered_by_id_user_account"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_activity_published_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("contact")
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_by_id")
        batch_op.drop_column("entered_by_id")
    _put_back(kept)

    with op.batch_alter_table("activity_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_draft_network_id"))
        batch_op.drop_index(batch_op.f("ix_activity_draft_author_id"))

    op.drop_table("activity_draft")
