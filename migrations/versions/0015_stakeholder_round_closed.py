"""stakeholder feedback round: when it was closed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    # NULL: the round closes by itself once no invitation is open (docs/decisions.md, "Issue 18 —
    # Results when the feedback round closes"); set when the CPO closes it explicitly.
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stakeholder_closed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('stakeholder_closed_at')
