"""stakeholder feedback: invitations, unlinked ratings and comments, responses on the score snapshot

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stakeholder_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('relationship', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("relationship IN ('business-peer','digital-team','senior-stakeholder','other')", name=op.f('ck_stakeholder_invitation_relationship_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_stakeholder_invitation_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_stakeholder_invitation_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_invitation')),
    sa.UniqueConstraint('assessment_id', 'email', name='uq_stakeholder_invitation_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_stakeholder_invitation_token_hash'))
    )
    with op.batch_alter_table('stakeholder_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_invitation_assessment_id'), ['assessment_id'], unique=False)

    # No link to the invitation and no timestamp: nothing here leads back to a person.
    op.create_table('stakeholder_rating',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('competency_key', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level >= 0 AND level <= 4', name=op.f('ck_stakeholder_rating_level_range')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_stakeholder_rating_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_rating'))
    )
    with op.batch_alter_table('stakeholder_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_rating_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('stakeholder_comment',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('competency_key', sa.String(length=80), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_stakeholder_comment_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_comment'))
    )
    with op.batch_alter_table('stakeholder_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_comment_assessment_id'), ['assessment_id'], unique=False)

    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stakeholder_responses', sa.Integer(), server_default='0', nullable=False))
    _fill()


def _fill():
    """No assessment has stakeholder answers yet: every stored score gains the figures a fresh
    one would give (no stakeholder mean, a count of 0), so `flask scores rebuild --check` agrees."""
    conn = op.get_bind()
    table = sa.table('score_snapshot', sa.column('assessment_id', sa.Integer()), sa.column('competencies', sa.JSON()))
    rows = conn.execute(sa.select(table.c.assessment_id, table.c.competencies)).all()
    for assessment_id, competencies in rows:
        filled = [{**c, 'stakeholder': None, 'stakeholder_count': 0} for c in competencies or []]
        conn.execute(table.update().where(table.c.assessment_id == assessment_id).values(competencies=filled))


def downgrade():
    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.drop_column('stakeholder_responses')

    with op.batch_alter_table('stakeholder_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_comment_assessment_id'))
    op.drop_table('stakeholder_comment')

    with op.batch_alter_table('stakeholder_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_rating_assessment_id'))
    op.drop_table('stakeholder_rating')

    with op.batch_alter_table('stakeholder_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_invitation_assessment_id'))
    op.drop_table('stakeholder_invitation')
