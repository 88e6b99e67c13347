"""Notifications from the case system (Notificaties API, channel `zaken`): a new status of a
zaak becomes an e-mail to its initiator, through the message outbox.

The callback only stores the notification (the NRC wants a quick 204, and the case system may
be briefly unreachable when the worker reads it); the worker then reads the status, the zaak
and its initiator, because notifications carry no personal data. The status URL is unique, so
a notification delivered twice sends one e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from portal.berichten import service as berichten
from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import ZgwApi, is_visible
from portal.settings import Settings
from portal.zaaksysteem.models import Melding, Registratie
from portal.zaaksysteem.retries import backoff, claim_due
from portal.zaaksysteem.service import catalogue_item

log = structlog.get_logger("mijnharen.zaaksysteem")
BATCH = 50


class Notificatie(BaseModel):
    """A Notificaties API message (notificaties 1.0: `kanaal`, `hoofdObject`, `resource`,
    `resourceUrl`, `actie`, `aanmaakdatum`, `kenmerken`)."""

    model_config = ConfigDict(extra="allow")

    kanaal: str = Field(min_length=1, max_length=50)
    hoofd_object: str = Field(alias="hoofdObject", min_length=1, max_length=500)
    resource: str = Field(min_length=1, max_length=100)
    resource_url: str = Field(alias="resourceUrl", min_length=1, max_length=500)
    actie: str = Field(min_length=1, max_length=100)
    aanmaakdatum: datetime
    kenmerken: dict[str, Any] = Field(default_factory=dict)

    @property
    def is_new_status(self) -> bool:
        return self.kanaal == "zaken" and self.resource == "status" and self.actie == "create"


def receive(db: Session, notificatie: Notificatie, *, now: datetime) -> bool:
    """Keep a new-status notification for the worker; other ones are not for us (False)."""
    if not notificatie.is_new_status:
        return False
    _remember(db, resource_url=notificatie.resource_url, zaak_url=notificatie.hoofd_object, now=now)
    return True


def handle_due(engine: Engine, settings: Settings, api: ZgwApi, *, now: datetime) -> int:
    """Read each waiting notification's case and queue the e-mail; returns how many were done."""
    due = claim_due(engine, Melding, Melding.handled_at, now=now, batch=BATCH)
    return sum(1 for melding_id in due if _handle(engine, settings, api, melding_id, now=now))


def _handle(
    engine: Engine, settings: Settings, api: ZgwApi, melding_id: int, *, now: datetime
) -> bool:
    with Session(engine, expire_on_commit=False) as db:
        melding = db.get(Melding, melding_id)
        assert melding is not None
        # The first status of a zaak the portal registered: the resident already had the
        # "we received your application" e-mail.
        own = db.exec(
            select(Registratie.id).where(col(Registratie.status_url) == melding.resource_url)
        ).first()
        if own is not None:
            melding.handled_at, melding.outcome = now, "eigen_status"
            db.add(melding)
            db.commit()
            return True
    try:
        finding = _finding_for(api, settings, melding)
    except IntegrationUnavailable as failure:
        with Session(engine) as db:
            db.execute(
                update(Melding)
                .where(col(Melding.id) == melding_id)
                .values(next_attempt_at=now + backoff(melding.attempts), outcome="niet_bereikbaar")
            )
            db.commit()
        log.warning("zgw_notification_retry", melding=melding_id, reason=failure.reason)
        return False
    with Session(engine) as db:
        if finding.tells_someone:
            _queue_e_mail(db, settings, melding, finding, now=now)
        db.execute(
            update(Melding)
            .where(col(Melding.id) == melding_id)
            .values(handled_at=now, outcome=finding.outcome)
        )
        db.commit()
    log.info("zgw_notification_handled", melding=melding_id, outcome=finding.outcome)
    return True


def _queue_e_mail(
    db: Session, settings: Settings, melding: Melding, finding: _Finding, *, now: datetime
) -> None:
    """The same e-mail as for a status of the portal's own cases: the name and a link.
    Sent to the address given in the form when the portal registered the case."""
    registered = db.exec(
        select(Registratie.contact_email, Registratie.initiator_name).where(
            col(Registratie.zaak_url) == melding.zaak_url
        )
    ).first()
    email, name = registered if registered else (None, None)
    link = f"{settings.base_url.rstrip('/')}/mijn/zaken/zaaksysteem/{finding.identificatie}"
    subject, body = berichten.case_notice("status_changed", name=name, link=link)
    reference = finding.identificatie if len(finding.identificatie) <= 20 else None
    berichten.queue_message(
        db,
        kind="status_changed",
        recipient=berichten.Recipient(email=email, bsn=finding.bsn, kvk=finding.kvk),
        subject=subject,
        body_text=body,
        now=now,
        zaak_reference=reference,
    )


