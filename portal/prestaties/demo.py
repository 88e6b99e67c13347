"""The channel service norms of Haren (idempotent: loading twice changes nothing)."""

from __future__ import annotations

from sqlmodel import Session

from portal.prestaties.models import ServiceNorm
from portal.settings import Settings

NORMS = (
    ServiceNorm(
        code="afspraak-beschikbaar",
        channel="balie",
        text_nl="U kunt binnen 5 werkdagen terecht voor een afspraak op het gemeentehuis.",
        text_en="You can get an appointment at the town hall within 5 working days.",
        target=5,
        unit="werkdagen",
        position=1,
    ),
    ServiceNorm(
        code="vraag-beantwoord",
        channel="online",
        product="vraag",
        text_nl="Een vraag via Mijn Haren of e-mail beantwoorden wij binnen 3 werkdagen.",
        text_en="We answer a question sent through Mijn Haren or by e-mail within 3 working days.",
        target=3,
        unit="werkdagen",
        position=2,
    ),
    ServiceNorm(
        code="telefoon-opgenomen",
        channel="telefoon",
        text_nl="Wij nemen de telefoon (14 050) binnen 30 seconden op.",
        text_en="We answer the phone (14 050) within 30 seconds.",
        target=30,
        unit="seconden",
        measured_here=False,
        position=3,
    ),
    ServiceNorm(
        code="eerste-keer-goed",
        channel="online",
        text_nl="80% van de aanvragen handelen wij af zonder u om meer informatie te vragen.",
        text_en="We handle 80% of applications without asking you for more information.",
        target=80,
        unit="procent",
        position=4,
    ),
)


def load_prestaties_demo(db: Session, settings: Settings) -> str:
    """The channel norms; case norms are the case types' own terms."""
    added = 0
    for norm in NORMS:
        if db.get(ServiceNorm, norm.code) is None:
            db.add(ServiceNorm.model_validate(norm.model_dump()))
            added += 1
    db.flush()
    return f"performance: {added} service norms added, {len(NORMS) - added} already there"
