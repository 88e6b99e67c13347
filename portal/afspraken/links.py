"""Signed links: to the held appointment during booking, and to manage it afterwards.

Both carry the appointment id and its current `link_nonce`, signed with the portal's secret
(itsdangerous). Rescheduling and cancelling replace the nonce, so a link that was used stops
working; a link to an appointment that has passed or was cancelled no longer opens it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session

from portal.afspraken.models import Appointment
from portal.settings import Settings

HOLD_SALT = "afspraak-vasthouden"
MANAGE_SALT = "afspraak-beheren"
HOLD_LINK_SECONDS = 2 * 60 * 60


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=salt)


def _token(settings: Settings, salt: str, appointment: Appointment) -> str:
    return str(_serializer(settings, salt).dumps([appointment.id, appointment.link_nonce]))


def hold_token(settings: Settings, appointment: Appointment) -> str:
    return _token(settings, HOLD_SALT, appointment)


def manage_token(settings: Settings, appointment: Appointment) -> str:
    return _token(settings, MANAGE_SALT, appointment)


def manage_url(settings: Settings, appointment: Appointment) -> str:
    return (
        f"{settings.base_url.rstrip('/')}/afspraken/afspraak/{manage_token(settings, appointment)}"
    )


def _load(
    db: Session, settings: Settings, salt: str, token: str, max_age: int | None
) -> Appointment | None:
    try:
        value: Any = _serializer(settings, salt).loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    appointment = db.get(Appointment, value[0])
    if appointment is None or appointment.link_nonce != value[1]:
        return None
    return appointment


def appointment_from_hold_token(db: Session, settings: Settings, token: str) -> Appointment | None:
    """The held appointment of this booking link (also once the hold ran out, so the page can
    say so), or None for a forged, old or foreign link."""
    appointment = _load(db, settings, HOLD_SALT, token, HOLD_LINK_SECONDS)
    if appointment is None or appointment.state not in ("vastgehouden", "verlopen", "bevestigd"):
        return None
    return appointment


def appointment_from_manage_token(
    db: Session, settings: Settings, token: str, *, now: datetime
) -> Appointment | None:
    """The appointment of a manage link while it is still to come; None otherwise."""
    appointment = _load(db, settings, MANAGE_SALT, token, None)
    if appointment is None or appointment.state != "bevestigd" or appointment.ends_at <= now:
        return None
    return appointment
