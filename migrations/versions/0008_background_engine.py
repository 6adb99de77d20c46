"""background task records, export items, cancelled exports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued','running','retrying','done','failed','cancelled')", name=op.f('ck_task_run_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_run')),
    sa.UniqueConstraint('task_id', name=op.f('uq_task_run_task_id'))
    )
    with op.batch_alter_table('task_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_run_enqueued_at'), ['enqueued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_run_status'), ['status'], unique=False)

    op.create_table('export_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('held_back', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['export_job.id'], name=op.f('fk_export_item_job_id_export_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_item')),
    sa.UniqueConstraint('job_id', 'position', name=op.f('uq_export_item_job_id'))
    )

    # Exports that were running on a web worker's threads have no document tasks to carry
    # them on: say so, rather than leave them waiting for ever.
    op.execute(sa.text(
        "UPDATE export_job SET status = 'failed',"
        " error = 'The server was upgraded while this export was being prepared.'"
        " WHERE status IN ('queued', 'running')"
    ))
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_export_job_status_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_export_job_status_known'),
            "status IN ('queued','running','done','failed','cancelled')",
        )


def downgrade():
    op.execute(sa.text("UPDATE export_job SET status = 'failed' WHERE status = 'cancelled'"))
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_export_job_status_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_export_job_status_known'),
            "status IN ('queued','running','done','failed')",
        )
    op.drop_table('export_item')
    with op.batch_alter_table('task_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_run_status'))
        batch_op.drop_index(batch_op.f('ix_task_run_enqueued_at'))
    op.drop_table('task_run')
