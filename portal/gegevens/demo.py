"""Demo data for /mijn/gegevens: Lance Smit (partner and children in the BRP) has a relocation
case that a behandelaar opened, so his access log has a row to show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.gegevens import service
from portal.gegevens.models import AccessLogEntry
from portal.settings import Settings
from portal.zaken import service as zaken_service

LANCE_BSN = "999990858"
TOKEN = f"demo-gegevens-{LANCE_BSN}-verhuizing"
BEHANDELAAR = Identity(
    provider="medewerker",
    subject="behandelaar",
    roles=("behandelaar",),
    display_name="Bram Behandelaar",
)


def load_gegevens_demo(db: Session, settings: Settings) -> str:
    """Lance's relocation case and a behandelaar's look at it (idempotent)."""
    now = datetime.now(UTC)
    reference = zaken_service.reference_for_token(db, token=TOKEN)
    if reference is None:
        zaak = zaken_service.create_zaak(
            db,
            zaaktype="verhuizing-doorgeven",
            omschrijving="Verhuizing doorgeven",
            initiator=zaken_service.Initiator(
                kind="natuurlijk_persoon", bsn=LANCE_BSN, name="Lance Smit"
            ),
            # A short answer set without a form (shown as a plain list, like the zaken demo's).
            answers={
                "aanvraag": {"toelichting": "Wij verhuizen op 1 januari naar Rijksstraatweg 8"},
                "contact": {"email": "lance.smit@example.nl"},
            },
            submission_token=TOKEN,
            received_at=now - timedelta(days=3),
            contact_email="lance.smit@example.nl",
        )
        reference = zaak.reference
    seen = db.exec(
        select(AccessLogEntry.id).where(
            col(AccessLogEntry.subject_bsn) == LANCE_BSN,
            col(AccessLogEntry.zaak_reference) == reference,
        )
    ).first()
    if seen is None:
        service.record_access(
            db,
            staff=BEHANDELAAR,
            role="behandelaar",
            action="zaak_bekeken",
            now=now - timedelta(days=2),
            subject_bsn=LANCE_BSN,
            zaak_reference=reference,
            purpose=f"Behandeling zaak {reference}",
        )
    return f"gegevens: Lance Smit's relocation case {reference} was opened by a behandelaar"
