"""Registering a submission in the case system, exactly once, however often it is retried.

Steps, in order: the zaak, its initiator's role, its first status, then each document (the
PDF of the answers first, then the uploads) and its link to the zaak. Before a write, a step
looks for what an earlier attempt may have written without living to store the answer: the
zaak by its `identificatie` (the portal's reference), a document by its own `identificatie`
(reference-position), a role, status or link by its zaak. So neither a stored result nor a
lost answer leads to a second zaak or document (open-formulieren/open-forms#1183 only has the
first guard). Each result is committed before the next step starts; the worker holds no
database transaction while it waits on the case system.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from portal.files import file_store
from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import ZgwApi, ZgwRefused
from portal.settings import Settings
from portal.templating import local_datetime, render_pdf
from portal.zaaksysteem.models import Registratie, RegistratieDocument
from portal.zaaksysteem.retries import backoff, claim_due

log = structlog.get_logger("mijnharen.zaaksysteem")

BATCH = 20
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    stored_name: str


@dataclass(frozen=True)
class NewRegistration:
    reference: str
    submission_token: str
    form_slug: str
    product: str
    zaaktype_url: str
    omschrijving: str
    initiator_kind: str
    initiator_bsn: str | None
    initiator_kvk: str | None
    initiator_vestiging: str | None
    initiator_name: str
    contact_email: str | None
    received_at: datetime
    summary: list[dict[str, Any]]


def zaaktype_for(settings: Settings, product: str) -> str | None:
    """The zaaktype URL when this product's submissions go to the case system."""
    if settings.zgw_backend == "geen":
        return None
    return settings.zgw_registratie.get(product) or None


def queue_registration(db: Session, new: NewRegistration, uploads: list[Upload]) -> Registratie:
    """Keep the submission for the worker: the registration, the PDF still to make, the files."""
    registratie = Registratie(**new.__dict__, next_attempt_at=new.received_at)
    db.add(registratie)
    db.flush()
    assert registratie.id is not None
    pdf_name = f"aanvraag-{new.reference}.pdf"
    db.add(
        RegistratieDocument(
            registratie_id=registratie.id,
            position=0,
            title=f"Aanvraag {new.omschrijving}"[:200],
            filename=pdf_name,
            content_type=PDF_TYPE,
        )
    )
    for position, upload in enumerate(uploads, start=1):
        db.add(
            RegistratieDocument(
                registratie_id=registratie.id,
                position=position,
                title=upload.filename[:200],
                filename=upload.filename[:200],
                content_type=upload.content_type[:100],
                stored_name=upload.stored_name,
            )
        )
    db.flush()
    return registratie


# --- The worker ---------------------------------------------------------------------------


def register_due(engine: Engine, settings: Settings, api: ZgwApi, *, now: datetime) -> int:
    """Register what is due; returns how many were completed in this round."""
    done = 0
    due = claim_due(engine, Registratie, Registratie.registered_at, now=now, batch=BATCH)
    for registratie_id in due:
        if _register(engine, settings, api, registratie_id, now=now):
            done += 1
    return done


def _register(
    engine: Engine, settings: Settings, api: ZgwApi, registratie_id: int, *, now: datetime
) -> bool:
    steps = Steps(engine, settings, api, registratie_id)
    try:
        steps.run()
    except (IntegrationUnavailable, ZgwRefused, OSError, ValueError) as failure:
        with Session(engine) as db:
            registratie = db.get(Registratie, registratie_id)
            assert registratie is not None
            registratie.last_error = f"{type(failure).__name__}: {failure}"[:500]
            registratie.next_attempt_at = now + backoff(registratie.attempts)
            db.add(registratie)
            db.commit()
            log.warning(
                "zgw_registration_failed",
                reference=registratie.reference,
                attempts=registratie.attempts,
                error=type(failure).__name__,
            )
        return False
    with Session(engine) as db:
        db.execute(
            update(Registratie)
            .where(col(Registratie.id) == registratie_id)
            .values(registered_at=now, last_error="")
        )
        db.commit()
    log.info("zgw_registered", registratie=registratie_id)
    return True


