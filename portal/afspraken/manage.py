"""After booking: the appointment page behind the signed link (also the confirmation page),
its calendar file, rescheduling and cancelling without login, and the logged-in list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.afspraken import booking, journey, links, mail, service, web
from portal.afspraken.journey import Journey
from portal.afspraken.models import Appointment
from portal.database import SessionDep
from portal.security import CustomerAccess, PublicAccess, rate_limit
from portal.settings import Settings, SettingsDep
from portal.templating import gettext, render, url_for

router = APIRouter()
booking_limit = Depends(rate_limit("afspraak", lambda s: s.appointment_rate_limit))
NOTICES = ("gemaakt", "verzet")


def _now() -> datetime:
    return datetime.now(UTC)


def _dead_link() -> HTTPException:
    """A link to an appointment that was moved, cancelled or passed (or never existed)."""
    return HTTPException(status_code=404, detail="afspraak_link")


def _appointment(db: SessionDep, settings: Settings, token: str) -> Appointment:
    appointment = links.appointment_from_manage_token(db, settings, token, now=_now())
    if appointment is None:
        raise _dead_link()
    return appointment


@router.get("/afspraken/afspraak/{token}", name="afspraken:manage")
def manage(
    request: Request,
    token: str,
    identity: PublicAccess,
    db: SessionDep,
    settings: SettingsDep,
    melding: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    """The appointment: when, where, what to bring; add it to a calendar, move or cancel it."""
    appointment = _appointment(db, settings, token)
    return render(
        request,
        "afspraken/afspraak.html",
        {
            **web.summary(db, appointment),
            "token": token,
            "notice": melding if melding in NOTICES else "",
            "changeable": booking.is_changeable(appointment, _now()),
        },
    )


@router.get("/afspraken/afspraak/{token}/agenda.ics", name="afspraken:ics")
def calendar_file(
    token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """The appointment as a calendar file."""
    appointment = _appointment(db, settings, token)
    location = service.get_location(db, appointment.location_code)
    assert location is not None
    names = ", ".join(p.name_nl for p in service.products_by_code(db, appointment.product_codes))
    return Response(
        mail.calendar_file(appointment, location, names, settings=settings),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{mail.ICS_NAME}"'},
    )


def _reschedule_state(db: SessionDep, appointment: Appointment, day_raw: str = "") -> Journey:
    state = web.journey_of(db, appointment)
    state.day_raw = day_raw
    if state.check_choice(db) or state.check_location(db):
        # The product or location was taken out of the schedule since the booking.
        raise HTTPException(status_code=404)
    return state


@router.get("/afspraken/afspraak/{token}/verzetten", name="afspraken:reschedule_date")
def reschedule_date(
    request: Request, token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Moving the appointment: choose a new day (the old time stays until a new one is taken)."""
    appointment = _appointment(db, settings, token)
    if not booking.is_changeable(appointment, _now()):
        raise _dead_link()
    state = _reschedule_state(db, appointment)
    return web.render_dates(
        request,
        db,
        state,
        settings=settings,
        now=_now(),
        base_path=url_for("afspraken:reschedule_time", token=token),
        moving=appointment,
        extra=_reschedule_context(db, appointment, token),
    )


def _reschedule_context(db: SessionDep, appointment: Appointment, token: str) -> dict[str, object]:
    return {"manage_token": token, **web.summary(db, appointment)}


