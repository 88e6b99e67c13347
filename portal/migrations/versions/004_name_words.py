"""The words of each open case's initiator name, for the back office's name search; the prefix
index on the whole name goes.

Revision ID: 004_name_words
Revises: 003_case_handling
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "004_name_words"
down_revision: str | None = "003_case_handling"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 10_000


def _words(name: str) -> set[str]:
    # The same rule as portal.zaken.service.name_words, frozen here as migrations must be.
    return {word[:100] for word in name.lower().replace("-", " ").split()[:20]}


def upgrade() -> None:
    words = op.create_table(
        "zaak_naamwoord",
        sa.Column("woord", sa.String(100), primary_key=True),
        sa.Column("zaak_id", sa.Integer(), sa.ForeignKey("zaak.id"), primary_key=True),
    )
    connection = op.get_bind()
    zaak = sa.table(
        "zaak",
        sa.column("id", sa.Integer()),
        sa.column("initiator_name", sa.String()),
        sa.column("closed_at", sa.DateTime(timezone=True)),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(zaak.c.id, zaak.c.initiator_name)
            .where(zaak.c.id > last_id, zaak.c.closed_at.is_(None))
            .order_by(zaak.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = [
            {"woord": word, "zaak_id": row.id}
            for row in rows
            for word in _words(row.initiator_name)
        ]
        if values:
            connection.execute(words.insert(), values)
        last_id = rows[-1].id
    op.drop_index("ix_zaak_search_name", "zaak")


def downgrade() -> None:
    op.create_index("ix_zaak_search_name", "zaak", ["search_name"])
    op.drop_table("zaak_naamwoord")
