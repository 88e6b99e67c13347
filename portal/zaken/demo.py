"""Demo cases for `mijn-haren demo load`: every demo person and company gets cases in several
states, made through the same services staff and residents use, so that histories, messages,
the outbox and documents agree with each other.

Idempotent: each demo case has a fixed submission token ("demo-<bsn or kvk>-<n>"); a case that
exists is left alone. The demo's e-mails are marked sent, so the worker does not send them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from auth.devidp.people import STAFF
from portal.berichten import service as berichten
from portal.berichten.models import OutboxMessage
from portal.files import FileStore, file_store
from portal.producten import service as producten_service
from portal.settings import Settings
from portal.zaken import handling, zaaktypen
from portal.zaken import service as zaken_service
from portal.zaken.demo_plan import OWNERS, DemoCase, DemoOwner, Step
from portal.zaken.models import Zaak, ZaakVerzoek

# The demo staff who handle cases; both handle every product of the catalogue.
HANDLERS = ("behandelaar", "behandelaar-beheerder")
_RELATIVE_DATE = re.compile(r"^\+(\d+)d$")


def token_for(owner: DemoOwner, number: int) -> str:
    return f"demo-{owner.bsn or owner.kvk}-{number}"


def staff_name(subject: str) -> str:
    return next((s.name or s.label for s in STAFF if s.subject == subject), subject)


def load_zaken_demo(db: Session, settings: Settings) -> str:
    """Case types for every product, handlers for every product, and the demo cases."""
    now = datetime.now(UTC)
    slugs = {product.slug for product in producten_service.list_products()}
    for slug in sorted(slugs):
        zaaktypen.ensure_zaaktype(db, slug, now=now)
    for subject in HANDLERS:
        zaaktypen.set_staff_products(
            db,
            staff_subject=subject,
            staff_name=staff_name(subject),
            zaaktypen=zaaktypen.products_of(db, subject) | slugs,
        )
    store = file_store(settings.data_dir)
    created = existing = 0
    for owner in OWNERS:
        for number, case in enumerate(owner.cases, start=1):
            token = token_for(owner, number)
            if db.exec(select(Zaak.id).where(col(Zaak.submission_token) == token)).first():
                existing += 1
                continue
            if number == 1 and owner.email_off:
                berichten.set_preferences(
                    db, owner=_owner_key(owner), wanted=set(berichten.KINDS) - owner.email_off
                )
            _DemoCasePlayer(db, settings, store, now).play(owner, case, token)
            created += 1
    return (
        f"zaken: {created} demo cases created, {existing} already there; "
        f"{len(HANDLERS)} demo behandelaars handle all {len(slugs)} products"
    )


def _owner_key(owner: DemoOwner) -> str:
    return f"bsn:{owner.bsn}" if owner.bsn else f"kvk:{owner.kvk}"


def _with_dates(value: Any, today: date) -> Any:
    """Answers with "+14d" made into the date 14 days from today (ISO, as forms store them)."""
    if isinstance(value, dict):
        return {key: _with_dates(item, today) for key, item in value.items()}
    if isinstance(value, str) and (match := _RELATIVE_DATE.match(value)):
        return (today + timedelta(days=int(match.group(1)))).isoformat()
    return value


@dataclass
class _DemoCasePlayer:
    db: Session
    settings: Settings
    store: FileStore
    now: datetime
    deadline: date | None = None

    def play(self, owner: DemoOwner, case: DemoCase, token: str) -> None:
        received = self._received_at(case)
        product = producten_service.get_product(case.product)
        title = product.naam if product else case.product
        zaak = zaken_service.create_zaak(
            self.db,
            zaaktype=case.product,
            omschrijving=title,
            initiator=zaken_service.Initiator(
                kind="natuurlijk_persoon" if owner.bsn else "niet_natuurlijk_persoon",
                bsn=owner.bsn,
                kvk=owner.kvk,
                vestiging=case.vestiging,
                name=owner.name,
            ),
            answers=_with_dates(case.answers, self.now.date()),
            submission_token=token,
            received_at=received,
            form_slug=case.form_slug,
            contact_email=owner.email,
        )
        self._confirm(zaak, owner, received)
        self._attach(zaak, "aanvraag", f"Ontvangstbewijs {title}", _receipt(zaak, title), received)
        if case.assigned_to:
            handling.assign(
                self.db,
                zaak,
                version=zaak.version,
                staff_subject=case.assigned_to,
                staff_name=staff_name(case.assigned_to),
                now=received + timedelta(hours=1),
            )
        staff = _staff_actor(case.assigned_to or "behandelaar")
        resident = handling.Actor(
            subject=owner.bsn or owner.kvk or "", name=owner.name, role="inwoner"
        )
        answered = any(step.action == "antwoorden" for step in case.steps)
        for step in case.steps:
            at = received + step.after
            # An open request is due in two weeks from today; an answered one was due then.
            self.deadline = (at if answered else self.now).date() + timedelta(days=14)
            self._step(zaak, step, at, staff, resident, title)
        # The demo's history was "sent" when it happened; only new messages go out.
        self.db.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.zaak_reference) == zaak.reference)
            .where(col(OutboxMessage.skipped) == "", col(OutboxMessage.sent_at).is_(None))
            .values(sent_at=OutboxMessage.created_at, attempts=1)
        )
        self.db.flush()

    def _received_at(self, case: DemoCase) -> datetime:
        if case.days_ago:
            return self.now - timedelta(days=case.days_ago)
        # "Received today": an hour ago, but not before midnight.
        midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        return max(self.now - timedelta(hours=1), midnight)

    def _confirm(self, zaak: Zaak, owner: DemoOwner, received: datetime) -> None:
        link = f"{self.settings.base_url.rstrip('/')}/mijn/zaken/{zaak.reference}"
        berichten.queue_message(
            self.db,
            kind="submission_received",
            recipient=berichten.Recipient(email=owner.email, bsn=owner.bsn, kvk=owner.kvk),
            subject="Wij hebben uw aanvraag ontvangen",
            body_text=(
                f"Beste {owner.name},\n\nWij hebben uw aanvraag ontvangen.\n"
                f"Uw referentienummer is {zaak.reference}.\n\n"
                f"U volgt uw aanvraag in Mijn Haren:\n{link}\n\n"
                "Met vriendelijke groet,\nGemeente Haren\n"
            ),
            now=received,
            zaak_reference=zaak.reference,
        )

    def _step(
        self,
        zaak: Zaak,
        step: Step,
        at: datetime,
        staff: handling.Actor,
        resident: handling.Actor,
        title: str,
    ) -> None:
        db, settings = self.db, self.settings
        if step.action == "behandelen":
            handling.change_status(
                db,
                zaak,
                version=zaak.version,
                status=zaaktypen.IN_PROGRESS,
                actor=staff,
                settings=settings,
                now=at,
                note_for_resident=step.text,
            )
        elif step.action == "vragen":
            assert self.deadline is not None
            handling.request_information(
                db,
                zaak,
                version=zaak.version,
                kind="documenten",
                question=step.text,
                deadline=self.deadline,
                actor=staff,
                settings=settings,
                now=at,
            )
        elif step.action == "antwoorden":
            verzoek = db.exec(select(ZaakVerzoek).where(col(ZaakVerzoek.zaak_id) == zaak.id)).all()[
                -1
            ]
            handling.answer_request(
                db, zaak, verzoek, version=zaak.version, answer=step.text, actor=resident, now=at
            )
        elif step.action in ("bericht_inwoner", "bericht_medewerker"):
            actor = resident if step.action == "bericht_inwoner" else staff
            handling.post_message(db, zaak, body=step.text, actor=actor, settings=settings, now=at)
        elif step.action == "besluit":
            if step.result != "geen_besluit":
                letter = _decision_letter(zaak, title, step, at)
                self._attach(zaak, "besluit", f"Besluit {title}", letter, at, staff.name)
            handling.close_zaak(
                db,
                zaak,
                version=zaak.version,
                result=step.result,
                actor=staff,
                settings=settings,
                now=at,
                note_for_resident=step.text,
            )
        elif step.action == "intrekken":
            handling.withdraw(
                db,
                zaak,
                version=zaak.version,
                reason=step.text,
                actor=resident,
                settings=settings,
                now=at,
            )
        else:
            raise ValueError(step.action)

    def _attach(
        self, zaak: Zaak, source: str, title: str, pdf: bytes, at: datetime, by: str = ""
    ) -> None:
        assert zaak.id is not None
        stored = self.store.save(BytesIO(pdf))
        kind = "besluit" if source == "besluit" else "ontvangstbewijs"
        zaken_service.add_document(
            self.db,
            zaak_id=zaak.id,
            title=title,
            filename=f"{kind}-{zaak.reference}.pdf",
            content_type="application/pdf",
            size=stored.size,
            stored_name=stored.stored_name,
            sha256=stored.sha256,
            now=at,
            source=source,
            added_by=by,
        )


def _staff_actor(subject: str) -> handling.Actor:
    return handling.Actor(subject=subject, name=staff_name(subject), role="behandelaar")


_LETTER = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font-family: sans-serif; font-size: 11pt; line-height: 1.5; margin: 2cm; }}
  .afzender {{ color: #2a5a8c; font-weight: bold; font-size: 14pt; }}
  table {{ margin: 1em 0; }} th {{ text-align: left; padding-right: 1em; }}
</style></head>
<body>
<p class="afzender">Gemeente Haren</p>
<p>{name}</p>
<p>Haren, {day}</p>
<h1>{title}</h1>
<table>
<tr><th>Zaaknummer</th><td>{reference}</td></tr>
<tr><th>Ontvangen</th><td>{received}</td></tr>
<tr><th>{label}</th><td>{outcome}</td></tr>
</table>
{paragraphs}
<p>Met vriendelijke groet,<br>namens het college van burgemeester en wethouders,<br>{signer}</p>
</body></html>
"""


