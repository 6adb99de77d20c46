"""purge saved input kept under the old rules (it could hold typed passwords)

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Rows kept before issue 12 may hold passwords typed into sign-in and password forms, and
    # input for pages their owner could not open: none of it can be told apart, so all goes.
    op.execute(sa.text('DELETE FROM saved_input'))


def downgrade():
    # Deleted input cannot be brought back; the schema is unchanged.
    pass
