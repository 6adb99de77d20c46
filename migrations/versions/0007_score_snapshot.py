"""score snapshots: each assessment's stored score, filled from the evidence already recorded

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

def _columns():
    return [
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('role_version_id', sa.Integer(), nullable=False),
        sa.Column('readiness', sa.Double(), nullable=False),
        sa.Column('band', sa.String(length=30), nullable=False),
        sa.Column('band_rank', sa.Integer(), nullable=False),
        sa.Column('coverage', sa.Double(), nullable=False),
        sa.Column('must_have_gap_sum', sa.Double(), nullable=False),
        sa.Column('lenses', sa.JSON(), nullable=False),
        sa.Column('must_have_unmet', sa.JSON(), nullable=False),
        sa.Column('must_have_unassessed', sa.JSON(), nullable=False),
        sa.Column('flags', sa.JSON(), nullable=False),
        sa.Column('competencies', sa.JSON(), nullable=False),
        sa.Column('interviews_assigned', sa.Integer(), nullable=False),
        sa.Column('interviews_submitted', sa.Integer(), nullable=False),
        sa.Column('panel_ratings', sa.Integer(), nullable=False),
        sa.Column('self_submitted', sa.Boolean(), nullable=False),
        sa.Column('last_interview_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table('score_snapshot',
    *_columns(),
    sa.CheckConstraint("band IN ('ready-now','ready-with-support','not-yet-ready','insufficient-evidence')", name=op.f('ck_score_snapshot_band_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_score_snapshot_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_version_id'], ['role_version.id'], name=op.f('fk_score_snapshot_role_version_id_role_version')),
    sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_score_snapshot'))
    )
    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_score_snapshot_rank', ['band_rank', 'readiness'], unique=False)
    _fill()


def _fill():
    """Score every existing assessment with the app's scoring, writing only this revision's
    columns; should this ever fail on a later schema, `flask scores rebuild` does the same."""
    from app.models.base import utcnow
    from app.score_snapshots import CHUNK, fresh

    conn = op.get_bind()
    columns = _columns()
    table = sa.table('score_snapshot', *(sa.column(c.name, c.type) for c in columns))
    names = {c.name for c in columns}
    ids = list(conn.execute(sa.text('SELECT id FROM assessment ORDER BY id')).scalars())
    now = utcnow()
    for start in range(0, len(ids), CHUNK):
        # The stakeholder tables come later (0014): nobody has answered yet.
        rows = fresh(conn, ids[start : start + CHUNK], stakeholders=False).values()
        values = [{**{k: v for k, v in row.items() if k in names}, 'computed_at': now} for row in rows]
        if values:
            conn.execute(table.insert(), values)


def downgrade():
    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_score_snapshot_rank')

    op.drop_table('score_snapshot')
