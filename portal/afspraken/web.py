"""Rendering the booking pages, and checking the contact details form."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from auth.identity import Identity
from auth.sessions import LoadedSession
from formulieren.fields.tekst import normalise_email, normalise_phone
from portal.afspraken import booking, links, schedule, service
from portal.afspraken.journey import Journey, time_value
from portal.afspraken.models import Appointment, BookableProduct, Location
from portal.gegevens import service as gegevens
from portal.integrations.brp import BRP
from portal.settings import Settings
from portal.templating import current_language, gettext, render

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def product_name(product: BookableProduct) -> str:
    return product.name_en if current_language() == "en" else product.name_nl


def bring_text(product: BookableProduct) -> str:
    return product.bring_en if current_language() == "en" else product.bring_nl


def accessibility_text(location: Location) -> str:
    return location.accessibility_en if current_language() == "en" else location.accessibility_nl


def _common(state: Journey) -> dict[str, Any]:
    return {
        "state": state,
        "product_name": product_name,
        "bring_text": bring_text,
        "accessibility_text": accessibility_text,
        "time_value": time_value,
        "rescheduling": None,
        "manage_token": "",
    }


def render_start(
    request: Request, db: Session, state: Journey, *, error: str | None = None
) -> HTMLResponse:
    products = service.bookable_products(db)
    return render(
        request,
        "afspraken/start.html",
        {
            **_common(state),
            "products": products,
            "max_persons": max((p.max_persons for p in products), default=1),
            "errors": [("product", error)] if error else [],
            "has_errors": bool(error),
        },
        status_code=422 if error else 200,
    )


def render_location(
    request: Request, db: Session, state: Journey, *, error: str | None = None
) -> HTMLResponse:
    assert state.choice is not None
    return render(
        request,
        "afspraken/locatie.html",
        {
            **_common(state),
            "locations": service.locations_for(db, state.choice),
            "errors": [("locatie", error)] if error else [],
            "has_errors": bool(error),
        },
        status_code=422 if error else 200,
    )


def month_grids(days: list[date], first: date, last: date) -> list[dict[str, Any]]:
    """Month calendars (weeks of 7 cells) from `first` to `last`; a cell is None outside the
    month, else (day, bookable)."""
    bookable = set(days)
    grids = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = [
            [
                (cell, cell in bookable) if cell.month == month and first <= cell <= last else None
                for cell in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        grids.append({"year": year, "month": month, "weeks": weeks})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return grids


def month_name(month: int) -> str:
    if current_language() == "en":
        return calendar.month_name[month]
    return MONTHS_NL[month - 1]


def render_dates(
    request: Request,
    db: Session,
    state: Journey,
    *,
    settings: Settings,
    now: datetime,
    error: str | None = None,
    base_path: str = "/afspraken/tijd",
    moving: Appointment | None = None,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The day step; `moving`: the appointment being moved, whose own time counts as free."""
    assert state.choice is not None
    assert state.location is not None
    ignore = moving.id if moving else None
    days = service.available_days(
        db, state.choice, state.location.code, settings=settings, now=now, ignore=ignore
    )
    first, last = service.window(settings, now)
    return render(
        request,
        "afspraken/datum.html",
        {
            **_common(state),
            "days": days,
            "first": first,
            "last": last,
            "grids": month_grids(days, first, last),
            "month_name": month_name,
            "time_path": base_path,
            "rescheduling": moving,
            "errors": [("datum", error)] if error else [],
            "has_errors": bool(error),
            **(extra or {}),
        },
        status_code=422 if error else 200,
    )


