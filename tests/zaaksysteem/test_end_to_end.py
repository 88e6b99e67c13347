"""Issue 9's "done means", over real HTTP: with the stub as the municipality's case system, a
resident sees both kinds of cases, sends a form that becomes a zaak in the stub with its
documents, and gets an e-mail when the stub notifies a new status."""

from __future__ import annotations

import email
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.integrations.zgw import demo
from portal.main import create_app
from portal.settings import Settings
from portal.worker import run_jobs_once
from tests.aanvragen.test_forms import FORMS, fill_in, reference_on, send
from tests.integrations.zgw_stub import CLIENT_ID, SECRET, RunningZgw
from tests.zaaksysteem.helpers import NOTIFICATION_AUTH, REGISTERED_PRODUCT, case_system_settings


@pytest.fixture
def settings(database_url: str, zgw_server: RunningZgw, tmp_path: Path) -> Settings:
    origin = zgw_server.origin
    return case_system_settings(
        database_url,
        origin,
        zgw_backend="http",
        zgw_zaken_url=f"{origin}/zaken/api/v1",
        zgw_catalogi_url=f"{origin}/catalogi/api/v1",
        zgw_documenten_url=f"{origin}/documenten/api/v1",
        zgw_client_id=CLIENT_ID,
        zgw_secret=SECRET,
        data_dir=tmp_path,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


def _notify_new_status(client: TestClient, zgw: RunningZgw, zaak: dict[str, Any]) -> None:
    """What the stub's Notificaties API does after a status change: POST to the callback."""
    zaaktype = zgw.store.get(zaak["zaaktype"])
    assert zaaktype is not None
    second = zaaktype["statustypen"][1]
    status = zgw.store.create(
        "statussen",
        {
            "zaak": zaak["url"],
            "statustype": second,
            "datumStatusGezet": datetime.now(UTC).isoformat(),
            "statustoelichting": "Wij beoordelen uw aanvraag.",
        },
    )
    response = client.post(
        "/zaaksysteem/notificaties",
        json={
            "kanaal": "zaken",
            "hoofdObject": zaak["url"],
            "resource": "status",
            "resourceUrl": status["url"],
            "actie": "create",
            "aanmaakdatum": datetime.now(UTC).isoformat(),
            "kenmerken": {
                "bronorganisatie": demo.RSIN,
                "zaaktype": zaak["zaaktype"],
                "vertrouwelijkheidaanduiding": zaak["vertrouwelijkheidaanduiding"],
            },
        },
        headers={"Authorization": NOTIFICATION_AUTH},
    )
    assert response.status_code == 204, response.text


def test_both_kinds_of_cases_a_registered_submission_and_a_status_e_mail(
    client: TestClient,
    login: Callable[[str], Any],
    settings: Settings,
    zgw_server: RunningZgw,
    tmp_path: Path,
) -> None:
    login("suzanne")
    own_form = FORMS["parkeervergunning"]
    own = reference_on(send(client, own_form, fill_in(client, own_form)))

    overview = client.get("/mijn/zaken")
    assert own in overview.text
    assert 'hx-get="/mijn/zaken/zaaksysteem"' in overview.text
    listed = client.get("/mijn/zaken/zaaksysteem", headers={"HX-Request": "true"})
    year = datetime.now(UTC).year
    assert f"ZAAK-{year}-0000000101" in listed.text
    assert f"ZAAK-{year}-0000000102" in listed.text
    assert f"ZAAK-{year}-0000000103" not in listed.text  # vertrouwelijk

    form = FORMS[REGISTERED_PRODUCT]
    reference = reference_on(send(client, form, fill_in(client, form)))
    assert run_jobs_once(settings)["zgw_registered"] == 1
    (zaak,) = zgw_server.store.search("zaken", {"identificatie": reference})
    links = zgw_server.store.search("zaakinformatieobjecten", {"zaak": zaak["url"]})
    titles = sorted(
        str(zgw_server.store.get(link["informatieobject"])["bestandsnaam"]) for link in links
    )  # type: ignore[index]
    assert titles == sorted([f"aanvraag-{reference}.pdf", "foto.png"])
    assert reference in client.get("/mijn/zaken/zaaksysteem").text

    _notify_new_status(client, zgw_server, zaak)
    results = run_jobs_once(settings)
    assert results["zgw_notifications_handled"] == 1
    assert results["mail_sent"] >= 1
    mails = [email.message_from_bytes(p.read_bytes()) for p in (tmp_path / "mail").glob("*.eml")]
    status_mails = [m for m in mails if m["Subject"] == "Uw zaak heeft een nieuwe status"]
    assert len(status_mails) == 1
    (message,) = status_mails
    assert message["To"] == "test@example.nl"  # the address given in the form
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert f"/mijn/zaken/zaaksysteem/{reference}" in body
    assert "Beste Suzanne" in body  # the name the registration kept
    assert "In behandeling" not in body  # the status itself is behind the login
    detail = client.get(f"/mijn/zaken/zaaksysteem/{reference}")
    assert "In behandeling" in detail.text
