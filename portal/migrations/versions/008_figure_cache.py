"""The closed cases of each product and month added up by the worker (`prestatie_maand`), and
which months are complete (`prestatie_maand_ververst`), so the public figures page reads a few
hundred rows instead of counting every case.

Revision ID: 008_figure_cache
Revises: 007_gegevens
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "008_figure_cache"
down_revision: str | None = "007_gegevens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prestatie_maand",
        sa.Column("product", sa.String(80), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("decided", sa.Integer(), nullable=False),
        sa.Column("within_norm", sa.Integer(), nullable=False),
        sa.Column("with_legal_term", sa.Integer(), nullable=False),
        sa.Column("within_law", sa.Integer(), nullable=False),
        sa.Column("first_time_right", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("product", "month"),
    )
    op.create_table(
        "prestatie_maand_ververst",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month"),
    )


def downgrade() -> None:
    op.drop_table("prestatie_maand_ververst")
    op.drop_table("prestatie_maand")
