"""The resident's BRP record and the company's KVK profile, fetched once per session.

Data from the basic registrations is kept in the server-side session only, and dies with it
(DigiD checklist D2): never in a table of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from auth.identity import Identity
from auth.sessions import LoadedSession, session_cache_get, session_cache_put
from portal.gegevens.models import AccessLogEntry, ContactDetails, VerificationCode
from portal.integrations.brp import BRP, Persoon
from portal.integrations.kvk import KVK, Basisprofiel, Vestiging

BRP_PURPOSE = "Mijn Haren: dienstverlening aan de inwoner"
KVK_PURPOSE = "Mijn Haren: dienstverlening aan de ondernemer"
# Requests the portal itself made to a basic registration; shown apart from staff views.
SOURCE_ACTIONS = ("brp_opgevraagd", "kvk_opgevraagd")
PORTAL_SUBJECT = "mijn-haren"


def get_persoon_for_session(db: Session, *, loaded: LoadedSession, brp: BRP) -> Persoon | None:
    """The resident's BRP record, fetched once per session and kept only in that session."""
    cached = session_cache_get(loaded, "brp_persoon")
    if cached is not None:
        return Persoon.from_json(cached) if cached else None
    bsn = loaded.identity.bsn
    persoon = None
    if bsn:
        persoon = brp.get_persoon(bsn, purpose=BRP_PURPOSE)
        record_source_request(db, action="brp_opgevraagd", subject_bsn=bsn, purpose=BRP_PURPOSE)
    session_cache_put(db, loaded, "brp_persoon", persoon.to_json() if persoon else {})
    return persoon


def get_basisprofiel_for_session(
    db: Session, *, loaded: LoadedSession, kvk: KVK
) -> Basisprofiel | None:
    """The company's KVK profile, fetched once per session and kept only in that session."""
    cached = session_cache_get(loaded, "kvk_basisprofiel")
    if cached is not None:
        return Basisprofiel.from_json(cached) if cached else None
    number = loaded.identity.kvk
    profiel = None
    if number:
        profiel = kvk.get_basisprofiel(number)
        record_source_request(db, action="kvk_opgevraagd", subject_kvk=number, purpose=KVK_PURPOSE)
    session_cache_put(db, loaded, "kvk_basisprofiel", profiel.to_json() if profiel else {})
    return profiel


def branch_of(profiel: Basisprofiel, vestigingsnummer: str | None) -> Vestiging | None:
    """The branch the entrepreneur logged in for, or the main branch."""
    branches = [v for v in (profiel.hoofdvestiging, *profiel.vestigingen) if v is not None]
    if vestigingsnummer:
        for branch in branches:
            if branch.vestigingsnummer == vestigingsnummer:
                return branch
    return profiel.hoofdvestiging


def record_access(
    db: Session,
    *,
    staff: Identity,
    role: str,
    action: str,
    now: datetime,
    subject_bsn: str | None = None,
    subject_kvk: str | None = None,
    zaak_reference: str | None = None,
    purpose: str = "",
) -> None:
    """Write down that an employee looked at data about a person (in the viewing request's
    transaction, so a view that is shown is a view that is logged)."""
    if not subject_bsn and not subject_kvk:
        return
    db.add(
        AccessLogEntry(
            at=now,
            staff_subject=staff.subject[:100],
            staff_name=(staff.display_name or "")[:200],
            staff_role=role[:40],
            subject_bsn=subject_bsn,
            subject_kvk=subject_kvk,
            action=action[:40],
            zaak_reference=zaak_reference,
            purpose=purpose[:200],
        )
    )
    db.flush()


def access_log_for(
    db: Session, *, bsn: str | None, kvk: str | None, limit: int = 200
) -> list[AccessLogEntry]:
    """The newest staff views of this person's data."""
    if bsn:
        condition = col(AccessLogEntry.subject_bsn) == bsn
    elif kvk:
        condition = col(AccessLogEntry.subject_kvk) == kvk
    else:
        return []
    query = select(AccessLogEntry).where(condition).order_by(col(AccessLogEntry.at).desc())
    return list(db.exec(query.limit(limit)).all())


def record_source_request(
    db: Session,
    *,
    action: str,
    purpose: str,
    subject_bsn: str | None = None,
    subject_kvk: str | None = None,
) -> None:
    """Write down that the portal asked the BRP or KVK about this person (after the call, so
    only requests that were made are listed; the person sees them in the access log)."""
    db.add(
        AccessLogEntry(
            at=datetime.now(UTC),
            staff_subject=PORTAL_SUBJECT,
            staff_role="portaal",
            subject_bsn=subject_bsn,
            subject_kvk=subject_kvk,
            action=action,
            purpose=purpose[:200],
        )
    )
    db.flush()


def _subject_condition(bsn: str | None, kvk: str | None) -> Any:
    if bsn:
        return col(AccessLogEntry.subject_bsn) == bsn
    if kvk:
        return col(AccessLogEntry.subject_kvk) == kvk
    return col(AccessLogEntry.id).is_(None)


def staff_views_for(
    db: Session, *, bsn: str | None, kvk: str | None, limit: int = 500
) -> list[AccessLogEntry]:
    """Every look by staff at this person's cases or data, newest first."""
    query = (
        select(AccessLogEntry)
        .where(_subject_condition(bsn, kvk), col(AccessLogEntry.action).not_in(SOURCE_ACTIONS))
        .order_by(col(AccessLogEntry.at).desc(), col(AccessLogEntry.id).desc())
    )
    return list(db.exec(query.limit(limit)).all())


