"""rate limits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:27:37.188915
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ratelimit',
    sa.Column('expires_at', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('expires_at', 'key')
    )


def downgrade() -> None:
    op.drop_table('ratelimit')
