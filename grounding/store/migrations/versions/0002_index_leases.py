"""Index leases: which published index generation each reading process holds (docs/scaling.md).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

Additive: one new table, nothing else touched (skipped where it exists: a database made by
`create_all` of the live models, as the pre-Alembic upgrade path does, already has it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("index_leases"):
        return
    op.create_table(
        "index_leases",
        sa.Column("holder", sa.String(191), primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("renewed", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("index_leases")
