"""documents say "data as of" their last change; one current PDF per document and audience

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# table -> what an existing row's change time is best taken from (its column, or now).
UPDATED_AT = {
    'assessment': 'COALESCE(decided_at, created_at)',
    'value_stream': 'created_at',
    'exec_profile': 'CURRENT_TIMESTAMP',
    'role_version': 'COALESCE(published_at, created_at)',
    'progress_review': 'COALESCE(decided_at, created_at)',
    'induction_task': 'COALESCE(done_at, CURRENT_TIMESTAMP)',
}


def upgrade():
    for table, source in UPDATED_AT.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        op.execute(f'UPDATE {table} SET updated_at = {source}')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    # The old cache held PDFs by content only; the worker renders the new one ahead of time.
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_document_created_at'))
    op.drop_table('rendered_document')
    op.create_table('rendered_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=80), nullable=False),
    sa.Column('audience', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_rendered_document_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_document')),
    sa.UniqueConstraint('ref', 'audience', name='uq_rendered_document_ref')
    )
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_document_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_rendered_document_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('render_state',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_render_state'))
    )


def downgrade():
    op.drop_table('render_state')
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_document_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_rendered_document_key'))
    op.drop_table('rendered_document')
    op.create_table('rendered_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendered_document')),
    sa.UniqueConstraint('key', name=op.f('uq_rendered_document_key'))
    )
    with op.batch_alter_table('rendered_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_document_created_at'), ['created_at'], unique=False)

    for table in reversed(UPDATED_AT):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_at')
