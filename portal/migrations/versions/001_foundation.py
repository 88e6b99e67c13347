"""Foundation: sessions, logins in progress, rate limits, development provider codes.

Revision ID: 001_foundation
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("identity", sa.JSON(), nullable=False),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_cache", sa.JSON(), nullable=False),
    )
    op.create_index("ix_auth_session_last_seen_at", "auth_session", ["last_seen_at"])
    op.create_index("ix_auth_session_expires_at", "auth_session", ["expires_at"])
    op.create_table(
        "auth_pending_login",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("nonce", sa.String(128), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("browser_binding_hash", sa.String(64), nullable=False),
        sa.Column("next_path", sa.String(500), nullable=False),
        sa.Column("minimum_loa", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_auth_pending_login_created_at", "auth_pending_login", ["created_at"])
    op.create_table(
        "rate_limit_window",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("hits", sa.Integer(), nullable=False),
    )
    op.create_table(
        "devidp_authorization_code",
        sa.Column("code", sa.String(128), primary_key=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("redirect_uri", sa.String(500), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=True),
        sa.Column("code_challenge", sa.String(200), nullable=True),
        sa.Column("code_challenge_method", sa.String(10), nullable=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("auth_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_devidp_authorization_code_created_at", "devidp_authorization_code", ["created_at"]
    )


def downgrade() -> None:
    op.drop_table("devidp_authorization_code")
    op.drop_table("rate_limit_window")
    op.drop_table("auth_pending_login")
    op.drop_table("auth_session")
