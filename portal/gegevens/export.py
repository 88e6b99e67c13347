"""'Download mijn gegevens': everything the portal holds about the person, as a ZIP with a
machine-readable gegevens.json, a readable samenvatting.pdf and the files themselves.

Each domain hands in its sections through its own service (`export_personal_data`) and names the
tables it covers (`EXPORT_TABLES`). A table that holds a person reference and is in neither
PROVIDERS nor NOT_EXPORTED makes tests/gegevens/test_export_coverage.py fail: a new domain (the
appointments, say) adds its provider here.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from sqlmodel import Session

from auth.identity import Identity
from portal.aanvragen import service as aanvragen_service
from portal.afspraken import service as afspraken_service
from portal.berichten import service as berichten_service
from portal.files import file_store
from portal.gegevens import service
from portal.prestaties import reacties
from portal.settings import Settings
from portal.templating import render_pdf
from portal.zaaksysteem import inzage as zaaksysteem
from portal.zaken import service as zaken_service

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Provider:
    tables: tuple[str, ...]
    collect: service.ExportProvider


PROVIDERS: tuple[Provider, ...] = (
    Provider(service.EXPORT_TABLES, service.export_personal_data),
    Provider(aanvragen_service.EXPORT_TABLES, aanvragen_service.export_personal_data),
    Provider(zaken_service.EXPORT_TABLES, zaken_service.export_personal_data),
    Provider(berichten_service.EXPORT_TABLES, berichten_service.export_personal_data),
    Provider(afspraken_service.EXPORT_TABLES, afspraken_service.export_personal_data),
    Provider(reacties.EXPORT_TABLES, reacties.export_personal_data),
    Provider(zaaksysteem.EXPORT_TABLES, zaaksysteem.export_personal_data),
)

# Tables that refer to a person but are deliberately not in the export, and why.
NOT_EXPORTED: dict[str, str] = {
    "zaak_naamwoord": "search words of the initiator's name; the name is in each case",
    "auth_session": "the login itself; it ends within 15 minutes of inactivity",
    "devidp_authorization_code": "development identity provider only, never in production",
}


def covered_tables() -> set[str]:
    return {table for provider in PROVIDERS for table in provider.tables}


def collect_sections(db: Session, identity: Identity) -> list[service.ExportSection]:
    return [section for provider in PROVIDERS for section in provider.collect(db, identity)]


def _profile_section(profile: dict[str, Any] | None, source: str) -> service.ExportSection:
    return service.ExportSection(
        key="profiel",
        title="Uw gegevens uit de basisregistratie",
        description=(
            "Zoals de BRP of KVK ze vandaag aan Mijn Haren gaf. Mijn Haren bewaart ze niet: "
            "alleen zolang u bent ingelogd."
        ),
        fields={"bron": "BRP (personen) of KVK (bedrijven)", "gegevens": "de gegevens zelf"},
        records=[{"bron": source, "gegevens": profile}] if profile else [],
    )


def build_export(
    db: Session,
    identity: Identity,
    *,
    settings: Settings,
    profile: dict[str, Any] | None,
    now: datetime,
    pdf_context: dict[str, Any],
) -> bytes:
    """The ZIP as bytes: gegevens.json, samenvatting.pdf and every file the sections name."""
    source = "BRP" if identity.is_resident else "KVK"
    sections = [_profile_section(profile, source), *collect_sections(db, identity)]
    store = file_store(settings.data_dir)
    missing: list[str] = []
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            for item in section.files:
                try:
                    path = store.path_of(item.stored_name)
                except ValueError:
                    missing.append(item.path)
                    continue
                if path.is_file():
                    archive.write(path, item.path)
                else:
                    missing.append(item.path)
        document = _json_document(identity, sections, now=now, missing=missing)
        archive.writestr("gegevens.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("samenvatting.pdf", summary_pdf(sections, now=now, **pdf_context))
    return buffer.getvalue()


def _json_document(
    identity: Identity,
    sections: Sequence[service.ExportSection],
    *,
    now: datetime,
    missing: list[str],
) -> dict[str, Any]:
    person: dict[str, Any] = (
        {"bsn": identity.bsn}
        if identity.is_resident
        else {"kvk": identity.kvk, "vestiging": identity.vestiging}
    )
    return {
        "over_dit_bestand": (
            "Alles wat Mijn Haren van de gemeente Haren over u bewaart. Elk onderdeel staat "
            "onder zijn eigen sleutel; 'uitleg' beschrijft elk onderdeel en zijn velden. Tijden "
            "zijn in UTC (ISO 8601). Bestanden staan in deze ZIP op de plek in 'bestand'."
        ),
        "formaat": "mijn-haren-gegevens",
        "versie": FORMAT_VERSION,
        "aangemaakt_op": service.iso(now),
        "persoon": person,
        "uitleg": {
            s.key: {"titel": s.title, "beschrijving": s.description, "velden": s.fields}
            for s in sections
        },
        **{s.key: s.records for s in sections},
        "ontbrekende_bestanden": missing,
    }


def summary_pdf(
    sections: Sequence[service.ExportSection], *, now: datetime, **context: Any
) -> bytes:
    """The readable summary (weasyprint), the same data as gegevens.json in a few tables."""
    by_key = {s.key: s for s in sections}
    return render_pdf("gegevens/samenvatting.html", sections=by_key, now=now, **context)
