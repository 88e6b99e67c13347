"""Appointments in the back office: the day schedule per location and desk, search, marking
who came, booking for a caller, and closing a location (listing the appointments it hits)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from auth.identity import Identity
from portal.afspraken import booking, journey, links, mail, schedule, service
from portal.afspraken import web as afspraken_web
from portal.afspraken.journey import Journey, parse_time, time_value
from portal.afspraken.models import Appointment
from portal.backoffice.web import now, today
from portal.database import SessionDep, Version
from portal.openapi import TEXT, form_body
from portal.security import staff
from portal.settings import Settings, SettingsDep
from portal.templating import gettext, render, url_for

router = APIRouter()

DeskStaff = Annotated[Identity, Depends(staff("balie", "kcc"))]
Counter = Annotated[Identity, Depends(staff("balie"))]
ClosureStaff = Annotated[Identity, Depends(staff("balie", "beheerder"))]
QueryText = Annotated[str, Query(max_length=100)]
Short = Annotated[str, Form(max_length=200)]


def parse_day(raw: str) -> date | None:
    """A date typed as 30-11-2026 (the Dutch way) or 2026-11-30; None when it is neither."""
    text = raw.strip()
    for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None


def _day(raw: str) -> date | None:
    return parse_day(raw) if raw.strip() else today()


@router.get("/backoffice/afspraken", name="backoffice:appointments")
def day_schedule(
    request: Request,
    identity: DeskStaff,
    db: SessionDep,
    locatie: QueryText = "",
    datum: QueryText = "",
    q: QueryText = "",
    melding: QueryText = "",
) -> HTMLResponse:
    """One day at one location: every appointment by time and desk; or search results."""
    locations = service.all_locations(db)
    location = next((loc for loc in locations if loc.code == locatie), None)
    location = location or (locations[0] if locations else None)
    day = _day(datum)
    error = "" if day is not None else gettext("Vul een datum in zoals 03-12-2026.")
    day = day or today()
    found = service.find_appointments(db, q) if q.strip() else None
    scheduled = service.day_schedule(db, location.code, day) if location else []
    appointments = found if found is not None else scheduled
    return render(
        request,
        "backoffice/afspraken.html",
        {
            **_names(db, appointments),
            "identity": identity,
            "locations": locations,
            "location": location,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "q": q,
            "found": found,
            "appointments": appointments,
            "desks": {d.id: d.name for d in service.desks_at(db, location.code)}
            if location
            else {},
            "closures": [c for c in service.closures(db, from_day=day) if c.day == day],
            "notice": melding,
            "error": error,
            "has_errors": bool(error),
            "can_mark": identity.has_role("balie"),
            "markable": {
                a.id
                for a in appointments
                if a.state in ("bevestigd", "verschenen", "niet_verschenen")
                and schedule.local_day(a.starts_at) <= today()
            },
        },
        status_code=422 if error else 200,
    )


def _names(db: Session, appointments: list[Appointment]) -> dict[str, Any]:
    codes = sorted({code for a in appointments for code in a.product_codes})
    return {
        "products": {p.code: p for p in service.products_by_code(db, codes)},
        "location_names": {loc.code: loc.name for loc in service.all_locations(db)},
        "product_name": afspraken_web.product_name,
    }


@router.post("/backoffice/afspraken/{kenmerk}/aanwezigheid", name="backoffice:attendance")
def mark_attendance(
    kenmerk: str,
    identity: Counter,
    db: SessionDep,
    aanwezig: Annotated[str, Form(max_length=3)] = "",
    versie: Version = 0,
) -> Response:
    """Record that the resident came (ja) or did not come (nee)."""
    appointment = service.get_by_reference(db, kenmerk)
    if appointment is None:
        raise HTTPException(status_code=404)
    day = schedule.local_day(appointment.starts_at)
    back = f"{url_for('backoffice:appointments')}?locatie={appointment.location_code}&datum={day}"
    if aanwezig not in ("ja", "nee"):
        return RedirectResponse(f"{back}&melding=niet_mogelijk", status_code=303)
    if versie != appointment.version:
        return RedirectResponse(f"{back}&melding=gewijzigd", status_code=303)
    try:
        booking.mark_attendance(db, appointment, attended=aanwezig == "ja", now=now())
    except booking.NotChangeable:
        db.rollback()
        return RedirectResponse(f"{back}&melding=niet_mogelijk", status_code=303)
    return RedirectResponse(f"{back}&melding=aanwezigheid#afspraak-{kenmerk}", status_code=303)


def _render_new(
    request: Request,
    db: Session,
    state: Journey,
    settings: Settings,
    *,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    status_code: int = 200,
) -> HTMLResponse:
    products = service.bookable_products(db)
    locations = service.all_locations(db)
    days: list[date] = []
    times: list[Any] = []
    if state.choice is not None and state.location is not None:
        days = service.available_days(
            db, state.choice, state.location.code, settings=settings, now=now()
        )
        if state.day is not None:
            times = service.available_times(
                db, state.choice, state.location.code, state.day, settings=settings, now=now()
            )
    return render(
        request,
        "backoffice/afspraak_nieuw.html",
        {
            "state": state,
            "products": products,
            "locations": locations,
            "days": days,
            "times": times,
            "values": values,
            "errors": errors,
            "error_of": dict(errors),
            "has_errors": bool(errors),
            "product_name": afspraken_web.product_name,
            "time_value": time_value,
        },
        status_code=status_code,
    )


def _checked(db: Session, state: Journey, settings: Settings) -> list[tuple[str, str]]:
    """Check what was chosen so far; only complete choices are errors (the page fills in)."""
    errors: list[tuple[str, str]] = []
    if not state.codes:
        return errors
    problem = state.check_choice(db)
    if problem:
        return [("product", problem)]
    if state.location_code:
        problem = state.check_location(db)
        if problem:
            return [("locatie", problem)]
    if state.location is not None and state.day_raw:
        first, last = service.window(settings, now())
        problem = state.check_day(first, last)
        if problem:
            errors.append(("datum", problem))
    return errors


@router.get("/backoffice/afspraken/nieuw", name="backoffice:appointment_form")
def new_appointment_form(
    request: Request, identity: DeskStaff, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Book for someone on the phone or at the desk: choose, see the free times, fill in."""
    state = Journey.from_params(request.query_params)
    errors = _checked(db, state, settings)
    values = {"naam": "", "email": "", "telefoon": ""}
    return _render_new(
        request,
        db,
        state,
        settings,
        values=values,
        errors=errors,
        status_code=422 if errors else 200,
    )


