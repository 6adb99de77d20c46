"""value streams and exec profiles carry a version (optimistic locking)

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at version 1, like new ones.
    with op.batch_alter_table('value_stream', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('exec_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('exec_profile', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('value_stream', schema=None) as batch_op:
        batch_op.drop_column('version')
