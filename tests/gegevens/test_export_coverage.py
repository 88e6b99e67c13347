"""The export covers every table that holds data about a person. A table with a person
reference (a BSN or KVK column, an `owner` key such as bsn:<bsn>, or a foreign key to such a
table) must be exported by a domain's provider or listed, with a reason, in NOT_EXPORTED."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from portal.gegevens import export
from portal.registry import import_all_models

PERSON_COLUMN_WORDS = ("bsn", "kvk")
OWNER_COLUMNS = {"owner"}


def _holds_person_reference(table: Table) -> bool:
    return any(
        any(word in column.name.lower() for word in PERSON_COLUMN_WORDS)
        or column.name.lower() in OWNER_COLUMNS
        for column in table.columns
    )


def tables_about_people() -> set[str]:
    """Tables with a person reference, plus every table that points at one of them."""
    tables = import_all_models().metadata.tables.values()
    found = {t.name for t in tables if _holds_person_reference(t)}
    grew = True
    while grew:
        grew = False
        for table in tables:
            if table.name in found:
                continue
            if any(fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                grew = True
    return found


def test_every_table_about_a_person_is_exported_or_excused() -> None:
    handled = export.covered_tables() | set(export.NOT_EXPORTED)
    missing = sorted(tables_about_people() - handled)
    assert missing == [], (
        f"tables holding data about a person are not in 'Download mijn gegevens': {missing}. "
        "Add an `export_personal_data` and `EXPORT_TABLES` to the domain's service.py and a "
        "Provider to portal/gegevens/export.py PROVIDERS (or, with a reason, to NOT_EXPORTED)."
    )


def test_the_check_finds_the_known_person_tables() -> None:
    found = tables_about_people()
    assert {
        "zaak",
        "zaak_document",
        "zaak_status",
        "aanvraag_draft",
        "aanvraag_upload",
        "outbox_message",
        "bericht_voorkeur",
        "inzage_log",
        "contactgegevens",
        "verificatiecode",
    } <= found
    assert "zaaktype" not in found
    assert "rate_limit_window" not in found


def test_the_mapping_names_only_real_tables() -> None:
    names = set(import_all_models().metadata.tables)
    assert export.covered_tables() <= names
    assert set(export.NOT_EXPORTED) <= names
    assert not export.covered_tables() & set(export.NOT_EXPORTED)


def test_a_new_table_with_a_person_reference_turns_the_check_red() -> None:
    metadata = import_all_models().metadata
    table = Table(
        "afspraak_proef",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("burger_bsn", String(9)),
    )
    child = Table(
        "afspraak_proef_notitie",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("afspraak_id", Integer, ForeignKey("afspraak_proef.id")),
    )
    try:
        unhandled = tables_about_people() - export.covered_tables() - set(export.NOT_EXPORTED)
        assert unhandled == {"afspraak_proef", "afspraak_proef_notitie"}
    finally:
        metadata.remove(child)
        metadata.remove(table)
