"""Every table of the portal, for Alembic and the tests (kept out of database.py so that login,
which needs the database session, does not depend on the domains)."""

from __future__ import annotations

from sqlmodel import SQLModel


def import_all_models() -> type[SQLModel]:
    """Import every domain's models so that SQLModel's metadata knows all tables."""
    import auth.devidp.models  # noqa: F401
    import auth.models  # noqa: F401
    import portal.aanvragen.models  # noqa: F401
    import portal.berichten.models  # noqa: F401
    import portal.models  # noqa: F401
    import portal.zaken.models  # noqa: F401

    return SQLModel
