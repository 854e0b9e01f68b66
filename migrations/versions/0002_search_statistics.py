"""search statistics

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:28:46.782892
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('searchstat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('zero_hits', sa.Integer(), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', 'text')
    )
    with op.batch_alter_table('searchstat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_searchstat_day'), ['day'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('searchstat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_searchstat_day'))

    op.drop_table('searchstat')
