"""content_drafts_and_versions: drafts and published versions of every kind of line content

The menu's versions move into the new table: every published flow_version of a network is kept
there too (flow_version stays the table the line reads), and a menu draft moves there for good.
Downgrading drops the table, and with it any unpublished draft.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-03 03:00:00
"""

import sqlalchemy as sa
from alembic import op

import hotline.db

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", hotline.db.UTCDateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", hotline.db.UTCDateTime(), nullable=True),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.CheckConstraint("state IN ('draft', 'published')", name=op.f("ck_content_version_state_known")),
        sa.CheckConstraint(
            "(state = 'draft' AND number IS NULL AND published_at IS NULL)"
            " OR (state = 'published' AND number IS NOT NULL AND published_at IS NOT NULL)",
            name=op.f("ck_content_version_published_has_number_and_time"),
        ),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], ondelete="SET NULL",
                                name=op.f("fk_content_version_author_id_user_account")),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE",
                                name=op.f("fk_content_version_network_id_network")),
        sa.ForeignKeyConstraint(["published_by_id"], ["user_account.id"], ondelete="SET NULL",
                                name=op.f("fk_content_version_published_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
        sa.UniqueConstraint("network_id", "kind", "number", name=op.f("uq_content_version_network_id_kind_number")),
    )
    op.create_index(op.f("ix_content_version_network_id"), "content_version", ["network_id"])
    op.create_index("ix_content_version_one_draft", "content_version", ["network_id", "kind"], unique=True,
                    sqlite_where=sa.text("state = 'draft'"), postgresql_where=sa.text("state = 'draft'"))
    _move_menu_versions()


def _move_menu_versions() -> None:
    flows = sa.table("flow_version", sa.column("id", sa.Integer()), sa.column("network_id", sa.Integer()),
                     sa.column("version", sa.Integer()), sa.column("definition", sa.JSON()),
                     sa.column("label_texts", sa.JSON()), sa.column("published", sa.Boolean()),
                     sa.column("published_at", hotline.db.UTCDateTime()),
                     sa.column("author_id", sa.Integer()), sa.column("created_at", hotline.db.UTCDateTime()))
    versions = sa.table("content_version", sa.column("network_id", sa.Integer()), sa.column("kind", sa.String()),
                        sa.column("number", sa.Integer()), sa.column("snapshot", sa.JSON()),
                        sa.column("state", sa.String()), sa.column("author_id", sa.Integer()),
                        sa.column("created_at", hotline.db.UTCDateTime()),
                        sa.column("published_by_id", sa.Integer()),
                        sa.column("published_at", hotline.db.UTCDateTime()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(flows).where(flows.c.network_id.is_not(None)).order_by(flows.c.id)).all()
    for row in rows:
        main = row.definition["nodes"][row.definition["flow"]["main_menu"]]
        options = [option["label"] for option in main["options"]]
        snapshot = {"options": options, "labels": {key: text for key, text in (row.label_texts or {}).items()
                                                   if key in options}}
        connection.execute(sa.insert(versions).values(
            network_id=row.network_id, kind="menu", snapshot=snapshot, author_id=row.author_id,
            created_at=row.created_at, state="published" if row.published else "draft",
            number=row.version if row.published else None,
            published_by_id=row.author_id if row.published else None,
            published_at=row.published_at if row.published else None))
    connection.execute(sa.delete(flows).where(flows.c.network_id.is_not(None), flows.c.published.is_(False)))


def downgrade() -> None:
    op.drop_index("ix_content_version_one_draft", table_name="content_version")
    op.drop_index(op.f("ix_content_version_network_id"), table_name="content_version")
    op.drop_table("content_version")
