"""Issue 6's 'Done means', walked through on the demo data: Lance Smit (partner and children)
sees his household, verifies a new e-mail address with a code, sees that a staff member opened
his relocation case, and downloads a ZIP whose JSON holds all of it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from auth.identity import Identity
from portal.demo import load_demo_data
from portal.settings import Settings
from tests.gegevens.helpers import emailed_code, page, post


def test_done_means(
    client: TestClient, login: Callable[[str], Identity], db_engine: Any, settings: Settings
) -> None:
    lines = list(load_demo_data(settings))
    assert any("relocation case" in line for line in lines)
    login("lance")

    household = page(client.get("/mijn/gegevens")).get_text(" ", strip=True)
    for relative in ("Marianne de Jong", "Lonneke Smit", "Koos Smit"):
        assert relative in household

    assert post(client, "/mijn/gegevens/e-mail", email="lance.nieuw@example.nl").is_redirect
    code = emailed_code(db_engine, "lance.nieuw@example.nl")
    verified = post(client, "/mijn/gegevens/e-mail/code", code=code)
    assert verified.status_code == 303
    assert "lance.nieuw@example.nl" in client.get(verified.headers["location"]).text

    log = page(client.get("/mijn/gegevens/inzage"))
    staff_rows = [
        row.get_text(" ", strip=True)
        for row in log.select("section[aria-labelledby=medewerkers] tbody tr")
    ]
    relocation = [r for r in staff_rows if "Een medewerker die uw zaak behandelt" in r]
    assert relocation, staff_rows
    reference = relocation[0].split("Behandeling van zaak ")[1].strip()
    case = client.get(f"/mijn/zaken/{reference}")
    assert case.status_code == 200
    assert "Verhuizing" in case.text

    response = post(client, "/mijn/gegevens/download")
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("gegevens.json"))
    profile = data["profiel"][0]["gegevens"]
    assert profile["partners"][0]["naam"]["geslachtsnaam"] == "Jong"
    assert {k["naam"]["voornamen"] for k in profile["kinderen"]} == {"Lonneke", "Koos"}
    assert data["contactgegevens"][0]["email"] == "lance.nieuw@example.nl"
    assert data["contactgegevens"][0]["email_bevestigd_op"]
    assert any(
        e["actie"] == "zaak_bekeken" and e["zaak"] == reference and e["rol"] == "behandelaar"
        for e in data["inzage"]
    )
    relocation_case = [z for z in data["zaken"] if z["zaaknummer"] == reference]
    assert relocation_case
    assert relocation_case[0]["product"] == "verhuizing-doorgeven"
    assert len(data["zaken"]) >= 4  # his demo cases are all there

    # The demo case opens in the back office, and that look is in Lance's log too.
    login("staff:behandelaar")
    assert client.get(f"/backoffice/zaken/{reference}").status_code == 200
    login("lance")
    log = page(client.get("/mijn/gegevens/inzage"))
    assert len(log.select("section[aria-labelledby=medewerkers] tbody tr")) == len(staff_rows) + 1
