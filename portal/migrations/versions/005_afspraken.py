"""Appointments: locations, opening hours and closures, bookable products, desks, the
appointments and the desk units they occupy; outbox messages get an attachment (the .ics).

Revision ID: 005_afspraken
Revises: 004_name_words
Create Date: 2026-11-29 00:13:58.957836
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "005_afspraken"
down_revision: str | None = "004_name_words"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "afspraak_locatie",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("street", sa.String(120), nullable=False),
        sa.Column("postcode", sa.String(7), nullable=False),
        sa.Column("city", sa.String(80), nullable=False),
        sa.Column("accessibility_nl", sa.String(1000), nullable=False),
        sa.Column("accessibility_en", sa.String(1000), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "afspraak_product",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name_nl", sa.String(120), nullable=False),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.Column("minutes_per_person", sa.Integer(), nullable=False),
        sa.Column("max_persons", sa.Integer(), nullable=False),
        sa.Column("bring_nl", sa.String(1000), nullable=False),
        sa.Column("bring_en", sa.String(1000), nullable=False),
        sa.Column("catalogue_slug", sa.String(100), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "afspraak_balie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_code"],
            ["afspraak_locatie.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("afspraak_balie", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_afspraak_balie_location_code"), ["location_code"], unique=False
        )

    op.create_table(
        "afspraak_openingstijd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_code", sa.String(40), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_code"],
            ["afspraak_locatie.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("afspraak_openingstijd", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_afspraak_openingstijd_location_code"), ["location_code"], unique=False
        )

    op.create_table(
        "afspraak_uitzondering",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_code", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("opens", sa.Time(), nullable=True),
        sa.Column("closes", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_code"],
            ["afspraak_locatie.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("afspraak_uitzondering", schema=None) as batch_op:
        batch_op.create_index(
            "ix_afspraak_uitzondering_dag", ["location_code", "day"], unique=False
        )

    op.create_table(
        "afspraak",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(12), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("product_codes", sa.JSON(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("location_code", sa.String(40), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("bsn", sa.String(9), nullable=True),
        sa.Column("kvk", sa.String(8), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("link_nonce", sa.String(32), nullable=False),
        sa.Column("booked_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(40), nullable=False),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rescheduled_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["afspraak_balie.id"],
        ),
        sa.ForeignKeyConstraint(
            ["location_code"],
            ["afspraak_locatie.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("afspraak", schema=None) as batch_op:
        batch_op.create_index("ix_afspraak_bsn", ["bsn", "starts_at"], unique=False)
        batch_op.create_index("ix_afspraak_dag", ["location_code", "starts_at"], unique=False)
        batch_op.create_index("ix_afspraak_email", ["email", "starts_at"], unique=False)
        batch_op.create_index("ix_afspraak_hold", ["state", "hold_expires_at"], unique=False)
        batch_op.create_index(
            "ix_afspraak_reminder", ["state", "reminder_sent_at", "starts_at"], unique=False
        )

    op.create_table(
        "afspraak_balie_product",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["afspraak_balie.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_code"],
            ["afspraak_product.code"],
        ),
        sa.PrimaryKeyConstraint("desk_id", "product_code"),
    )
    op.create_table(
        "afspraak_bezetting",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("unit_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["afspraak.id"],
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["afspraak_balie.id"],
        ),
        sa.PrimaryKeyConstraint("desk_id", "unit_start"),
    )
    with op.batch_alter_table("afspraak_bezetting", schema=None) as batch_op:
        batch_op.create_index("ix_afspraak_bezetting_afspraak", ["appointment_id"], unique=False)

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attachment_name", sa.String(100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("attachment_type", sa.String(60), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("attachment_text", sa.Text(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("attachment_text")
        batch_op.drop_column("attachment_type")
        batch_op.drop_column("attachment_name")

    with op.batch_alter_table("afspraak_bezetting", schema=None) as batch_op:
        batch_op.drop_index("ix_afspraak_bezetting_afspraak")

    op.drop_table("afspraak_bezetting")
    op.drop_table("afspraak_balie_product")
    with op.batch_alter_table("afspraak", schema=None) as batch_op:
        batch_op.drop_index("ix_afspraak_reminder")
        batch_op.drop_index("ix_afspraak_hold")
        batch_op.drop_index("ix_afspraak_email")
        batch_op.drop_index("ix_afspraak_dag")
        batch_op.drop_index("ix_afspraak_bsn")

    op.drop_table("afspraak")
    with op.batch_alter_table("afspraak_uitzondering", schema=None) as batch_op:
        batch_op.drop_index("ix_afspraak_uitzondering_dag")

    op.drop_table("afspraak_uitzondering")
    with op.batch_alter_table("afspraak_openingstijd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afspraak_openingstijd_location_code"))

    op.drop_table("afspraak_openingstijd")
    with op.batch_alter_table("afspraak_balie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afspraak_balie_location_code"))

    op.drop_table("afspraak_balie")
    op.drop_table("afspraak_product")
    op.drop_table("afspraak_locatie")
