"""Performance figures: each closed case gets its month, lead time in working days, whether it
met the norm and the legal term and whether it was right the first time (back-filled here);
channel service norms, satisfaction feedback, monthly form counts, daily appointment waits.

Revision ID: 006_prestaties
Revises: 005_afspraken
Create Date: 2026-11-29 00:31:34.130280
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa
from alembic import op

revision: str = "006_prestaties"
down_revision: str | None = "005_afspraken"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "afspraak_wachttijd",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_code", sa.String(40), nullable=False),
        sa.Column("location_code", sa.String(40), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("day", "product_code", "location_code"),
    )
    op.create_table(
        "formulier_maand",
        sa.Column("form_slug", sa.String(80), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("started", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("form_slug", "month"),
    )
    op.create_table(
        "servicenorm",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("product", sa.String(80), nullable=True),
        sa.Column("text_nl", sa.String(300), nullable=False),
        sa.Column("text_en", sa.String(300), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("measured_here", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "tevredenheid",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(80), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=False),
        sa.Column("share_identity", sa.Boolean(), nullable=False),
        sa.Column("owner_bsn", sa.String(9), nullable=True),
        sa.Column("owner_kvk", sa.String(8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject_kind", "subject_id", name="uq_tevredenheid_subject"),
    )
    with op.batch_alter_table("tevredenheid", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tevredenheid_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_tevredenheid_product"), ["product"], unique=False)

    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_month", sa.String(7), nullable=True))
        batch_op.add_column(sa.Column("lead_working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("norm_met", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("legal_met", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("first_time_right", sa.Boolean(), nullable=True))
        batch_op.create_index(
            "ix_zaak_figures",
            [
                "closed_month",
                "zaaktype",
                "norm_met",
                "legal_met",
                "first_time_right",
                "lead_working_days",
            ],
            unique=False,
        )
    _backfill_closed_cases()
    _backfill_form_counts()


def downgrade() -> None:

    with op.batch_alter_table("zaak", schema=None) as batch_op:
        batch_op.drop_index("ix_zaak_figures")
        batch_op.drop_column("first_time_right")
        batch_op.drop_column("legal_met")
        batch_op.drop_column("norm_met")
        batch_op.drop_column("lead_working_days")
        batch_op.drop_column("closed_month")

    with op.batch_alter_table("tevredenheid", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tevredenheid_product"))
        batch_op.drop_index(batch_op.f("ix_tevredenheid_month"))

    op.drop_table("tevredenheid")
    op.drop_table("servicenorm")
    op.drop_table("formulier_maand")
    op.drop_table("afspraak_wachttijd")


HAREN = ZoneInfo("Europe/Amsterdam")
BATCH = 5_000


@lru_cache(maxsize=100_000)
def _working_days_between(start: date, end: date) -> int:
    # The rule of portal.zaken.service.working_days_between, frozen here as migrations must be.
    dutch = holidays.country_holidays("NL", years=range(start.year, end.year + 1))
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in dutch:
            count += 1
    return count


def _backfill_closed_cases() -> None:
    connection = op.get_bind()
    zaak = sa.table(
        "zaak",
        sa.column("id", sa.Integer()),
        sa.column("received_at", sa.DateTime(timezone=True)),
        sa.column("closed_at", sa.DateTime(timezone=True)),
        sa.column("due_by_norm", sa.Date()),
        sa.column("due_by_law", sa.Date()),
        sa.column("result", sa.String()),
        sa.column("closed_month", sa.String()),
        sa.column("lead_working_days", sa.Integer()),
        sa.column("norm_met", sa.Boolean()),
        sa.column("legal_met", sa.Boolean()),
        sa.column("first_time_right", sa.Boolean()),
    )
    verzoek = sa.table("zaak_verzoek", sa.column("zaak_id", sa.Integer()))
    asked = {row[0] for row in connection.execute(sa.select(verzoek.c.zaak_id).distinct())}
    rows = connection.execute(
        sa.select(
            zaak.c.id,
            zaak.c.received_at,
            zaak.c.closed_at,
            zaak.c.due_by_norm,
            zaak.c.due_by_law,
            zaak.c.result,
        ).where(zaak.c.closed_at.is_not(None))
    ).all()
    statement = (
        zaak.update()
        .where(zaak.c.id == sa.bindparam("zaak_id"))
        .values(
            closed_month=sa.bindparam("month"),
            lead_working_days=sa.bindparam("lead"),
            norm_met=sa.bindparam("norm"),
            legal_met=sa.bindparam("legal"),
            first_time_right=sa.bindparam("right"),
        )
    )
    batch: list[dict[str, object]] = []
    for zaak_id, received_at, closed_at, due_by_norm, due_by_law, result in rows:
        closed_on = _local(closed_at)
        decided = result != "ingetrokken"
        batch.append(
            {
                "zaak_id": zaak_id,
                "month": f"{closed_on:%Y-%m}",
                "lead": _working_days_between(_local(received_at), closed_on),
                "norm": closed_on <= due_by_norm if decided and due_by_norm else None,
                "legal": closed_on <= due_by_law if decided and due_by_law else None,
                "right": zaak_id not in asked,
            }
        )
        if len(batch) == BATCH:
            connection.execute(statement, batch)
            batch = []
    if batch:
        connection.execute(statement, batch)


def _local(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(HAREN).date()


def _backfill_form_counts() -> None:
    connection = op.get_bind()
    draft = sa.table(
        "aanvraag_draft",
        sa.column("form_slug", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
    )
    counts: dict[tuple[str, str], list[int]] = {}
    rows = connection.execute(
        sa.select(draft.c.form_slug, draft.c.created_at, draft.c.submitted_at)
    )
    for form_slug, created_at, submitted_at in rows:
        key = (form_slug, f"{_local(created_at):%Y-%m}")
        counted = counts.setdefault(key, [0, 0])
        counted[0] += 1
        counted[1] += submitted_at is not None
    months = sa.table(
        "formulier_maand",
        sa.column("form_slug", sa.String()),
        sa.column("month", sa.String()),
        sa.column("started", sa.Integer()),
        sa.column("submitted", sa.Integer()),
    )
    if counts:
        connection.execute(
            months.insert(),
            [
                {"form_slug": slug, "month": month, "started": started, "submitted": submitted}
                for (slug, month), (started, submitted) in counts.items()
            ],
        )
