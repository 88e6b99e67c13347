"""Contact details the person keeps in the portal (verified e-mail and phone, paper post) and
the one-time codes that verify them.

Revision ID: 007_gegevens
Revises: 006_prestaties
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "007_gegevens"
down_revision: str | None = "006_prestaties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contactgegevens",
        sa.Column("owner", sa.String(40), primary_key=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("email_verified_at", UTC_TIME, nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("phone_verified_at", UTC_TIME, nullable=True),
        sa.Column("paper_post", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "verificatiecode",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("used_at", UTC_TIME, nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_verificatiecode_owner", "verificatiecode", ["owner", "channel", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_verificatiecode_owner", "verificatiecode")
    op.drop_table("verificatiecode")
    op.drop_table("contactgegevens")
