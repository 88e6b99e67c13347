"""Every table of the portal, for Alembic and the tests (kept out of database.py so that login,
which needs the database session, does not depend on the domains)."""

from __future__ import annotations

import importlib

from sqlmodel import SQLModel

MODEL_MODULES = (
    "auth.models",
    "auth.devidp.models",
    "portal.models",
    "portal.zaken.models",
    "portal.berichten.models",
    "portal.aanvragen.models",
    "portal.gegevens.models",
    "portal.afspraken.models",
    "portal.prestaties.models",
    "portal.zaaksysteem.models",
)


def import_all_models() -> type[SQLModel]:
    """Import every domain's models so that SQLModel's metadata knows all tables."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
    return SQLModel