@router.post(
    "/backoffice/afspraken/nieuw",
    name="backoffice:appointment_book",
    openapi_extra=form_body({**journey.FORM_FIELDS, "naam": TEXT, "email": TEXT, "telefoon": TEXT}),
)
async def book_for_caller(
    request: Request, identity: DeskStaff, db: SessionDep, settings: SettingsDep
) -> Response:
    """Book the chosen time for the caller; the e-mail goes when an address was given.

    The form is read on the event loop, the booking runs on the thread pool (a hold may wait
    for a rival's row lock on PostgreSQL, which must not stop the loop)."""
    form = await request.form()
    return await run_in_threadpool(_book_for_caller, request, identity, db, settings, form)


def _book_for_caller(
    request: Request, identity: Identity, db: Session, settings: Settings, form: FormData
) -> Response:
    state = Journey.from_params(form)
    values = {key: str(form.get(key, "")).strip()[:254] for key in ("naam", "email", "telefoon")}
    errors = _checked(db, state, settings)
    if not state.codes:
        errors.append(("product", gettext("Kies waarvoor de afspraak is.")))
    contact, contact_errors = afspraken_web.check_contact(values, email_required=False)
    start = parse_time(state.day, str(form.get("tijd", ""))[:5]) if state.day else None
    if start is None and not errors:
        errors.append(("tijd", gettext("Kies een tijd.")))
    errors += contact_errors
    if errors or contact is None or start is None or state.choice is None or state.location is None:
        return _render_new(
            request, db, state, settings, values=values, errors=errors, status_code=422
        )
    try:
        appointment = booking.book_for_caller(
            db,
            choice=state.choice,
            location_code=state.location.code,
            start=start,
            contact=contact,
            staff_subject=identity.subject,
            settings=settings,
            now=now(),
        )
    except (booking.SlotTaken, booking.InvalidSlot, booking.LimitReached):
        db.rollback()
        message = gettext("Deze tijd is intussen niet meer vrij. Kies een andere tijd.")
        return _render_new(
            request,
            db,
            state,
            settings,
            values=values,
            errors=[("tijd", message)],
            status_code=409,
        )
    if appointment.email:
        mail.queue_appointment_mail(
            db,
            appointment,
            kind="appointment_confirmed",
            settings=settings,
            now=now(),
            manage_url=links.manage_url(settings, appointment),
        )
    day = schedule.local_day(appointment.starts_at)
    target = (
        f"{url_for('backoffice:appointments')}?locatie={appointment.location_code}"
        f"&datum={day}&melding=geboekt#afspraak-{appointment.reference}"
    )
    return RedirectResponse(target, status_code=303)


