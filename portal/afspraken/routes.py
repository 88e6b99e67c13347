"""Booking an appointment, with or without login: what for → where → which day → what time
(the time is then held) → contact details → check → confirmed.

The steps up to the time are GET forms carrying the choice in the query string; choosing a
time is a POST that holds it and leads to pages addressed by a signed hold link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from auth.dependencies import CurrentSession
from auth.identity import Identity
from portal.afspraken import booking, journey, links, mail, service, web
from portal.afspraken.journey import Journey
from portal.afspraken.models import Appointment
from portal.database import SessionDep
from portal.integrations.brp import BRPDep
from portal.openapi import form_body
from portal.security import PublicAccess, rate_limit
from portal.settings import Settings, SettingsDep
from portal.templating import current_language, gettext, url_for

router = APIRouter()
booking_limit = Depends(rate_limit("afspraak", lambda s: s.appointment_rate_limit))
Text = Annotated[str, Form(max_length=300)]


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("/afspraken", name="afspraken:start")
def start(request: Request, identity: PublicAccess, db: SessionDep) -> HTMLResponse:
    """Step 1: what the appointment is for, and for how many persons."""
    return web.render_start(request, db, Journey.from_params(request.query_params))


@router.get("/afspraken/locatie", name="afspraken:location")
def choose_location(request: Request, identity: PublicAccess, db: SessionDep) -> HTMLResponse:
    """Step 2: the locations that offer everything chosen."""
    state = Journey.from_params(request.query_params)
    error = state.check_choice(db)
    if error:
        return web.render_start(request, db, state, error=error)
    return web.render_location(request, db, state)


@router.get("/afspraken/datum", name="afspraken:date")
def choose_date(
    request: Request, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Step 3: the days with a free time, as a list (and a month calendar of the same)."""
    state = Journey.from_params(request.query_params)
    error = state.check_choice(db)
    if error:
        return web.render_start(request, db, state, error=error)
    error = state.check_location(db)
    if error:
        return web.render_location(request, db, state, error=error)
    return web.render_dates(request, db, state, settings=settings, now=_now())


def _checked_until_day(
    request: Request, db: SessionDep, state: Journey, settings: Settings
) -> HTMLResponse | None:
    """The earlier step's page when something before the time is not right, else None."""
    error = state.check_choice(db)
    if error:
        return web.render_start(request, db, state, error=error)
    error = state.check_location(db)
    if error:
        return web.render_location(request, db, state, error=error)
    first, last = service.window(settings, _now())
    error = state.check_day(first, last)
    if error:
        return web.render_dates(request, db, state, settings=settings, now=_now(), error=error)
    return None