@dataclass(frozen=True)
class _Finding:
    """What the case system says about a notified status: whether (and whom) to tell."""

    outcome: str
    bsn: str | None = None
    kvk: str | None = None
    identificatie: str = ""

    @property
    def tells_someone(self) -> bool:
        return self.outcome == "verstuurd"


def _finding_for(api: ZgwApi, settings: Settings, melding: Melding) -> _Finding:
    status = api.get(melding.resource_url)
    if status is None or status.get("zaak") != melding.zaak_url:
        return _Finding("onbekende_status")
    zaak = api.get(melding.zaak_url)
    if zaak is None:
        return _Finding("onbekende_zaak")
    zaaktype = catalogue_item(api, zaak.get("zaaktype"))
    statustype = catalogue_item(api, status.get("statustype"))
    if zaaktype.get("indicatieInternOfExtern") != "extern" or not is_visible(
        zaak.get("vertrouwelijkheidaanduiding"), settings.zgw_max_vertrouwelijkheid
    ):
        return _Finding("niet_zichtbaar")
    if statustype.get("informeren") is False:
        return _Finding("niet_informeren")
    rollen = api.search(
        "zaken", "rollen", {"zaak": melding.zaak_url, "omschrijvingGeneriek": "initiator"}
    )
    identification = (rollen[0].get("betrokkeneIdentificatie") or {}) if rollen else {}
    bsn = identification.get("inpBsn") or None
    kvk = identification.get("kvkNummer") or None
    if not bsn and not kvk:
        return _Finding("geen_initiator")
    identificatie = str(zaak.get("identificatie") or "")
    return _Finding("verstuurd", bsn=bsn, kvk=kvk, identificatie=identificatie)


# --- Polling: notifications can be lost ---------------------------------------------------------

#: How often a registered, still open zaak is asked for its status.
POLL_EVERY = timedelta(minutes=15)


def poll_registered(engine: Engine, api: ZgwApi, *, now: datetime) -> int:
    """Ask the case system for the status of the zaken the portal registered and treat a status
    not seen before as a notification (the status URL is unique, so one that was also notified
    is handled once). Stops for a zaak once it has an end date. Returns how many were new."""
    with Session(engine) as db:
        due = db.exec(
            select(Registratie.id, Registratie.zaak_url, Registratie.status_url)
            .where(
                col(Registratie.registered_at).is_not(None),
                col(Registratie.closed_at).is_(None),
                (col(Registratie.polled_at).is_(None))
                | (col(Registratie.polled_at) <= now - POLL_EVERY),
            )
            .limit(BATCH)
        ).all()
    found = 0
    for registratie_id, zaak_url, first_status in due:
        try:
            zaak = api.get(str(zaak_url))
        except IntegrationUnavailable:
            return found  # try again next round; the case system is not answering
        with Session(engine) as db:
            values: dict[str, Any] = {"polled_at": now}
            if zaak is None or zaak.get("einddatum"):
                values["closed_at"] = now
            status = (zaak or {}).get("status")
            if status and status != first_status:
                found += _remember(db, resource_url=str(status), zaak_url=str(zaak_url), now=now)
            db.execute(
                update(Registratie).where(col(Registratie.id) == registratie_id).values(**values)
            )
            db.commit()
    return found


def _remember(db: Session, *, resource_url: str, zaak_url: str, now: datetime) -> int:
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    table: Any = Melding.__table__  # type: ignore[attr-defined]
    inserted = db.execute(
        dialect.insert(table)
        .values(
            resource_url=resource_url,
            zaak_url=zaak_url,
            received_at=now,
            attempts=0,
            next_attempt_at=now,
            outcome="",
        )
        .on_conflict_do_nothing(index_elements=["resource_url"])
        .returning(table.c.id)
    ).first()
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT DO NOTHING.
    return 0 if inserted is None else 1
