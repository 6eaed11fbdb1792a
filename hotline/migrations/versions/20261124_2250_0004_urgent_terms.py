"""urgent terms (seeded with speech.urgency.DEFAULT_URGENT_TERMS), voicemail attempt and remote deletion times

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 22:50:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import hotline.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# A frozen copy of speech.urgency.DEFAULT_URGENT_TERMS as of this revision (migrations never
# import application code); the Begleitung edits the table from here on.
DEFAULT_URGENT_TERMS = (
    "Notfall", "Notarzt", "Notruf", "Krankenwagen", "Rettungswagen", "gestürzt", "hingefallen",
    "hinfallen", "komme nicht hoch", "kann nicht aufstehen", "Krankenhaus", "*schmerz*",
    "keine Medikamente", "Medikamente sind alle", "keine Luft", "Atemnot", "Luftnot",
    "schwindelig", "Hilfe", "hilf mir", "helfen Sie mir", "dringend", "allein", "einsam", "*arzt",
    "nichts zu essen",
)


def upgrade() -> None:
    urgent_term = op.create_table('urgent_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('created_at', hotline.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_term')),
    sa.UniqueConstraint('term', name=op.f('uq_urgent_term_term'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(urgent_term, [{'term': term, 'created_at': now} for term in DEFAULT_URGENT_TERMS])
    with op.batch_alter_table('voicemail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempted_at', hotline.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('remote_deleted_at', hotline.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('voicemail', schema=None) as batch_op:
        batch_op.drop_column('remote_deleted_at')
        batch_op.drop_column('attempted_at')
    op.drop_table('urgent_term')