@router.get("/afspraken/tijd", name="afspraken:time")
def choose_time(
    request: Request, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Step 4: the free times on the chosen day."""
    state = Journey.from_params(request.query_params)
    earlier = _checked_until_day(request, db, state, settings)
    if earlier is not None:
        return earlier
    return web.render_times(request, db, state, settings=settings, now=_now())


@router.post(
    "/afspraken/tijd",
    name="afspraken:hold",
    dependencies=[booking_limit],
    openapi_extra=form_body(journey.FORM_FIELDS),
)
async def hold_time(
    request: Request, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """Hold the chosen time for a few minutes and go on to the contact details.

    Only reading the form happens on the event loop; the database work runs on the thread
    pool, as in every sync endpoint. On PostgreSQL a hold waits for the row lock of a rival
    hold of the same time until that one commits; waiting on the event loop would stop the
    loop the rival needs to commit, and the whole process would hang.
    """
    form = await request.form()
    return await run_in_threadpool(_hold_time, request, identity, db, settings, form)


def _hold_time(
    request: Request,
    identity: Identity | None,
    db: Session,
    settings: Settings,
    form: FormData,
) -> Response:
    state = Journey.from_params(form)
    earlier = _checked_until_day(request, db, state, settings)
    if earlier is not None:
        return earlier
    assert state.choice
    assert state.location
    assert state.day
    raw_time = str(form.get("tijd", ""))[:5]
    start = journey.parse_time(state.day, raw_time) if raw_time else None
    if start is None:
        return web.render_times(
            request, db, state, settings=settings, now=_now(), error=gettext("Kies een tijd.")
        )
    now = _now()
    previous = _previous_hold(db, settings, state.previous_hold)
    try:
        appointment = booking.hold_slot(
            db,
            choice=state.choice,
            location_code=state.location.code,
            start=start,
            settings=settings,
            now=now,
            bsn=identity.bsn if identity else None,
            kvk=identity.kvk if identity else None,
            language=current_language(),
            replacing=previous,
        )
    except (booking.SlotTaken, booking.InvalidSlot) as problem:
        db.rollback()
        taken = isinstance(problem, booking.SlotTaken)
        message = (
            gettext("Deze tijd is intussen niet meer vrij. Kies een andere tijd.")
            if taken
            else gettext("Kies een tijd uit de lijst.")
        )
        return web.render_times(
            request,
            db,
            state,
            settings=settings,
            now=now,
            error=message,
            status_code=409 if taken else 422,
        )
    except booking.LimitReached:
        db.rollback()
        return web.render_limit(request, settings)
    if previous is not None:
        booking.take_over_contact(db, previous=previous, new=appointment, now=now)
    return RedirectResponse(
        url_for("afspraken:details", token=links.hold_token(settings, appointment)), status_code=303
    )


def _previous_hold(db: SessionDep, settings: Settings, token: str) -> Appointment | None:
    if not token:
        return None
    previous = links.appointment_from_hold_token(db, settings, token)
    return previous if previous is not None and previous.state != "bevestigd" else None


def _held(db: SessionDep, settings: Settings, token: str) -> Appointment:
    appointment = links.appointment_from_hold_token(db, settings, token)
    if appointment is None:
        raise HTTPException(status_code=404, detail="afspraak_link")
    return appointment


@router.get("/afspraken/gegevens/{token}", name="afspraken:details")
def details_form(
    request: Request,
    token: str,
    identity: PublicAccess,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
) -> Response:
    """Step 5: name, e-mail and phone (prefilled for a resident logged in with DigiD)."""
    appointment = _held(db, settings, token)
    if appointment.state == "bevestigd":
        return RedirectResponse(links.manage_url(settings, appointment), status_code=303)
    values = web.contact_values(db, appointment, identity, loaded, brp)
    return web.render_details(request, db, appointment, token, values=values, settings=settings)


@router.post(
    "/afspraken/gegevens/{token}", name="afspraken:save_details", dependencies=[booking_limit]
)
def save_details(
    request: Request,
    token: str,
    identity: PublicAccess,
    db: SessionDep,
    settings: SettingsDep,
    naam: Text = "",
    email: Text = "",
    telefoon: Text = "",
) -> Response:
    """Keep the details on the hold and go to the check page; errors keep what was typed."""
    appointment = _held(db, settings, token)
    if appointment.state == "bevestigd":
        return RedirectResponse(links.manage_url(settings, appointment), status_code=303)
    values = {"naam": naam.strip(), "email": email.strip(), "telefoon": telefoon.strip()}
    contact, errors = web.check_contact(values, email_required=not appointment.bsn)
    if errors or contact is None:
        return web.render_details(
            request,
            db,
            appointment,
            token,
            values=values,
            errors=errors,
            settings=settings,
            status_code=422,
        )
    now = _now()
    try:
        booking.save_contact(db, appointment, contact, settings=settings, now=now)
    except booking.LimitReached:
        db.rollback()
        return web.render_limit(request, settings)
    except booking.NotChangeable as exc:
        raise HTTPException(status_code=404) from exc
    return RedirectResponse(url_for("afspraken:check", token=token), status_code=303)


def _not_ready_to_check(
    appointment: Appointment, token: str, settings: Settings
) -> RedirectResponse | None:
    """Where to go instead of the check step: the appointment page once confirmed, the details
    step while no details were given."""
    if appointment.state == "bevestigd":
        return RedirectResponse(links.manage_url(settings, appointment), status_code=303)
    if not appointment.name:
        return RedirectResponse(url_for("afspraken:details", token=token), status_code=303)
    return None


@router.get("/afspraken/controleren/{token}", name="afspraken:check")
def check_page(
    request: Request, token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """Step 6: everything on one page, with a change link per part, and the confirm button."""
    appointment = _held(db, settings, token)
    elsewhere = _not_ready_to_check(appointment, token, settings)
    if elsewhere is not None:
        return elsewhere
    return web.render_check(request, db, appointment, token, settings=settings, now=_now())


@router.post(
    "/afspraken/controleren/{token}", name="afspraken:confirm", dependencies=[booking_limit]
)
def confirm(
    request: Request, token: str, identity: PublicAccess, db: SessionDep, settings: SettingsDep
) -> Response:
    """Confirm the held time; the e-mail with the calendar file is written in this transaction."""
    appointment = _held(db, settings, token)
    elsewhere = _not_ready_to_check(appointment, token, settings)
    if elsewhere is not None:
        return elsewhere
    now = _now()
    try:
        booking.confirm(db, appointment, now=now)
    except (booking.SlotTaken, booking.NotChangeable):
        db.rollback()
        # Another click on confirm (a double click, a second tab) may have confirmed it
        # meanwhile: then this one shows the appointment too, not "choose a new time".
        confirmed = _not_ready_to_check(_held(db, settings, token), token, settings)
        if confirmed is not None:
            return confirmed
        return web.render_expired(request, db, appointment, settings=settings, status_code=409)
    mail.queue_appointment_mail(
        db,
        appointment,
        kind="appointment_confirmed",
        settings=settings,
        now=now,
        manage_url=links.manage_url(settings, appointment),
    )
    manage_token = links.manage_token(settings, appointment)
    target = f"{url_for('afspraken:manage', token=manage_token)}?melding=gemaakt"
    return RedirectResponse(target, status_code=303)
