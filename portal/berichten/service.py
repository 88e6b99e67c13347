"""Messages to residents and companies: written in the same transaction as the change that causes
them, e-mailed by the worker unless the person switched that kind off, and kept as their log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from auth.identity import Identity
from portal.berichten.models import MessagePreference, OutboxMessage
from portal.gegevens import service as gegevens_service


def N_(text: str) -> str:  # noqa: N802 (Babel's marker name)
    """Marks a text for the catalogue without translating it here; templates translate it."""
    return text


@dataclass(frozen=True)
class MessageKind:
    code: str
    label: str  # Dutch; templates translate it
    mandatory: bool  # the e-mail cannot be switched off (the resident has to act)


KINDS: dict[str, MessageKind] = {
    k.code: k
    for k in (
        MessageKind(
            "submission_received", N_("Bevestiging dat wij uw aanvraag hebben ontvangen"), False
        ),
        MessageKind("status_changed", N_("Uw zaak heeft een nieuwe status"), False),
        MessageKind("message_received", N_("Nieuw bericht van de gemeente over uw zaak"), False),
        MessageKind("decision_made", N_("Wij hebben uw zaak afgehandeld"), False),
        MessageKind("information_requested", N_("Wij hebben informatie van u nodig"), True),
        MessageKind("request_reminder", N_("Herinnering: wij wachten nog op uw reactie"), True),
        MessageKind("appointment_confirmed", N_("Bevestiging van uw afspraak"), True),
        MessageKind("appointment_rescheduled", N_("Uw afspraak is verzet"), True),
        MessageKind("appointment_cancelled", N_("Uw afspraak is afgezegd"), False),
        MessageKind("appointment_reminder", N_("Herinnering aan uw afspraak"), False),
        MessageKind("appointment_closure", N_("Uw afspraak kan niet doorgaan"), True),
    )
}
PAGE_SIZE = 25


@dataclass(frozen=True)
class Recipient:
    """Who a message is for: the person (to show it in their log) and their e-mail address.

    A person's verified address (in /mijn/gegevens) wins over `email`, unless `exact` is set:
    a verification code must reach the address being verified, a change notice the old one."""

    email: str | None
    bsn: str | None = None
    kvk: str | None = None
    exact: bool = False

    @property
    def owner(self) -> str | None:
        if self.bsn:
            return f"bsn:{self.bsn}"
        if self.kvk:
            return f"kvk:{self.kvk}"
        return None


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with the e-mail (a calendar file)."""

    filename: str
    content_type: str
    text: str


def case_notice(kind: str, *, name: str | None, link: str, after: str = "") -> tuple[str, str]:
    """Subject and body of an e-mail about a case. It holds the name and a link only; the
    details are behind the login (e-mail is not a safe channel for them)."""
    subject = KINDS[kind].label
    greeting = f"Beste {name}," if name else "Beste inwoner,"
    body = (
        f"{greeting}\n\n{subject}.\n\n"
        f"Kijk in Mijn Haren wat er is veranderd:\n{link}\n\n"
        f"{after}"
        "Met vriendelijke groet,\nGemeente Haren\n"
    )
    return subject, body


def queue_message(
    db: Session,
    *,
    kind: str,
    recipient: str | Recipient,
    subject: str,
    body_text: str,
    now: datetime,
    zaak_reference: str | None = None,
    attachment: Attachment | None = None,
) -> OutboxMessage:
    """Write one message to the outbox; the worker sends it after the transaction commits."""
    to = recipient if isinstance(recipient, Recipient) else Recipient(email=recipient)
    if to.owner and not to.exact:
        verified = gegevens_service.verified_email(db, owner=to.owner)
        if verified:
            to = Recipient(email=verified, bsn=to.bsn, kvk=to.kvk)
    skipped = ""
    if not to.email:
        skipped = "geen_adres"
    elif to.owner and not email_wanted(db, owner=to.owner, kind=kind):
        skipped = "voorkeur"
    message = OutboxMessage(
        kind=kind,
        recipient=(to.email or "")[:254],
        recipient_bsn=to.bsn,
        recipient_kvk=to.kvk,
        subject=subject[:200],
        body_text=body_text,
        zaak_reference=zaak_reference,
        created_at=now,
        send_after=now,
        skipped=skipped,
        attachment_name=attachment.filename if attachment else "",
        attachment_type=attachment.content_type if attachment else "",
        attachment_text=attachment.text if attachment else None,
    )
    db.add(message)
    db.flush()
    return message