def _pdf(**values: str) -> bytes:
    from weasyprint import HTML

    escaped = {k: html.escape(v) if k != "paragraphs" else v for k, v in values.items()}
    return bytes(HTML(string=_LETTER.format(**escaped)).write_pdf())


def _decision_letter(zaak: Zaak, title: str, step: Step, at: datetime) -> bytes:
    """A short decision letter, as the behandelaar would upload it."""
    outcome = zaaktypen.RESULTS[step.result].name
    paragraphs = "".join(
        f"<p>{html.escape(text)}</p>"
        for text in (
            f"Beste {zaak.initiator_name},",
            f"U vroeg ons om: {title.lower()}. Wij hebben besloten: {outcome.lower()}.",
            step.text,
            "Bent u het niet eens met dit besluit? Dan kunt u binnen 6 weken bezwaar maken "
            "in Mijn Haren.",
        )
        if text
    )
    return _pdf(
        title=f"Besluit: {title}",
        name=zaak.initiator_name,
        day=at.date().strftime("%d-%m-%Y"),
        reference=zaak.reference,
        received=zaak.received_at.date().strftime("%d-%m-%Y"),
        label="Besluit",
        outcome=outcome,
        paragraphs=paragraphs,
        signer="Team Vergunningen en Burgerzaken",
    )


def _receipt(zaak: Zaak, title: str) -> bytes:
    """The receipt of the application, as the form engine makes it at submission."""
    return _pdf(
        title=f"Ontvangstbewijs: {title}",
        name=zaak.initiator_name,
        day=zaak.received_at.date().strftime("%d-%m-%Y"),
        reference=zaak.reference,
        received=zaak.received_at.date().strftime("%d-%m-%Y"),
        label="Status",
        outcome="Ontvangen",
        paragraphs="<p>Wij hebben uw aanvraag ontvangen. U kunt uw aanvraag volgen in "
        "Mijn Haren.</p>",
        signer="Gemeente Haren",
    )
