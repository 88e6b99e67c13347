"""The Notificaties API callback: only the case system may call it, only a well-formed message
changes anything, a new status becomes one e-mail to the initiator, and nothing is lost while
the case system cannot be read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from portal.berichten.models import OutboxMessage
from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw.local import LocalZgwApi, ZgwStore
from portal.settings import Settings
from portal.zaaksysteem import meldingen
from portal.zaaksysteem.models import Melding
from tests.conftest import SUZANNE_BSN
from tests.zaaksysteem.helpers import NOTIFICATION_AUTH

URL = "/zaaksysteem/notificaties"


def _zaak(store: ZgwStore, number: str) -> dict[str, Any]:
    year = datetime.now(UTC).year
    (zaak,) = store.search("zaken", {"identificatie": f"ZAAK-{year}-0000000{number}"})
    return zaak


def _new_status(store: ZgwStore, zaak: dict[str, Any], volgnummer: int = 2) -> dict[str, Any]:
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


def _message(zaak: dict[str, Any], status: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "kanaal": "zaken",
        "hoofdObject": zaak["url"],
        "resource": "status",
        "resourceUrl": status["url"],
        "actie": "create",
        "aanmaakdatum": "2026-11-29T10:59:13Z",
        "kenmerken": {"vertrouwelijkheidaanduiding": zaak["vertrouwelijkheidaanduiding"]},
        **changes,
    }


def _post(client: TestClient, body: Any, auth: str | None = NOTIFICATION_AUTH) -> int:
    headers = {"Authorization": auth} if auth is not None else {}
    if isinstance(body, (bytes, str)):
        return client.post(URL, content=body, headers=headers).status_code
    return client.post(URL, json=body, headers=headers).status_code


def _handle(db_engine: Any, settings: Settings, api: Any) -> int:
    return meldingen.handle_due(db_engine, settings, api, now=datetime.now(UTC))


def _stored(db_engine: Any) -> list[Melding]:
    with Session(db_engine) as db:
        return list(db.exec(select(Melding)).all())


def _mails(db_engine: Any) -> list[OutboxMessage]:
    with Session(db_engine) as db:
        return list(db.exec(select(OutboxMessage)).all())


@pytest.mark.parametrize("auth", [None, "", "Token fout", NOTIFICATION_AUTH + "x", "Bearer x"])
def test_a_caller_without_the_agreed_authorization_is_refused(
    client: TestClient, store: ZgwStore, db_engine: Any, auth: str | None
) -> None:
    zaak = _zaak(store, "101")
    assert _post(client, _message(zaak, _new_status(store, zaak)), auth) == 401
    assert _stored(db_engine) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"niet json",
        b"[]",
        {"kanaal": "zaken"},
        {"kanaal": "zaken", "hoofdObject": "x", "resource": "status", "actie": "create"},
        {
            "kanaal": "zaken",
            "hoofdObject": "x",
            "resource": "status",
            "resourceUrl": "y",
            "actie": "create",
            "aanmaakdatum": "gisteren",
        },
        b"{" + b'"kanaal":"' + b"z" * 30_000 + b'"}',
    ],
)
def test_a_malformed_message_is_refused_and_changes_nothing(
    client: TestClient, db_engine: Any, body: Any
) -> None:
    assert _post(client, body) == 400
    assert _stored(db_engine) == []


def test_other_channels_and_actions_are_accepted_and_ignored(
    client: TestClient, store: ZgwStore, db_engine: Any
) -> None:
    zaak = _zaak(store, "101")
    status = _new_status(store, zaak)
    assert _post(client, _message(zaak, status, kanaal="documenten")) == 204
    assert _post(client, _message(zaak, status, resource="zaak")) == 204
    assert _post(client, _message(zaak, status, actie="destroy")) == 204
    assert _stored(db_engine) == []


def test_a_new_status_becomes_one_e_mail_even_when_delivered_twice(
    client: TestClient, store: ZgwStore, db_engine: Any, settings: Settings
) -> None:
    zaak = _zaak(store, "101")
    message = _message(zaak, _new_status(store, zaak, volgnummer=3))
    assert _post(client, message) == 204
    assert _post(client, message) == 204
    assert len(_stored(db_engine)) == 1
    assert _handle(db_engine, settings, LocalZgwApi(store)) == 1
    (mail,) = _mails(db_engine)
    assert mail.kind == "status_changed"
    assert mail.recipient_bsn == SUZANNE_BSN
    assert mail.subject == "Uw zaak heeft een nieuwe status"
    assert f"/mijn/zaken/zaaksysteem/{zaak['identificatie']}" in mail.body_text
    # Like every e-mail about a case: the name and a link, the details behind the login.
    assert "Afgehandeld" not in mail.body_text
    assert zaak["omschrijving"] not in mail.body_text
    (melding,) = _stored(db_engine)
    assert melding.outcome == "verstuurd"
    assert melding.handled_at is not None
    assert _handle(db_engine, settings, LocalZgwApi(store)) == 0


def test_a_confidential_case_sends_no_e_mail(
    client: TestClient, store: ZgwStore, db_engine: Any, settings: Settings
) -> None:
    zaak = _zaak(store, "103")
    assert _post(client, _message(zaak, _new_status(store, zaak))) == 204
    assert _handle(db_engine, settings, LocalZgwApi(store)) == 1
    assert _mails(db_engine) == []
    assert _stored(db_engine)[0].outcome == "niet_zichtbaar"


def test_a_status_that_does_not_belong_to_the_zaak_sends_nothing(
    client: TestClient, store: ZgwStore, db_engine: Any, settings: Settings
) -> None:
    mine, other = _zaak(store, "101"), _zaak(store, "105")
    assert _post(client, _message(mine, _new_status(store, other))) == 204
    assert _handle(db_engine, settings, LocalZgwApi(store)) == 1
    assert _mails(db_engine) == []
    assert _stored(db_engine)[0].outcome == "onbekende_status"


class _Down:
    def get(self, url: str) -> None:
        raise IntegrationUnavailable("zgw", "timeout")


def test_while_the_case_system_is_down_the_notification_waits(
    client: TestClient, store: ZgwStore, db_engine: Any, settings: Settings
) -> None:
    zaak = _zaak(store, "101")
    assert _post(client, _message(zaak, _new_status(store, zaak))) == 204
    assert _handle(db_engine, settings, _Down()) == 0
    (waiting,) = _stored(db_engine)
    assert waiting.handled_at is None
    assert waiting.attempts == 1
    assert waiting.next_attempt_at > datetime.now(UTC)
    with Session(db_engine) as db:
        db.add(waiting)
        waiting.next_attempt_at = datetime.now(UTC)
        db.commit()
    assert _handle(db_engine, settings, LocalZgwApi(store)) == 1
    assert len(_mails(db_engine)) == 1
