"""The e-mails about an appointment and its calendar file (iCalendar, RFC 5545).

Each e-mail goes through the message outbox, written in the transaction of the change, so a
confirmed, moved or cancelled appointment always gets its e-mail and never two.
The calendar file keeps one UID per appointment and raises SEQUENCE on every change, so a
calendar that imported the first file updates the entry instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from icalendar import Calendar, Event, vText
from sqlmodel import Session

from portal.afspraken import booking, links, schedule, service
from portal.afspraken.models import Appointment, Location
from portal.berichten import service as berichten
from portal.settings import Settings
from portal.templating import translations_for

ICS_TYPE = "text/calendar"
ICS_NAME = "afspraak-gemeente-haren.ics"


def N_(text: str) -> str:  # noqa: N802 (Babel's marker name)
    """Marks a text for the catalogue; it is translated into the booking's language when sent."""
    return text


def when_text(appointment: Appointment, translate: Callable[[str], str] = str) -> str:
    start = appointment.starts_at.astimezone(schedule.AMSTERDAM)
    end = appointment.ends_at.astimezone(schedule.AMSTERDAM)
    return translate(N_("%(day)s van %(start)s tot %(end)s uur")) % {
        "day": f"{start:%d-%m-%Y}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def address_text(location: Location) -> str:
    return f"{location.name}, {location.street}, {location.postcode} {location.city}"


def calendar_file(
    appointment: Appointment, location: Location, products: str, *, settings: Settings
) -> str:
    """The appointment as an iCalendar file; a cancelled one as METHOD:CANCEL."""
    cancelled = appointment.state == "geannuleerd"
    calendar = Calendar()
    calendar.add("prodid", "-//Gemeente Haren//Mijn Haren afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    host = settings.base_origin.split("://", 1)[-1]
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("sequence", appointment.version)
    event.add("dtstamp", appointment.confirmed_at or appointment.created_at)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"{settings.municipality_name}: {products}")
    event.add("location", vText(address_text(location)))
    event.add(
        "description",
        f"Afspraak {appointment.reference} voor {appointment.persons} "
        f"{'persoon' if appointment.persons == 1 else 'personen'}.",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()


def _body(
    appointment: Appointment,
    location: Location,
    products: str,
    bring: list[str],
    *,
    opening: str,
    manage_url: str | None,
    translate: Callable[[str], str],
) -> str:
    t = translate
    persons = (t(N_("1 persoon")) if appointment.persons == 1 else t(N_("%(num)s personen"))) % {
        "num": appointment.persons
    }
    lines = [
        t(N_("Beste %(name)s,")) % {"name": appointment.name or t(N_("inwoner"))},
        "",
        t(opening),
        "",
        f"{t(N_('Waarvoor'))}: {products} ({persons})",
        f"{t(N_('Wanneer'))}: {when_text(appointment, t)}",
        f"{t(N_('Waar'))}: {address_text(location)}",
        f"{t(N_('Kenmerk'))}: {appointment.reference}",
    ]
    if bring:
        lines += ["", f"{t(N_('Neem mee'))}:", *[f"- {item}" for item in bring]]
    if manage_url:
        change = t(N_("Verzetten of afzeggen kan hier, zonder in te loggen:"))
        lines += ["", f"{change} {manage_url}"]
    lines += ["", t(N_("Met vriendelijke groet,")), "Gemeente Haren", ""]
    return "\n".join(lines)


KIND_TEXTS = {
    "appointment_confirmed": (
        N_("Uw afspraak bij de gemeente is gemaakt"),
        N_("Uw afspraak is gemaakt. In de bijlage staat hij voor uw agenda."),
    ),
    "appointment_rescheduled": (
        N_("Uw afspraak bij de gemeente is verzet"),
        N_("Uw afspraak is verzet naar de nieuwe tijd hieronder. De oude tijd vervalt."),
    ),
    "appointment_cancelled": (
        N_("Uw afspraak bij de gemeente is afgezegd"),
        N_("Uw afspraak is afgezegd. U hoeft niet te komen."),
    ),
    "appointment_reminder": (
        N_("Herinnering: uw afspraak bij de gemeente"),
        N_("Wij herinneren u aan uw afspraak."),
    ),
    "appointment_closure": (
        N_("Uw afspraak bij de gemeente kan niet doorgaan"),
        N_(
            "Het gemeentekantoor is dan gesloten. Kies alstublieft een nieuwe tijd met de link "
            "hieronder, of bel 14 050."
        ),
    ),
}


def queue_appointment_mail(
    db: Session,
    appointment: Appointment,
    *,
    kind: str,
    settings: Settings,
    now: datetime,
    manage_url: str | None,
) -> None:
    """Write the e-mail of `kind` for this appointment to the outbox (with the calendar file)."""
    location = service.get_location(db, appointment.location_code)
    assert location is not None
    products = service.products_by_code(db, appointment.product_codes)
    english = appointment.language == "en"
    names = ", ".join(p.name_en if english else p.name_nl for p in products)
    bring = [p.bring_en if english else p.bring_nl for p in products if p.bring_nl]
    translate = translations_for(appointment.language).gettext
    subject, opening = KIND_TEXTS[kind]
    if kind == "appointment_cancelled":
        manage_url = None
    body = _body(
        appointment,
        location,
        names,
        bring,
        opening=opening,
        manage_url=manage_url,
        translate=translate,
    )
    attach = kind in ("appointment_confirmed", "appointment_rescheduled", "appointment_cancelled")
    berichten.queue_message(
        db,
        kind=kind,
        recipient=berichten.Recipient(
            email=appointment.email or None, bsn=appointment.bsn, kvk=appointment.kvk
        ),
        subject=translate(subject),
        body_text=body,
        now=now,
        attachment=(
            berichten.Attachment(
                filename=ICS_NAME,
                content_type=ICS_TYPE,
                text=calendar_file(appointment, location, names, settings=settings),
            )
            if attach
            else None
        ),
    )


def queue_reminders(db: Session, *, settings: Settings, now: datetime) -> int:
    """A reminder for each appointment starting within the reminder time (once each)."""
    claimed = booking.claim_reminders(db, settings=settings, now=now)
    for appointment in claimed:
        queue_appointment_mail(
            db,
            appointment,
            kind="appointment_reminder",
            settings=settings,
            now=now,
            manage_url=links.manage_url(settings, appointment),
        )
    return len(claimed)
