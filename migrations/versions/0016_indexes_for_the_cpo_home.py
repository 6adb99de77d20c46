"""indexes for the CPO's home: undecided assessments by age, snapshot panel counts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assessment_undecided', 'assessment', ['created_at', 'id'], unique=False,
        sqlite_where=sa.text('decision IS NULL'), postgresql_where=sa.text('decision IS NULL'),
    )
    op.create_index(
        'ix_score_snapshot_panel', 'score_snapshot',
        ['assessment_id', 'interviews_submitted', 'interviews_assigned'], unique=False,
    )


def downgrade():
    op.drop_index('ix_score_snapshot_panel', table_name='score_snapshot')
    op.drop_index('ix_assessment_undecided', table_name='assessment')
