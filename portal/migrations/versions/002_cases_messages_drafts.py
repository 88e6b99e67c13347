"""Cases with status history and documents, the message outbox, form drafts and uploads.

Revision ID: 002_cases_messages_drafts
Revises: 001_foundation
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "002_cases_messages_drafts"
down_revision: str | None = "001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "zaak_reference_counter",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.create_table(
        "zaak",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("zaaktype", sa.String(80), nullable=False),
        sa.Column("omschrijving", sa.String(200), nullable=False),
        sa.Column("form_slug", sa.String(80), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("initiator_kind", sa.String(30), nullable=False),
        sa.Column("initiator_bsn", sa.String(9), nullable=True),
        sa.Column("initiator_kvk", sa.String(8), nullable=True),
        sa.Column("initiator_vestiging", sa.String(12), nullable=True),
        sa.Column("initiator_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("due_by_norm", sa.Date(), nullable=True),
        sa.Column("due_by_law", sa.Date(), nullable=True),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.Column("result", sa.String(40), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submission_token", sa.String(64), nullable=False),
        sa.UniqueConstraint("submission_token", name="uq_zaak_submission_token"),
    )
    op.create_index("ix_zaak_zaaktype", "zaak", ["zaaktype"])
    op.create_index("ix_zaak_initiator_bsn", "zaak", ["initiator_bsn"])
    op.create_index("ix_zaak_initiator_kvk", "zaak", ["initiator_kvk"])
    op.create_index("ix_zaak_received_at", "zaak", ["received_at"])
    op.create_table(
        "zaak_status",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaak_id", sa.Integer(), sa.ForeignKey("zaak.id"), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("set_at", UTC_TIME, nullable=False),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("note_for_resident", sa.Text(), nullable=False),
        sa.Column("internal_note", sa.Text(), nullable=False),
    )
    op.create_index("ix_zaak_status_zaak_id", "zaak_status", ["zaak_id"])
    op.create_table(
        "zaak_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zaak_id", sa.Integer(), sa.ForeignKey("zaak.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(80), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_zaak_document_zaak_id", "zaak_document", ["zaak_id"])
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("zaak_reference", sa.String(20), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("send_after", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=False),
    )
    op.create_index("ix_outbox_message_zaak_reference", "outbox_message", ["zaak_reference"])
    op.create_index("ix_outbox_message_send_after", "outbox_message", ["send_after"])
    op.create_index("ix_outbox_message_sent_at", "outbox_message", ["sent_at"])
    op.create_table(
        "aanvraag_draft",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("form_slug", sa.String(80), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("current_step", sa.String(80), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("submission_token", sa.String(64), nullable=False),
        sa.Column("submitted_at", UTC_TIME, nullable=True),
        sa.Column("zaak_reference", sa.String(20), nullable=True),
        sa.UniqueConstraint("submission_token", name="uq_draft_submission_token"),
    )
    op.create_index("ix_aanvraag_draft_form_slug", "aanvraag_draft", ["form_slug"])
    op.create_index("ix_aanvraag_draft_owner", "aanvraag_draft", ["owner"])
    op.create_index("ix_aanvraag_draft_expires_at", "aanvraag_draft", ["expires_at"])
    op.create_table(
        "aanvraag_upload",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("draft_id", sa.String(32), sa.ForeignKey("aanvraag_draft.id"), nullable=False),
        sa.Column("field_name", sa.String(80), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_aanvraag_upload_draft_id", "aanvraag_upload", ["draft_id"])


def downgrade() -> None:
    for table in (
        "aanvraag_upload",
        "aanvraag_draft",
        "outbox_message",
        "zaak_document",
        "zaak_status",
        "zaak",
        "zaak_reference_counter",
    ):
        op.drop_table(table)
