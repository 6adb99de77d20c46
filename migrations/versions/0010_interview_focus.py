"""focus areas: the competencies each panel member must cover

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Existing interviews keep no focus (NULL): their kits show every competency as before.
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('focus', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('focus')