def source_requests_for(
    db: Session, *, bsn: str | None, kvk: str | None, limit: int = 500
) -> list[AccessLogEntry]:
    """Every request the portal made to the BRP or KVK about this person, newest first."""
    query = (
        select(AccessLogEntry)
        .where(_subject_condition(bsn, kvk), col(AccessLogEntry.action).in_(SOURCE_ACTIONS))
        .order_by(col(AccessLogEntry.at).desc(), col(AccessLogEntry.id).desc())
    )
    return list(db.exec(query.limit(limit)).all())


# --- Contact details the other domains use --------------------------------------------


def owner_of(identity: Identity) -> str | None:
    """The key the person's own settings are kept under: bsn:<bsn> or kvk:<kvk>."""
    if identity.is_resident and identity.bsn:
        return f"bsn:{identity.bsn}"
    if identity.is_company and identity.kvk:
        return f"kvk:{identity.kvk}"
    return None


def contact_details(db: Session, *, owner: str) -> ContactDetails | None:
    return db.get(ContactDetails, owner)


def verified_email(db: Session, *, owner: str) -> str | None:
    """The e-mail address this person verified with a code, if any; messages go there first."""
    details = db.get(ContactDetails, owner)
    if details is None or details.email_verified_at is None:
        return None
    return details.email or None


# --- Export: every domain hands in a section ------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    """A file to put in the ZIP: its path there and its name in the portal's file store."""

    path: str
    stored_name: str


@dataclass
class ExportSection:
    """One domain's part of "Download mijn gegevens". `fields` documents each key of the
    records (gegevens.json repeats it under `uitleg`)."""

    key: str
    title: str  # Dutch; the PDF translates it
    description: str
    fields: dict[str, str]
    records: list[dict[str, Any]]
    files: list[ExportFile] = field(default_factory=list)


# A domain's contribution: its sections for this person (a company login sees its branch).
ExportProvider = Callable[[Session, Identity], list[ExportSection]]


def iso(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 in UTC, for the export."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def safe_file_name(name: str) -> str:
    """A file name safe as the last part of a path in a ZIP (no folders, no control codes)."""
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in name).strip(" .")
    return cleaned[:100] or "bestand"


# The tables whose rows about a person this domain exports (checked against the schema).
EXPORT_TABLES = ("contactgegevens", "verificatiecode", "inzage_log")


def export_personal_data(db: Session, identity: Identity) -> list[ExportSection]:
    """This domain's sections: contact details and the access log."""
    owner = owner_of(identity)
    details = db.get(ContactDetails, owner) if owner else None
    codes = (
        db.exec(
            select(VerificationCode)
            .where(col(VerificationCode.owner) == owner)
            .order_by(col(VerificationCode.created_at))
        ).all()
        if owner
        else []
    )
    contact_records: list[dict[str, Any]] = []
    if details is not None:
        contact_records.append(
            {
                "soort": "contactgegevens",
                "email": details.email,
                "email_bevestigd_op": iso(details.email_verified_at),
                "telefoon": details.phone,
                "telefoon_bevestigd_op": iso(details.phone_verified_at),
                "ook_post_op_papier": details.paper_post,
                "gewijzigd_op": iso(details.updated_at),
            }
        )
    contact_records += [
        {
            "soort": "verificatiecode",
            "kanaal": code.channel,
            "adres": code.address,
            "aangemaakt_op": iso(code.created_at),
            "verloopt_op": iso(code.expires_at),
            "pogingen": code.attempts,
            "gebruikt_op": iso(code.used_at),
        }
        for code in codes
    ]
    log = db.exec(
        select(AccessLogEntry)
        .where(_subject_condition(identity.bsn, identity.kvk))
        .order_by(col(AccessLogEntry.at))
    ).all()
    return [
        ExportSection(
            key="contactgegevens",
            title="Contactgegevens",
            description="Het e-mailadres en telefoonnummer die u in Mijn Haren gaf, en de codes "
            "waarmee u ze bevestigde (de codes zelf bewaren wij niet).",
            fields={
                "soort": "contactgegevens of verificatiecode",
                "email": "uw e-mailadres",
                "email_bevestigd_op": "wanneer u het e-mailadres met een code bevestigde (UTC)",
                "telefoon": "uw telefoonnummer",
                "telefoon_bevestigd_op": "wanneer u het telefoonnummer bevestigde (UTC)",
                "ook_post_op_papier": "true: u krijgt brieven ook op papier",
                "kanaal": "email of telefoon: waar de code naartoe ging",
                "adres": "het adres of nummer waar de code naartoe ging",
                "pogingen": "hoe vaak een code is ingevuld",
                "gebruikt_op": "wanneer de code goed werd ingevuld",
            },
            records=contact_records,
        ),
        ExportSection(
            key="inzage",
            title="Wie heeft uw gegevens ingezien",
            description="Elke keer dat een medewerker uw zaak of gegevens bekeek, en elke "
            "keer dat Mijn Haren uw gegevens opvroeg bij de BRP of de KVK.",
            fields={
                "op": "wanneer (UTC)",
                "actie": "zaak_bekeken, document_bekeken, gegevens_bekeken, brp_opgevraagd "
                "of kvk_opgevraagd",
                "rol": "de rol van de medewerker, of portaal",
                "zaak": "het zaaknummer waarvoor het gebeurde",
                "doel": "waarom",
            },
            records=[
                {
                    "op": iso(entry.at),
                    "actie": entry.action,
                    "rol": entry.staff_role,
                    "zaak": entry.zaak_reference,
                    "doel": entry.purpose,
                }
                for entry in log
            ],
        ),
    ]
