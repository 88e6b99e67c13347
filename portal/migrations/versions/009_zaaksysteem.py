"""The case system (issue 9): submissions on their way to the ZGW Zaken API, step by step
(`zgw_registratie`, `zgw_registratie_document`), and its notifications (`zgw_melding`).

Revision ID: 009_zaaksysteem
Revises: 008_figure_cache
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "009_zaaksysteem"
down_revision: str | None = "008_figure_cache"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zgw_melding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_url", sa.String(500), nullable=False),
        sa.Column("zaak_url", sa.String(500), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource_url"),
    )
    with op.batch_alter_table("zgw_melding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zgw_melding_handled_at"), ["handled_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_zgw_melding_next_attempt_at"), ["next_attempt_at"], unique=False
        )

    op.create_table(
        "zgw_registratie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("submission_token", sa.String(64), nullable=False),
        sa.Column("form_slug", sa.String(80), nullable=False),
        sa.Column("product", sa.String(80), nullable=False),
        sa.Column("zaaktype_url", sa.String(500), nullable=False),
        sa.Column("omschrijving", sa.String(200), nullable=False),
        sa.Column("initiator_kind", sa.String(30), nullable=False),
        sa.Column("initiator_bsn", sa.String(9), nullable=True),
        sa.Column("initiator_kvk", sa.String(8), nullable=True),
        sa.Column("initiator_vestiging", sa.String(12), nullable=True),
        sa.Column("initiator_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("zaak_url", sa.String(500), nullable=True),
        sa.Column("zaak_identificatie", sa.String(40), nullable=True),
        sa.Column("rol_url", sa.String(500), nullable=True),
        sa.Column("status_url", sa.String(500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("submission_token"),
    )
    with op.batch_alter_table("zgw_registratie", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_zgw_registratie_initiator_bsn"), ["initiator_bsn"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_zgw_registratie_initiator_kvk"), ["initiator_kvk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_zgw_registratie_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_zgw_registratie_registered_at"), ["registered_at"], unique=False
        )

    op.create_table(
        "zgw_registratie_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registratie_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("stored_name", sa.String(32), nullable=True),
        sa.Column("document_url", sa.String(500), nullable=True),
        sa.Column("link_url", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["registratie_id"],
            ["zgw_registratie.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("zgw_registratie_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_zgw_registratie_document_registratie_id"),
            ["registratie_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("zgw_registratie_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zgw_registratie_document_registratie_id"))

    op.drop_table("zgw_registratie_document")
    with op.batch_alter_table("zgw_registratie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zgw_registratie_registered_at"))
        batch_op.drop_index(batch_op.f("ix_zgw_registratie_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_zgw_registratie_initiator_kvk"))
        batch_op.drop_index(batch_op.f("ix_zgw_registratie_initiator_bsn"))

    op.drop_table("zgw_registratie")
    with op.batch_alter_table("zgw_melding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zgw_melding_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_zgw_melding_handled_at"))

    op.drop_table("zgw_melding")
