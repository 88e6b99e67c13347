"""/mijn/gegevens: what the BRP or KVK knows about you, the contact details you keep here, who
looked at your data, and a copy of everything. Only the person themselves reaches these pages;
every route works without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from auth.dependencies import CurrentSession
from auth.identity import Identity
from portal.aanvragen import service as aanvragen_service
from portal.berichten import service as berichten_service
from portal.database import SessionDep
from portal.gegevens import contact, export, service, web
from portal.integrations.brp import BRPDep
from portal.integrations.kvk import KVKDep
from portal.security import CustomerAccess, rate_limit
from portal.settings import SettingsDep
from portal.templating import current_language, gettext, local_datetime, render, url_for

router = APIRouter()
export_rate_limit = rate_limit("export", lambda settings: settings.export_rate_limit)
# Sending codes costs an e-mail or text message to an address someone typed: a few a minute.
code_rate_limit = rate_limit("code", lambda settings: settings.verification_code_max_attempts)
Posted = Annotated[str, Form(max_length=300)]


def _owner(identity: Identity) -> str:
    owner = service.owner_of(identity)
    assert owner is not None  # CustomerAccess: a resident (BSN) or a company (KVK)
    return owner


def _notice(key: str) -> str:
    notices = {
        "email": gettext("Uw e-mailadres is bevestigd. Wij sturen berichten voortaan hierheen."),
        "telefoon": gettext("Uw telefoonnummer is bevestigd."),
        "post": gettext("Uw keuze voor post is bewaard."),
    }
    return notices.get(key, "")


def _render_overview(
    request: Request,
    identity: Identity,
    loaded: Any,
    db: Any,
    brp: Any,
    kvk: Any,
    *,
    show_bsn: bool = False,
    notice: str = "",
    post_error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "identity": identity,
        "notice": notice,
        "post_error": post_error,
        "has_errors": bool(post_error),
        "details": service.contact_details(db, owner=_owner(identity)),
        "field_label": web.field_label,
    }
    if identity.is_resident:
        persoon = service.get_persoon_for_session(db, loaded=loaded, brp=brp)
        context["persoon"] = persoon
        context["show_bsn"] = show_bsn
        context["masked_bsn"] = web.masked_bsn(persoon.burgerservicenummer) if persoon else ""
        if persoon is not None:
            request.state.display_name = persoon.naam.display
    else:
        profiel = service.get_basisprofiel_for_session(db, loaded=loaded, kvk=kvk)
        context["profiel"] = profiel
        context["branches"] = web.branches_in_order(profiel, identity.vestiging) if profiel else []
    return render(request, "gegevens/overzicht.html", context, status_code=status_code)


@router.get("/mijn/gegevens", name="gegevens:overview")
def overview(
    request: Request,
    identity: CustomerAccess,
    loaded: CurrentSession,
    db: SessionDep,
    brp: BRPDep,
    kvk: KVKDep,
    bsn: Annotated[str, Query(max_length=10)] = "",
    opgeslagen: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """Your data from the BRP (or the company's from the KVK) and your contact details.
    `?bsn=toon` shows the whole BSN: a plain link, logged nowhere and changing nothing."""
    assert loaded is not None
    return _render_overview(
        request, identity, loaded, db, brp, kvk, show_bsn=bsn == "toon", notice=_notice(opgeslagen)
    )


@router.get("/mijn/gegevens/inzage", name="gegevens:access_log")
def access_log(
    request: Request, identity: CustomerAccess, db: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Who looked at your cases or data (role, date, which case), and every request Mijn Haren
    made to the BRP or KVK about you."""
    views = service.staff_views_for(db, bsn=identity.bsn, kvk=identity.kvk)
    requests = service.source_requests_for(db, bsn=identity.bsn, kvk=identity.kvk)
    return render(
        request,
        "gegevens/inzage.html",
        {
            "views": web.staff_views(views, show_names=settings.access_log_shows_staff_name),
            "requests": requests,
            "action_label": web.action_label,
            "source_purpose": web.source_purpose_label,
        },
    )


@router.get("/mijn/gegevens/corrigeren", name="gegevens:correction_form")
def correction_form(
    request: Request,
    identity: CustomerAccess,
    gegeven: Annotated[str, Query(max_length=30)] = "",
) -> HTMLResponse:
    """What a correction request is, for the field in question, with a button to start it.
    A company's data is corrected at the KVK, which this page says."""
    chosen = gegeven if gegeven in web.CORRECTABLE else "anders"
    return render(
        request,
        "gegevens/corrigeren.html",
        {"identity": identity, "gegeven": chosen, "label": web.field_label(chosen)},
    )


@router.post("/mijn/gegevens/corrigeren", name="gegevens:correction_start")
def correction_start(
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    gegeven: Posted = "",
) -> Response:
    """Start (or go on with) the correction form with the field filled in; it becomes a case
    when sent, like every form."""
    if not identity.is_resident:
        return RedirectResponse(url_for("gegevens:overview"), status_code=303)
    chosen = gegeven if gegeven in web.CORRECTABLE else "anders"
    owner = aanvragen_service.owner_key(identity, None)
    now = web.now()
    lifetime = timedelta(days=settings.draft_lifetime_days)
    form = web.CORRECTION_FORM
    draft = aanvragen_service.find_open_draft(db, form_slug=form, owner=owner, now=now)
    if draft is None:
        draft = aanvragen_service.start_draft(
            db, form_slug=form, owner=owner, now=now, lifetime=lifetime
        )
    answers = {**draft.answers, "fout": {**draft.answers.get("fout", {}), "gegeven": chosen}}
    aanvragen_service.save_answers(
        db, draft=draft, answers=answers, current_step="", now=now, lifetime=lifetime
    )
    # The check page sends the resident to the first step still open.
    return RedirectResponse(f"/formulieren/{form}/{draft.id}/controleren", status_code=303)


# --- E-mail address and phone number, each verified with a code ------------------------


def _channel_texts(channel: str) -> dict[str, str]:
    if channel == contact.EMAIL:
        return {
            "subject": gettext("Uw code voor Mijn Haren"),
            "body": gettext(
                "Beste inwoner,\n\nUw code is: %(code)s\n\nVul deze code in op Mijn Haren om "
                "dit e-mailadres te bevestigen. De code werkt %(minutes)s minuten.\n\nHeeft u "
                "dit niet zelf gevraagd? Dan hoeft u niets te doen.\n\nMet vriendelijke groet,"
                "\nGemeente Haren\n"
            ),
        }
    return {
        "subject": "",
        "body": gettext("Gemeente Haren: uw code is %(code)s. De code werkt %(minutes)s minuten."),
    }


def _render_address_form(
    request: Request,
    channel: str,
    details: Any,
    *,
    value: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "gegevens/contact.html",
        {
            "channel": channel,
            "details": details,
            "value": value,
            "error": error,
            "has_errors": bool(error),
        },
        status_code=status_code,
    )


def _address_form(request: Request, identity: Identity, db: Any, channel: str) -> HTMLResponse:
    details = service.contact_details(db, owner=_owner(identity))
    return _render_address_form(request, channel, details)


def _send_code(
    request: Request,
    identity: Identity,
    db: Any,
    settings: Any,
    channel: str,
    typed: str,
) -> Response:
    owner = _owner(identity)
    if channel == contact.EMAIL:
        address = contact.normalise_email(typed)
        problem = gettext("Vul een e-mailadres in zoals naam@voorbeeld.nl")
    else:
        address = contact.normalise_phone(typed)
        problem = gettext("Vul een telefoonnummer in van 10 cijfers, zoals 0612345678")
    if address is None:
        details = service.contact_details(db, owner=owner)
        return _render_address_form(
            request, channel, details, value=typed[:254], error=problem, status_code=422
        )
    contact.issue_code(
        db,
        owner=owner,
        bsn=identity.bsn,
        kvk=identity.kvk,
        channel=channel,
        address=address,
        settings=settings,
        phone_sender=contact.phone_sender_for(settings),
        now=web.now(),
        texts=_channel_texts(channel),
    )
    name = "gegevens:email_code_form" if channel == contact.EMAIL else "gegevens:phone_code_form"
    return RedirectResponse(url_for(name), status_code=303)


def _render_code_form(
    request: Request,
    channel: str,
    pending: Any,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "gegevens/code.html",
        {
            "channel": channel,
            "pending": pending,
            "expires": local_datetime(pending.expires_at) if pending else "",
            "error": error,
            "has_errors": bool(error),
        },
        status_code=status_code,
    )


def _code_form(request: Request, identity: Identity, db: Any, channel: str) -> HTMLResponse:
    pending = contact.pending_code(db, owner=_owner(identity), channel=channel, now=web.now())
    return _render_code_form(request, channel, pending)


def _verify(
    request: Request, identity: Identity, db: Any, settings: Any, channel: str, typed: str
) -> Response:
    owner = _owner(identity)
    now = web.now()
    try:
        address, previous = contact.verify_code(
            db, owner=owner, channel=channel, typed=typed, settings=settings, now=now
        )
    except contact.CodeRefused as refused:
        pending = contact.pending_code(db, owner=owner, channel=channel, now=now)
        return _render_code_form(
            request, channel, pending, error=web.code_problem(refused.reason), status_code=422
        )
    if channel == contact.EMAIL and previous and previous.lower() != address.lower():
        contact.notify_old_address(
            db,
            old=previous,
            bsn=identity.bsn,
            kvk=identity.kvk,
            subject=gettext("Uw e-mailadres in Mijn Haren is gewijzigd"),
            body=gettext(
                "Beste inwoner,\n\nIn Mijn Haren is zojuist een nieuw e-mailadres bevestigd. "
                "Wij sturen berichten voortaan naar dat adres, niet meer naar dit adres.\n\n"
                "Heeft u dit niet zelf gedaan? Bel ons dan op 14 050.\n\n"
                "Met vriendelijke groet,\nGemeente Haren\n"
            ),
            now=now,
        )
    target = f"{url_for('gegevens:overview')}?opgeslagen={channel}#contact"
    return RedirectResponse(target, status_code=303)


@router.get("/mijn/gegevens/e-mail", name="gegevens:email_form")
def email_form(request: Request, identity: CustomerAccess, db: SessionDep) -> HTMLResponse:
    """Give an e-mail address; we send a code to it before we use it."""
    return _address_form(request, identity, db, contact.EMAIL)


@router.post(
    "/mijn/gegevens/e-mail", name="gegevens:email_send", dependencies=[Depends(code_rate_limit)]
)
def email_send(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    email: Posted = "",
) -> Response:
    """Send a code to the address typed (through the message outbox)."""
    return _send_code(request, identity, db, settings, contact.EMAIL, email)


@router.get("/mijn/gegevens/e-mail/code", name="gegevens:email_code_form")
def email_code_form(request: Request, identity: CustomerAccess, db: SessionDep) -> HTMLResponse:
    """Type the code we e-mailed."""
    return _code_form(request, identity, db, contact.EMAIL)


@router.post("/mijn/gegevens/e-mail/code", name="gegevens:email_verify")
def email_verify(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    code: Posted = "",
) -> Response:
    """Check the code; a right one makes the address the one we send messages to."""
    return _verify(request, identity, db, settings, contact.EMAIL, code)


@router.get("/mijn/gegevens/telefoon", name="gegevens:phone_form")
def phone_form(request: Request, identity: CustomerAccess, db: SessionDep) -> HTMLResponse:
    """Give a phone number; we send a code to it before we use it."""
    return _address_form(request, identity, db, contact.PHONE)


@router.post(
    "/mijn/gegevens/telefoon", name="gegevens:phone_send", dependencies=[Depends(code_rate_limit)]
)
def phone_send(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    telefoon: Posted = "",
) -> Response:
    """Send a code to the number typed (by the phone code sender)."""
    return _send_code(request, identity, db, settings, contact.PHONE, telefoon)


@router.get("/mijn/gegevens/telefoon/code", name="gegevens:phone_code_form")
def phone_code_form(request: Request, identity: CustomerAccess, db: SessionDep) -> HTMLResponse:
    """Type the code we sent by text message."""
    return _code_form(request, identity, db, contact.PHONE)


@router.post("/mijn/gegevens/telefoon/code", name="gegevens:phone_verify")
def phone_verify(
    request: Request,
    identity: CustomerAccess,
    db: SessionDep,
    settings: SettingsDep,
    code: Posted = "",
) -> Response:
    """Check the code; a right one stores the phone number as verified."""
    return _verify(request, identity, db, settings, contact.PHONE, code)


@router.post("/mijn/gegevens/post", name="gegevens:paper_post")
def paper_post(
    request: Request,
    identity: CustomerAccess,
    loaded: CurrentSession,
    db: SessionDep,
    brp: BRPDep,
    kvk: KVKDep,
    post: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Digital only, or letters on paper too."""
    if post not in ("digitaal", "papier"):
        problem = gettext("Kies hoe u brieven van ons wilt krijgen")
        return _render_overview(
            request, identity, loaded, db, brp, kvk, post_error=problem, status_code=422
        )
    contact.set_paper_post(db, owner=_owner(identity), paper=post == "papier", now=web.now())
    target = f"{url_for('gegevens:overview')}?opgeslagen=post#berichten"
    return RedirectResponse(target, status_code=303)


@router.post(
    "/mijn/gegevens/download", name="gegevens:export", dependencies=[Depends(export_rate_limit)]
)
def download(
    identity: CustomerAccess,
    loaded: CurrentSession,
    db: SessionDep,
    settings: SettingsDep,
    brp: BRPDep,
    kvk: KVKDep,
) -> Response:
    """Everything Mijn Haren holds about you as a ZIP: gegevens.json, samenvatting.pdf and your
    documents. A POST (with the form's token): building it is work we do not do for a link."""
    assert loaded is not None
    profile: dict[str, Any] | None
    name = ""
    if identity.is_resident:
        persoon = service.get_persoon_for_session(db, loaded=loaded, brp=brp)
        profile = persoon.to_json() if persoon else None
        name = persoon.naam.display if persoon else ""
    else:
        profiel = service.get_basisprofiel_for_session(db, loaded=loaded, kvk=kvk)
        profile = profiel.to_json() if profiel else None
        name = profiel.naam if profiel else ""
    now = web.now()
    data = export.build_export(
        db,
        identity,
        settings=settings,
        profile=profile,
        now=now,
        pdf_context={
            "name": name,
            "identity": identity,
            "kinds": berichten_service.KINDS,
            "language": current_language(),
        },
    )
    filename = f"mijn-gegevens-{now.strftime('%Y%m%d')}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
