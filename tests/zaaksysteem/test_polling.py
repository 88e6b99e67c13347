"""Notifications can be lost: the worker also asks the case system for the status of the zaken
the portal registered, and a status it finds is handled once, however it arrived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from portal.berichten.models import OutboxMessage
from portal.integrations.zgw.local import LocalZgwApi, ZgwStore
from portal.settings import Settings
from portal.zaaksysteem import meldingen
from portal.zaaksysteem.models import Melding, Registratie
from tests.aanvragen.test_forms import FORMS, fill_in, reference_on, send
from tests.zaaksysteem.helpers import NOTIFICATION_AUTH, REGISTERED_PRODUCT
from tests.zaaksysteem.registration import register_round, submitted_zaken


@pytest.fixture
def registered(
    client: TestClient,
    login: Callable[[str], Any],
    db_engine: Any,
    settings: Settings,
    store: ZgwStore,
) -> dict[str, Any]:
    login("suzanne")
    form = FORMS[REGISTERED_PRODUCT]
    reference = reference_on(send(client, form, fill_in(client, form)))
    assert register_round(db_engine, settings, LocalZgwApi(store)) == 1
    (zaak,) = submitted_zaken(store, reference)
    return zaak


def _set_status(store: ZgwStore, zaak: dict[str, Any], volgnummer: int) -> dict[str, Any]:
    zaaktype = store.get(zaak["zaaktype"])
    assert zaaktype is not None
    return store.create(
        "statussen",
        {
            "zaak": zaak["url"],
            "statustype": zaaktype["statustypen"][volgnummer - 1],
            "datumStatusGezet": datetime.now(UTC).isoformat(),
        },
    )


def _poll(db_engine: Any, store: ZgwStore, *, later: timedelta = timedelta(0)) -> int:
    return meldingen.poll_registered(db_engine, LocalZgwApi(store), now=datetime.now(UTC) + later)


def _status_mails(db_engine: Any) -> list[OutboxMessage]:
    with Session(db_engine) as db:
        query = select(OutboxMessage).where(OutboxMessage.kind == "status_changed")
        return list(db.exec(query).all())


def test_the_first_status_the_portal_set_is_not_news(
    registered: dict[str, Any], db_engine: Any, store: ZgwStore
) -> None:
    assert _poll(db_engine, store) == 0
    with Session(db_engine) as db:
        assert db.exec(select(Melding)).all() == []


def test_a_status_nobody_notified_is_found_and_mailed_once(
    registered: dict[str, Any],
    db_engine: Any,
    settings: Settings,
    store: ZgwStore,
    client: TestClient,
) -> None:
    status = _set_status(store, registered, 2)
    assert _poll(db_engine, store) == 1
    assert _poll(db_engine, store, later=timedelta(minutes=20)) == 0  # seen already
    notified = client.post(
        "/zaaksysteem/notificaties",
        json={
            "kanaal": "zaken",
            "hoofdObject": registered["url"],
            "resource": "status",
            "resourceUrl": status["url"],
            "actie": "create",
            "aanmaakdatum": datetime.now(UTC).isoformat(),
        },
        headers={"Authorization": NOTIFICATION_AUTH},
    )
    assert notified.status_code == 204  # the late notification of the same status
    assert meldingen.handle_due(db_engine, settings, LocalZgwApi(store), now=datetime.now(UTC)) == 1
    (mail,) = _status_mails(db_engine)
    assert registered["identificatie"] in mail.body_text


def test_polling_waits_between_rounds_and_stops_when_the_zaak_is_closed(
    registered: dict[str, Any], db_engine: Any, store: ZgwStore
) -> None:
    assert _poll(db_engine, store) == 0
    _set_status(store, registered, 3)  # the end status: the zaak gets its einddatum
    assert _poll(db_engine, store, later=timedelta(minutes=5)) == 0  # not asked again yet
    assert _poll(db_engine, store, later=timedelta(minutes=20)) == 1
    with Session(db_engine) as db:
        assert db.exec(select(Registratie)).one().closed_at is not None
    _set_status(store, registered, 2)
    assert _poll(db_engine, store, later=timedelta(hours=2)) == 0


def test_a_notification_of_the_portals_own_first_status_sends_nothing(
    registered: dict[str, Any],
    db_engine: Any,
    settings: Settings,
    store: ZgwStore,
    client: TestClient,
) -> None:
    notified = client.post(
        "/zaaksysteem/notificaties",
        json={
            "kanaal": "zaken",
            "hoofdObject": registered["url"],
            "resource": "status",
            "resourceUrl": registered["status"],
            "actie": "create",
            "aanmaakdatum": datetime.now(UTC).isoformat(),
        },
        headers={"Authorization": NOTIFICATION_AUTH},
    )
    assert notified.status_code == 204
    assert meldingen.handle_due(db_engine, settings, LocalZgwApi(store), now=datetime.now(UTC)) == 1
    assert _status_mails(db_engine) == []
    with Session(db_engine) as db:
        assert db.exec(select(Melding)).one().outcome == "eigen_status"
