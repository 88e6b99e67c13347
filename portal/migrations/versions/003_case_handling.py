"""Case handling: case types with status types, staff products, information requests, the
message thread, the access log, message preferences, and the columns the work queue needs.

Revision ID: 003_case_handling
Revises: 002_cases_messages_drafts
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "003_case_handling"
down_revision: str | None = "002_cases_messages_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)
QUEUE_INDEXES = {
    "ix_zaak_queue": ["closed_at", "due_by_norm", "id"],
    "ix_zaak_queue_type": ["zaaktype", "closed_at", "due_by_norm", "id"],
    "ix_zaak_queue_status": ["status", "closed_at", "due_by_norm", "id"],
    "ix_zaak_queue_assignee": ["assigned_to", "closed_at", "due_by_norm", "id"],
    "ix_zaak_bsn_changed": ["initiator_bsn", "last_changed_at"],
    "ix_zaak_kvk_changed": ["initiator_kvk", "last_changed_at"],
}
OLD_ZAAK_INDEXES = {
    "ix_zaak_zaaktype": ["zaaktype"],
    "ix_zaak_initiator_bsn": ["initiator_bsn"],
    "ix_zaak_initiator_kvk": ["initiator_kvk"],
}


def upgrade() -> None:
    op.create_table(
        "zaaktype",
        sa.Column("slug", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("norm_days", sa.Integer(), nullable=False),
        sa.Column("legal_days", sa.Integer(), nullable=True),
        sa.Column("pause_allowed", sa.Boolean(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "zaaktype_status",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaaktype", sa.String(80), sa.ForeignKey("zaaktype.slug"), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.Column("explanation", sa.String(500), nullable=False),
        sa.Column("explanation_en", sa.String(500), nullable=False),
        sa.Column("resident_can_upload", sa.Boolean(), nullable=False),
        sa.Column("notifies_resident", sa.Boolean(), nullable=False),
        sa.Column("is_detour", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("zaaktype", "code", name="uq_zaaktype_status_code"),
    )
    op.create_index("ix_zaaktype_status_zaaktype", "zaaktype_status", ["zaaktype"])
    op.create_table(
        "medewerker_product",
        sa.Column("staff_subject", sa.String(100), primary_key=True),
        sa.Column("zaaktype", sa.String(80), primary_key=True),
        sa.Column("staff_name", sa.String(200), nullable=False),
    )
    with op.batch_alter_table("zaak") as batch:
        batch.add_column(
            sa.Column("search_name", sa.String(200), nullable=False, server_default="")
        )
        for name in ("representative_name", "assigned_name"):
            batch.add_column(sa.Column(name, sa.String(200), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("representative_id", sa.String(20), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("last_changed_at", UTC_TIME, nullable=True))
        batch.add_column(sa.Column("paused_at", UTC_TIME, nullable=True))
        batch.add_column(
            sa.Column("withdraw_reason", sa.String(1000), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("assigned_to", sa.String(100), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE zaak SET last_changed_at = received_at, search_name = lower(initiator_name)")
    with op.batch_alter_table("zaak") as batch:
        batch.alter_column("last_changed_at", existing_type=UTC_TIME, nullable=False)
        for index in OLD_ZAAK_INDEXES:
            batch.drop_index(index)
    op.create_index("ix_zaak_search_name", "zaak", ["search_name"])
    for index, columns in QUEUE_INDEXES.items():
        op.create_index(index, "zaak", columns)
    op.create_table(
        "zaak_verzoek",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaak_id", sa.Integer(), sa.ForeignKey("zaak.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("question", sa.String(2000), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("answered_at", UTC_TIME, nullable=True),
        sa.Column("answer", sa.String(4000), nullable=False),
        sa.Column("reminder_sent_at", UTC_TIME, nullable=True),
        sa.Column("cancelled_at", UTC_TIME, nullable=True),
    )
    op.create_index("ix_zaak_verzoek_zaak_id", "zaak_verzoek", ["zaak_id"])
    with op.batch_alter_table("zaak_document") as batch:
        batch.add_column(
            sa.Column("source", sa.String(20), nullable=False, server_default="aanvraag")
        )
        batch.add_column(sa.Column("added_by", sa.String(100), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "verzoek_id",
                sa.Integer(),
                sa.ForeignKey("zaak_verzoek.id", name="fk_zaak_document_verzoek"),
                nullable=True,
            )
        )
    op.create_table(
        "zaak_bericht",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaak_id", sa.Integer(), sa.ForeignKey("zaak.id"), nullable=False),
        sa.Column("sender", sa.String(20), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("body", sa.String(4000), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_zaak_bericht_zaak_id", "zaak_bericht", ["zaak_id"])
    op.create_table(
        "inzage_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("staff_subject", sa.String(100), nullable=False),
        sa.Column("staff_name", sa.String(200), nullable=False),
        sa.Column("staff_role", sa.String(40), nullable=False),
        sa.Column("subject_bsn", sa.String(9), nullable=True),
        sa.Column("subject_kvk", sa.String(8), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("zaak_reference", sa.String(20), nullable=True),
        sa.Column("purpose", sa.String(200), nullable=False),
    )
    op.create_index("ix_inzage_log_bsn", "inzage_log", ["subject_bsn", "at"])
    op.create_index("ix_inzage_log_kvk", "inzage_log", ["subject_kvk", "at"])
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("recipient_bsn", sa.String(9), nullable=True))
        batch.add_column(sa.Column("recipient_kvk", sa.String(8), nullable=True))
        batch.add_column(sa.Column("skipped", sa.String(20), nullable=False, server_default=""))
    op.create_index("ix_outbox_message_bsn", "outbox_message", ["recipient_bsn", "created_at"])
    op.create_index("ix_outbox_message_kvk", "outbox_message", ["recipient_kvk", "created_at"])
    op.create_table(
        "bericht_voorkeur",
        sa.Column("owner", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("email_wanted", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bericht_voorkeur")
    op.drop_index("ix_outbox_message_bsn", "outbox_message")
    op.drop_index("ix_outbox_message_kvk", "outbox_message")
    with op.batch_alter_table("outbox_message") as batch:
        for column in ("recipient_bsn", "recipient_kvk", "skipped"):
            batch.drop_column(column)
    op.drop_table("inzage_log")
    op.drop_table("zaak_bericht")
    with op.batch_alter_table("zaak_document") as batch:
        batch.drop_constraint("fk_zaak_document_verzoek", type_="foreignkey")
        for column in ("verzoek_id", "added_by", "source"):
            batch.drop_column(column)
    op.drop_table("zaak_verzoek")
    for index in (*QUEUE_INDEXES, "ix_zaak_search_name"):
        op.drop_index(index, "zaak")
    with op.batch_alter_table("zaak") as batch:
        for column in (
            "search_name",
            "representative_name",
            "assigned_name",
            "representative_id",
            "last_changed_at",
            "paused_at",
            "withdraw_reason",
            "assigned_to",
            "version",
        ):
            batch.drop_column(column)
        for index, columns in OLD_ZAAK_INDEXES.items():
            batch.create_index(index, columns)
    op.drop_table("medewerker_product")
    op.drop_table("zaaktype_status")
    op.drop_table("zaaktype")
