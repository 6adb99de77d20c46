"""due dates: self-assessment due date, interview due date, time and place

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Existing assessments and interviews get no due date: nobody agreed one with their
    # people, so nothing is shown as overdue and no reminder goes out for them.
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_due_on', sa.Date(), nullable=True))
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('location', sa.String(length=200), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('location')
        batch_op.drop_column('scheduled_at')
        batch_op.drop_column('due_on')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('self_due_on')
