"""network: the Stadtteile it serves, and whether it is active

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:17:08
"""

import sqlalchemy as sa
from alembic import op

from hotline.stadtteile import official_name

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stadtteile", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
    # A network named after a Stadtteil (the demo's Bilk, Gerresheim, Benrath) serves that one.
    network = sa.table("network", sa.column("id", sa.Integer), sa.column("district", sa.String),
                       sa.column("stadtteile", sa.JSON))
    connection = op.get_bind()
    for network_id, district in connection.execute(sa.select(network.c.id, network.c.district)).all():
        name = official_name(district or "")
        if name is not None:
            connection.execute(network.update().where(network.c.id == network_id).values(stadtteile=[name]))


def downgrade() -> None:
    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.drop_column("active")
        batch_op.drop_column("stadtteile")