@router.get("/afspraken/afspraak/{token}/verzetten/tijd", name="afspraken:reschedule_time")
def reschedule_time(
    request: Request,
    token: str,
    identity: PublicAccess,
    db: SessionDep,
    settings: SettingsDep,
    datum: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    """Moving the appointment: the free times on the new day."""
    appointment = _appointment(db, settings, token)
    if not booking.is_changeable(appointment, _now()):
        raise _dead_link()
    return _times_or_dates(request, db, settings, appointment, token, datum)


def _times_or_dates(
    request: Request,
    db: SessionDep,
    settings: Settings,
    appointment: Appointment,
    token: str,
    day_raw: str,
    *,
    error: str | None = None,
    status_code: int | None = None,
) -> HTMLResponse:
    state = _reschedule_state(db, appointment, day_raw)
    extra = _reschedule_context(db, appointment, token)
    first, last = service.window(settings, _now())
    day_error = state.check_day(first, last)
    if day_error:
        return web.render_dates(
            request,
            db,
            state,
            settings=settings,
            now=_now(),
            error=day_error,
            base_path=url_for("afspraken:reschedule_time", token=token),
            moving=appointment,
            extra=extra,
        )
    return web.render_times(
        request,
        db,
        state,
        settings=settings,
        now=_now(),
        error=error,
        status_code=status_code,
        action=url_for("afspraken:reschedule", token=token),
        moving=appointment,
        extra=extra,
    )


@router.post(
    "/afspraken/afspraak/{token}/verzetten",
    name="afspraken:reschedule",
    dependencies=[booking_limit],
)
def reschedule(
    request: Request,
    token: str,
    identity: PublicAccess,
    db: SessionDep,
    settings: SettingsDep,
    datum: Annotated[str, Form(max_length=10)] = "",
    tijd: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Take the new time and let go of the old one, in one transaction."""
    appointment = _appointment(db, settings, token)
    now = _now()
    state = _reschedule_state(db, appointment, datum)
    first, last = service.window(settings, now)
    if state.check_day(first, last) is not None:
        return _times_or_dates(request, db, settings, appointment, token, datum)
    assert state.day is not None
    start = journey.parse_time(state.day, tijd) if tijd else None
    if start is None:
        return _times_or_dates(
            request, db, settings, appointment, token, datum, error=gettext("Kies een tijd.")
        )
    try:
        booking.reschedule(db, appointment, start=start, settings=settings, now=now)
    except (booking.SlotTaken, booking.InvalidSlot, booking.NotChangeable) as problem:
        db.rollback()
        if isinstance(problem, booking.NotChangeable):
            raise _dead_link() from problem
        taken = isinstance(problem, booking.SlotTaken)
        message = (
            gettext("Deze tijd is intussen niet meer vrij. Kies een andere tijd.")
            if taken
            else gettext("Kies een tijd uit de lijst.")
        )
        fresh = _appointment(db, settings, token)
        return _times_or_dates(
            request,
            db,
            settings,
            fresh,
            token,
            datum,
            error=message,
            status_code=409 if taken else 422,
        )
    mail.queue_appointment_mail(
        db,
        appointment,
        kind="appointment_rescheduled",
        settings=settings,
        now=now,
        manage_url=links.manage_url(settings, appointment),
    )
    token = links.manage_token(settings, appointment)
    target = f"{url_for('afspraken:manage', token=token)}?melding=verzet"
    return RedirectResponse(target, status_code=303)


@router.get("/afspraken/afspraak/{token}/afzeggen", name="afspraken:cancel_form")
def cancel_form(
    request: Request, token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Are you sure? (A cancelled appointment cannot be brought back.)"""
    appointment = _appointment(db, settings, token)
    if not booking.is_changeable(appointment, _now()):
        raise _dead_link()
    return render(
        request, "afspraken/afzeggen.html", {**web.summary(db, appointment), "token": token}
    )


@router.post(
    "/afspraken/afspraak/{token}/afzeggen", name="afspraken:cancel", dependencies=[booking_limit]
)
def cancel(
    request: Request, token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """Cancel: the desk is free again and a confirmation e-mail (with a cancelling .ics) goes."""
    appointment = _appointment(db, settings, token)
    now = _now()
    try:
        booking.cancel(db, appointment, now=now, reason="inwoner")
    except booking.NotChangeable as exc:
        db.rollback()
        raise _dead_link() from exc
    mail.queue_appointment_mail(
        db, appointment, kind="appointment_cancelled", settings=settings, now=now, manage_url=None
    )
    return RedirectResponse(url_for("afspraken:cancelled"), status_code=303)


@router.get("/afspraken/afgezegd", name="afspraken:cancelled")
def cancelled(request: Request, identity: PublicAccess) -> HTMLResponse:
    """Said after cancelling: nothing more to do."""
    return render(request, "afspraken/afgezegd.html", {})


@router.get("/mijn/afspraken", name="afspraken:mine")
def my_appointments(
    request: Request, identity: CustomerAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The logged-in person's appointments: coming ones with a link to move or cancel them."""
    now = _now()
    appointments = service.appointments_for(db, bsn=identity.bsn, kvk=identity.kvk)
    coming, earlier = service.split_coming(appointments, now)
    locations = {loc.code: loc for loc in service.all_locations(db)}
    codes = sorted({code for a in appointments for code in a.product_codes})
    products = {p.code: p for p in service.products_by_code(db, codes)}
    return render(
        request,
        "afspraken/mijn.html",
        {
            "coming": coming,
            "earlier": earlier,
            "locations": locations,
            "products": products,
            "product_name": web.product_name,
            "manage_token": lambda a: links.manage_token(settings, a),
        },
    )