def email_wanted(db: Session, *, owner: str, kind: str) -> bool:
    """Whether this person wants e-mail of this kind (always, for kinds that ask them to act)."""
    message_kind = KINDS.get(kind)
    if message_kind is None or message_kind.mandatory:
        return True
    preference = db.get(MessagePreference, (owner, kind))
    return preference is None or preference.email_wanted


def preferences(db: Session, *, owner: str) -> dict[str, bool]:
    """Every kind with whether this person wants it by e-mail."""
    stored = db.exec(select(MessagePreference).where(col(MessagePreference.owner) == owner)).all()
    off = {p.kind for p in stored if not p.email_wanted and p.kind in KINDS}
    off -= {code for code, kind in KINDS.items() if kind.mandatory}
    return {code: code not in off for code in KINDS}


def set_preferences(db: Session, *, owner: str, wanted: set[str]) -> None:
    """Store the choice; kinds that cannot be switched off stay on whatever was sent."""
    for code, message_kind in KINDS.items():
        on = code in wanted or message_kind.mandatory
        preference = db.get(MessagePreference, (owner, code))
        if preference is None:
            preference = MessagePreference(owner=owner, kind=code, email_wanted=on)
        preference.email_wanted = on
        db.add(preference)
    db.flush()


def _owned(bsn: str | None, kvk: str | None) -> list[Any]:
    if bsn:
        return [col(OutboxMessage.recipient_bsn) == bsn]
    if kvk:
        return [col(OutboxMessage.recipient_kvk) == kvk]
    return [col(OutboxMessage.id).is_(None)]


def list_messages_for(
    db: Session, *, bsn: str | None, kvk: str | None, page: int = 1
) -> tuple[list[OutboxMessage], int]:
    """This person's messages, newest first, with the total count."""
    conditions = _owned(bsn, kvk)
    total = int(db.exec(select(func.count()).select_from(OutboxMessage).where(*conditions)).one())
    query = (
        select(OutboxMessage)
        .where(*conditions)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .offset((max(1, page) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return list(db.exec(query).all()), total


def delivery_state(message: OutboxMessage) -> str:
    """verstuurd | wordt_verstuurd | vertraagd | niet_gemaild_voorkeur | geen_adres"""
    if message.sent_at is not None:
        return "verstuurd"
    if message.skipped == "voorkeur":
        return "niet_gemaild_voorkeur"
    if message.skipped == "geen_adres":
        return "geen_adres"
    return "vertraagd" if message.attempts > 0 else "wordt_verstuurd"


EXPORT_TABLES = ("outbox_message", "bericht_voorkeur")


def export_personal_data(db: Session, identity: Identity) -> list[gegevens_service.ExportSection]:
    """The person's messages and e-mail choices, for "Download mijn gegevens"."""
    iso = gegevens_service.iso
    messages = db.exec(
        select(OutboxMessage)
        .where(*_owned(identity.bsn, identity.kvk))
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()
    owner = Recipient(email=None, bsn=identity.bsn, kvk=identity.kvk).owner
    chosen = preferences(db, owner=owner) if owner else {}
    return [
        gegevens_service.ExportSection(
            key="berichten",
            title="Berichten",
            description="Elk bericht dat wij u stuurden, en of de e-mail is verstuurd.",
            fields={
                "soort": "het soort bericht",
                "onderwerp": "het onderwerp",
                "tekst": "de tekst van het bericht",
                "email": "het e-mailadres waar het naartoe ging (leeg: niet gemaild)",
                "zaak": "het zaaknummer",
                "aangemaakt_op": "wanneer wij het bericht maakten (UTC)",
                "verstuurd_op": "wanneer de e-mail is verstuurd (UTC)",
                "niet_gemaild": "voorkeur: u zette dit soort e-mail uit; geen_adres: geen adres",
            },
            records=[
                {
                    "soort": m.kind,
                    "onderwerp": m.subject,
                    "tekst": m.body_text,
                    "email": m.recipient,
                    "zaak": m.zaak_reference,
                    "aangemaakt_op": iso(m.created_at),
                    "verstuurd_op": iso(m.sent_at),
                    "niet_gemaild": m.skipped,
                }
                for m in messages
            ],
        ),
        gegevens_service.ExportSection(
            key="berichtvoorkeuren",
            title="Welke e-mail u wilt krijgen",
            description="Per soort bericht: of wij u er een e-mail over sturen.",
            fields={"soort": "het soort bericht", "email": "true: u krijgt er een e-mail over"},
            records=[{"soort": code, "email": wanted} for code, wanted in chosen.items()],
        ),
    ]