def _render_closure(
    request: Request,
    db: Session,
    *,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "backoffice/afspraak_sluiting.html",
        {
            "locations": service.all_locations(db),
            "closures": service.closures(db, from_day=today()),
            "values": values,
            "errors": errors,
            "error_of": dict(errors),
            "has_errors": bool(errors),
        },
        status_code=status_code,
    )


@router.get("/backoffice/afspraken/sluitingen", name="backoffice:closures")
def closure_form(request: Request, identity: ClosureStaff, db: SessionDep) -> HTMLResponse:
    """Coming closures, and the form to close a location for a day or part of one."""
    values = {"locatie": "", "datum": "", "van": "", "tot": "", "reden": ""}
    return _render_closure(request, db, values=values, errors=[])


def _clock(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@router.post("/backoffice/afspraken/sluitingen", name="backoffice:closure_add")
def add_closure(
    request: Request,
    identity: ClosureStaff,
    db: SessionDep,
    settings: SettingsDep,
    locatie: Short = "",
    datum: Short = "",
    van: Short = "",
    tot: Short = "",
    reden: Short = "",
) -> Response:
    """Close a location; every resident with an appointment then gets a message to rebook."""
    values = {"locatie": locatie, "datum": datum, "van": van, "tot": tot, "reden": reden.strip()}
    errors = _closure_errors(db, values)
    if errors:
        return _render_closure(request, db, values=values, errors=errors, status_code=422)
    day = parse_day(datum)
    assert day is not None  # checked by _closure_errors
    affected = booking.add_closure(
        db,
        location_code=locatie,
        day=day,
        reason=values["reden"],
        staff_subject=identity.subject,
        now=now(),
        opens=_clock(van),
        closes=_clock(tot),
    )
    for appointment in affected:
        mail.queue_appointment_mail(
            db,
            appointment,
            kind="appointment_closure",
            settings=settings,
            now=now(),
            manage_url=links.manage_url(settings, appointment),
        )
    target = f"{url_for('backoffice:appointments')}?locatie={locatie}&datum={day}&melding=gesloten"
    return RedirectResponse(target, status_code=303)


def _closure_errors(db: Session, values: dict[str, str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if service.get_location(db, values["locatie"]) is None:
        errors.append(("locatie", gettext("Kies een locatie.")))
    day = parse_day(values["datum"])
    if day is None:
        errors.append(("datum", gettext("Vul een datum in zoals 24-12-2026.")))
    elif day < today():
        errors.append(("datum", gettext("Kies vandaag of een dag in de toekomst.")))
    opens, closes = _clock(values["van"]), _clock(values["tot"])
    if (values["van"] and opens is None) or (values["tot"] and closes is None):
        errors.append(("van", gettext("Vul tijden in zoals 13:00, of laat ze allebei leeg.")))
    elif bool(opens) != bool(closes) or (opens and closes and opens >= closes):
        errors.append(
            ("van", gettext("Vul een begin- en eindtijd in (begin voor eind), of geen van beide."))
        )
    if not values["reden"]:
        errors.append(("reden", gettext("Vul de reden in; die lezen de inwoners.")))
    return errors