class Steps:
    """The registration of one submission, step by step (see the module's docstring)."""

    def __init__(
        self, engine: Engine, settings: Settings, api: ZgwApi, registratie_id: int
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.api = api
        self.id = registratie_id

    def run(self) -> None:
        self.zaak()
        self.rol()
        self.status()
        for document_id in self._document_ids():
            self.document(document_id)

    def _load(self) -> Registratie:
        with Session(self.engine, expire_on_commit=False) as db:
            registratie = db.get(Registratie, self.id)
            assert registratie is not None
            return registratie

    def _save(
        self, model: type[Registratie] | type[RegistratieDocument], row_id: int, **values: Any
    ) -> None:
        with Session(self.engine) as db:
            db.execute(update(model).where(col(model.id) == row_id).values(**values))
            db.commit()

    def zaak(self) -> None:
        registratie = self._load()
        if registratie.zaak_url:
            return
        rsin = self.settings.zgw_rsin
        found = self.api.search(
            "zaken", "zaken", {"identificatie": registratie.reference, "bronorganisatie": rsin}
        )
        zaak = (
            found[0]
            if found
            else self.api.create(
                "zaken",
                "zaken",
                {
                    "identificatie": registratie.reference,
                    "bronorganisatie": rsin,
                    "verantwoordelijkeOrganisatie": rsin,
                    "omschrijving": registratie.omschrijving[:80],
                    "zaaktype": registratie.zaaktype_url,
                    "registratiedatum": registratie.received_at.date().isoformat(),
                    "startdatum": registratie.received_at.date().isoformat(),
                    "kenmerken": [{"kenmerk": registratie.reference, "bron": "Mijn Haren"}],
                },
            )
        )
        self._save(
            Registratie,
            self.id,
            zaak_url=str(zaak["url"]),
            zaak_identificatie=str(zaak.get("identificatie") or registratie.reference)[:40],
        )

    def rol(self) -> None:
        registratie = self._load()
        identification = _betrokkene(registratie)
        if registratie.rol_url or identification is None:
            return
        zaak_url = str(registratie.zaak_url)
        found = self.api.search(
            "zaken", "rollen", {"zaak": zaak_url, "omschrijvingGeneriek": "initiator"}
        )
        if found:
            rol = found[0]
        else:
            roltypen = self.api.search(
                "catalogi",
                "roltypen",
                {"zaaktype": registratie.zaaktype_url, "omschrijvingGeneriek": "initiator"},
            )
            if not roltypen:
                raise ZgwRefused("roltypen", "the zaaktype has no initiator role type")
            betrokkene_type, betrokkene = identification
            rol = self.api.create(
                "zaken",
                "rollen",
                {
                    "zaak": zaak_url,
                    "betrokkeneType": betrokkene_type,
                    "roltype": roltypen[0]["url"],
                    "roltoelichting": "Aanvrager, via Mijn Haren",
                    "indicatieMachtiging": "",
                    "betrokkeneIdentificatie": betrokkene,
                },
            )
        self._save(Registratie, self.id, rol_url=str(rol["url"]))

    def status(self) -> None:
        registratie = self._load()
        if registratie.status_url:
            return
        zaak_url = str(registratie.zaak_url)
        found = self.api.search("zaken", "statussen", {"zaak": zaak_url})
        if found:
            status = found[0]
        else:
            statustypen = self.api.search(
                "catalogi", "statustypen", {"zaaktype": registratie.zaaktype_url}
            )
            if not statustypen:
                raise ZgwRefused("statustypen", "the zaaktype has no status types")
            first = min(statustypen, key=lambda t: int(t.get("volgnummer") or 0))
            status = self.api.create(
                "zaken",
                "statussen",
                {
                    "zaak": zaak_url,
                    "statustype": first["url"],
                    "datumStatusGezet": registratie.received_at.isoformat(),
                    "statustoelichting": "Ontvangen via Mijn Haren",
                },
            )
        self._save(Registratie, self.id, status_url=str(status["url"]))

    def _document_ids(self) -> list[int]:
        with Session(self.engine) as db:
            ids = db.exec(
                select(RegistratieDocument.id)
                .where(col(RegistratieDocument.registratie_id) == self.id)
                .order_by(col(RegistratieDocument.position))
            ).all()
        return [i for i in ids if i is not None]

    def document(self, document_id: int) -> None:
        with Session(self.engine, expire_on_commit=False) as db:
            document = db.get(RegistratieDocument, document_id)
            assert document is not None
        if document.link_url:
            return
        registratie = self._load()
        if document.stored_name is None:
            document.stored_name = self._make_pdf(registratie)
            self._save(RegistratieDocument, document_id, stored_name=document.stored_name)
        if not document.document_url:
            document.document_url = self._informatieobject(registratie, document)
            self._save(RegistratieDocument, document_id, document_url=document.document_url)
        zaak_url = str(registratie.zaak_url)
        found = self.api.search(
            "zaken",
            "zaakinformatieobjecten",
            {"zaak": zaak_url, "informatieobject": document.document_url},
        )
        link = (
            found[0]
            if found
            else self.api.create(
                "zaken",
                "zaakinformatieobjecten",
                {
                    "zaak": zaak_url,
                    "informatieobject": document.document_url,
                    "titel": document.title,
                },
            )
        )
        self._save(RegistratieDocument, document_id, link_url=str(link["url"]))

    def _informatieobject(self, registratie: Registratie, document: RegistratieDocument) -> str:
        rsin = self.settings.zgw_rsin
        identificatie = f"{registratie.reference}-{document.position}"
        found = self.api.search(
            "documenten",
            "enkelvoudiginformatieobjecten",
            {"identificatie": identificatie, "bronorganisatie": rsin},
        )
        if found:
            return str(found[0]["url"])
        if not self.settings.zgw_informatieobjecttype:
            raise ZgwRefused(
                "enkelvoudiginformatieobjecten", "MIJNHAREN_ZGW_INFORMATIEOBJECTTYPE is not set"
            )
        assert document.stored_name is not None
        with file_store(self.settings.data_dir).open(document.stored_name) as source:
            content = source.read()
        created = self.api.create(
            "documenten",
            "enkelvoudiginformatieobjecten",
            {
                "identificatie": identificatie,
                "bronorganisatie": rsin,
                "creatiedatum": registratie.received_at.date().isoformat(),
                "titel": document.title,
                "auteur": registratie.initiator_name or "Mijn Haren",
                "status": "definitief",
                "vertrouwelijkheidaanduiding": "openbaar",
                "formaat": document.content_type,
                "taal": "dut",
                "bestandsnaam": document.filename,
                "inhoud": base64.b64encode(content).decode(),
                "informatieobjecttype": self.settings.zgw_informatieobjecttype,
                "indicatieGebruiksrecht": False,
            },
        )
        return str(created["url"])

    def _make_pdf(self, registratie: Registratie) -> str:
        """The answers as the resident checked them, as the PDF the case system keeps: the
        resident's receipt, with the time in Haren as on the receipt (it showed UTC)."""
        pdf = render_pdf(
            "aanvragen/ontvangstbewijs.html",
            sections=registratie.summary,
            reference=registratie.reference,
            received=local_datetime(registratie.received_at),
            title=registratie.omschrijving,
        )
        stored = file_store(self.settings.data_dir).save(io.BytesIO(pdf))
        return stored.stored_name


def _betrokkene(registratie: Registratie) -> tuple[str, dict[str, Any]] | None:
    if registratie.initiator_bsn:
        return "natuurlijk_persoon", {"inpBsn": registratie.initiator_bsn}
    if registratie.initiator_kvk and registratie.initiator_vestiging:
        return "vestiging", {
            "vestigingsNummer": registratie.initiator_vestiging,
            "kvkNummer": registratie.initiator_kvk,
        }
    if registratie.initiator_kvk:
        return "niet_natuurlijk_persoon", {"kvkNummer": registratie.initiator_kvk, "innNnpId": ""}
    return None