def render_times(
    request: Request,
    db: Session,
    state: Journey,
    *,
    settings: Settings,
    now: datetime,
    error: str | None = None,
    status_code: int | None = None,
    action: str = "/afspraken/tijd",
    moving: Appointment | None = None,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The time step; `moving` as for render_dates."""
    assert state.choice
    assert state.location
    assert state.day
    ignore = moving.id if moving else None
    times = service.available_times(
        db, state.choice, state.location.code, state.day, settings=settings, now=now, ignore=ignore
    )
    parts: dict[str, list[datetime]] = {"ochtend": [], "middag": [], "avond": []}
    for moment in times:
        hour = moment.astimezone(schedule.AMSTERDAM).hour
        parts["ochtend" if hour < 12 else "middag" if hour < 18 else "avond"].append(moment)
    return render(
        request,
        "afspraken/tijd.html",
        {
            **_common(state),
            "parts": [(name, moments) for name, moments in parts.items() if moments],
            "action": action,
            "hold_minutes": settings.appointment_hold_minutes,
            "rescheduling": moving,
            "errors": [("tijd", error)] if error else [],
            "has_errors": bool(error),
            **(extra or {}),
        },
        status_code=status_code or (422 if error else 200),
    )


def summary(db: Session, appointment: Appointment) -> dict[str, Any]:
    """What the pages about one appointment show."""
    products = service.products_by_code(db, appointment.product_codes)
    return {
        "appointment": appointment,
        "products": products,
        "location": service.get_location(db, appointment.location_code),
        "product_name": product_name,
        "bring_text": bring_text,
        "accessibility_text": accessibility_text,
    }


def journey_of(db: Session, appointment: Appointment, previous_hold: str = "") -> Journey:
    """The journey that leads to this appointment's choices (for the change links)."""
    return Journey(
        codes=list(appointment.product_codes),
        persons_raw=str(appointment.persons),
        location_code=appointment.location_code,
        day_raw=schedule.local_day(appointment.starts_at).isoformat(),
        previous_hold=previous_hold,
    )


def contact_values(
    db: Session,
    appointment: Appointment,
    identity: Identity | None,
    loaded: LoadedSession | None,
    brp: BRP,
) -> dict[str, str]:
    """What the details form shows: what was given before, else what the municipality knows."""
    values = {"naam": appointment.name, "email": appointment.email, "telefoon": appointment.phone}
    if appointment.name or identity is None:
        return values
    if identity.is_resident and loaded is not None:
        persoon = gegevens.get_persoon_for_session(db, loaded=loaded, brp=brp)
        if persoon is not None:
            values["naam"] = persoon.naam.display
    owner = gegevens.owner_of(identity)
    details = gegevens.contact_details(db, owner=owner) if owner else None
    if details is not None:
        # Only what the person verified with a code is used without asking.
        if details.email and details.email_verified_at:
            values["email"] = details.email
        if details.phone and details.phone_verified_at:
            values["telefoon"] = details.phone
    return values


def check_contact(
    values: dict[str, str], *, email_required: bool
) -> tuple[booking.Contact | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    name = values["naam"]
    if not name:
        errors.append(("naam", gettext("Vul uw naam in.")))
    elif len(name) > 200:
        errors.append(("naam", gettext("Uw naam mag hoogstens 200 tekens lang zijn.")))
    email = normalise_email(values["email"]) if values["email"] else ""
    if email is None:
        errors.append(("email", gettext("Vul een e-mailadres in zoals naam@voorbeeld.nl.")))
    elif not email and email_required:
        errors.append(
            ("email", gettext("Vul uw e-mailadres in. Daar sturen wij de bevestiging naartoe."))
        )
    phone = normalise_phone(values["telefoon"]) if values["telefoon"] else ""
    if phone is None:
        errors.append(("telefoon", gettext("Vul een telefoonnummer in zoals 06 12345678.")))
    if errors:
        return None, errors
    return booking.Contact(name=name, email=email or "", phone=phone or ""), []


def render_details(
    request: Request,
    db: Session,
    appointment: Appointment,
    token: str,
    *,
    values: dict[str, str],
    settings: Settings,
    errors: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "afspraken/gegevens.html",
        {
            **summary(db, appointment),
            "token": token,
            "values": values,
            "errors": errors or [],
            "error_of": dict(errors or []),
            "has_errors": bool(errors),
            "email_required": not appointment.bsn,
            "hold_live": booking.hold_is_live(appointment, datetime.now(UTC)),
        },
        status_code=status_code,
    )


def render_check(
    request: Request,
    db: Session,
    appointment: Appointment,
    token: str,
    *,
    settings: Settings,
    now: datetime,
) -> HTMLResponse:
    change = journey_of(db, appointment, previous_hold=token)
    return render(
        request,
        "afspraken/controleren.html",
        {
            **summary(db, appointment),
            "token": token,
            "change": change,
            "hold_live": booking.hold_is_live(appointment, now),
        },
    )


def render_expired(
    request: Request,
    db: Session,
    appointment: Appointment,
    *,
    settings: Settings,
    status_code: int = 200,
) -> HTMLResponse:
    """The hold ran out (and, when confirming, its time was taken): choose again, details kept."""
    token = links.hold_token(settings, appointment)
    return render(
        request,
        "afspraken/verlopen.html",
        {**summary(db, appointment), "change": journey_of(db, appointment, previous_hold=token)},
        status_code=status_code,
    )


def render_limit(request: Request, settings: Settings) -> HTMLResponse:
    return render(
        request,
        "afspraken/limiet.html",
        {"limit": settings.appointment_open_limit},
        status_code=422,
    )
