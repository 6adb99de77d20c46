"""review decisions: pair with an experienced Product Director, return to the former role

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Existing decisions are all still valid; plan content needs no rewrite (schema 1 plans
    # are read in the new shape by app.coaching.plans.read_content, issued ones stay as issued).
    with op.batch_alter_table('progress_review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_progress_review_decision_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_progress_review_decision_known'),
            "decision IS NULL OR decision IN ('continue','extend','pair','return','exit')",
        )


def downgrade():
    # The nearest older meaning: pairing keeps the exec in the role; a return ends the plan.
    op.execute(sa.text("UPDATE progress_review SET decision = 'continue' WHERE decision = 'pair'"))
    op.execute(sa.text("UPDATE progress_review SET decision = 'exit' WHERE decision = 'return'"))
    with op.batch_alter_table('progress_review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_progress_review_decision_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_progress_review_decision_known'),
            "decision IS NULL OR decision IN ('continue','extend','exit')",
        )
