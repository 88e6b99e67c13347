"""'Download mijn gegevens': a ZIP with gegevens.json (documented keys), samenvatting.pdf and the
documents themselves; only the person's own data; fast for a person with 100 cases."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.identity import Identity
from portal.berichten import service as berichten
from portal.files import file_store
from portal.settings import Settings
from portal.zaken import service as zaken_service
from tests.conftest import SUZANNE_BSN, csrf_token_for, identity_for
from tests.gegevens.helpers import emailed_code, post
from tests.zaken import resident_helpers as cases

Login = Callable[[str], Identity]
DOWNLOAD = "/mijn/gegevens/download"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def add_document(engine: Any, settings: Settings, reference: str, content: bytes = PDF) -> None:
    with Session(engine) as db:
        zaak = zaken_service.get_zaak_by_reference(db, reference=reference)
        assert zaak is not None
        assert zaak.id is not None
        stored = file_store(settings.data_dir).save(io.BytesIO(content))
        zaken_service.add_document(
            db,
            zaak_id=zaak.id,
            title="Aanvraag",
            filename="../aanvraag: mijn/brief.pdf",
            content_type="application/pdf",
            size=stored.size,
            stored_name=stored.stored_name,
            sha256=stored.sha256,
            now=datetime.now(UTC),
        )
        db.commit()


def download(client: TestClient) -> tuple[dict[str, Any], zipfile.ZipFile]:
    response = post(client, DOWNLOAD)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("gegevens.json")), archive


def test_the_zip_holds_everything_with_documented_keys(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    reference = cases.make_zaak(db_engine, "suzanne", omschrijving="Parkeervergunning")
    cases.set_status(db_engine, reference, note="Wij kijken ernaar.")
    cases.ask(db_engine, reference, question="Stuur uw kenteken.")
    add_document(engine=db_engine, settings=settings, reference=reference)
    other = cases.make_zaak(db_engine, "lance", omschrijving="Hondenbelasting")
    with Session(db_engine) as db:
        berichten.set_preferences(db, owner=f"bsn:{SUZANNE_BSN}", wanted={"status_changed"})
        db.commit()
    login("suzanne")
    post(client, "/mijn/gegevens/e-mail", email="suzanne@example.nl")
    post(client, "/mijn/gegevens/e-mail/code", code=emailed_code(db_engine, "suzanne@example.nl"))
    post(client, "/mijn/gegevens/post", post="papier")
    start = client.post("/formulieren/vraag", data={"csrf_token": csrf_token_for(client)})
    assert start.status_code == 303
    login("staff:kcc")
    client.get(f"/backoffice/zaken/{reference}")
    login("suzanne")
    data, archive = download(client)

    assert data["formaat"] == "mijn-haren-gegevens"
    assert data["persoon"] == {"bsn": SUZANNE_BSN}
    for key in ("profiel", "contactgegevens", "inzage", "aanvragen", "zaken", "berichten"):
        assert data["uitleg"][key]["velden"], key
    assert data["profiel"][0]["gegevens"]["naam"]["geslachtsnaam"] == "Moulin"
    contact = data["contactgegevens"][0]
    assert contact["email"] == "suzanne@example.nl"
    assert contact["email_bevestigd_op"]
    assert contact["ook_post_op_papier"] is True
    (code,) = [r for r in data["contactgegevens"] if r["soort"] == "verificatiecode"]
    assert code["gebruikt_op"]
    assert "code_hash" not in code
    (zaak,) = data["zaken"]
    assert zaak["zaaknummer"] == reference
    assert zaak["status"] == "wacht_op_u"
    assert [s["status"] for s in zaak["statussen"]][:2] == ["ontvangen", "in_behandeling"]
    assert zaak["vragen"][0]["vraag"] == "Stuur uw kenteken."
    (document,) = zaak["documenten"]
    assert document["bestand"].startswith(f"zaken/{reference}/")
    assert "/.." not in document["bestand"]
    assert document["bestand"].count("/") == 2
    assert archive.read(document["bestand"]) == PDF
    assert [d["formulier"] for d in data["aanvragen"]] == ["vraag"]
    assert {"soort": "status_changed", "email": True} in data["berichtvoorkeuren"]
    assert {"soort": "decision_made", "email": False} in data["berichtvoorkeuren"]
    actions = [entry["actie"] for entry in data["inzage"]]
    assert "zaak_bekeken" in actions
    assert "brp_opgevraagd" in actions
    assert other not in json.dumps(data)  # nothing of anyone else
    assert "Hondenbelasting" not in json.dumps(data)
    assert archive.read("samenvatting.pdf").startswith(b"%PDF")
    assert data["ontbrekende_bestanden"] == []


def test_a_company_branch_gets_its_own_cases(
    client: TestClient, login_as: Callable[[Identity], Identity], db_engine: Any
) -> None:
    mine = cases.make_zaak(db_engine, "dagobert", vestiging="000038509520")
    other_branch = cases.make_zaak(db_engine, "dagobert", vestiging="000038509504")
    login_as(identity_for("dagobert", vestiging="000038509520"))
    data, _ = download(client)
    assert [z["zaaknummer"] for z in data["zaken"]] == [mine]
    assert other_branch not in json.dumps(data)
    assert data["profiel"][0]["bron"] == "KVK"


def test_the_export_needs_the_form_token_and_the_person(client: TestClient, login: Login) -> None:
    assert client.post(DOWNLOAD, data={"csrf_token": csrf_token_for(client)}).status_code == 303
    login("staff:kcc")
    assert post(client, DOWNLOAD).status_code == 403
    login("suzanne")
    assert client.post(DOWNLOAD).status_code == 403  # no anti-forgery token


def test_100_cases_export_within_seconds(
    client: TestClient, login: Login, db_engine: Any, settings: Settings
) -> None:
    received = datetime.now(UTC) - timedelta(days=200)
    with Session(db_engine) as db:
        for number in range(100):
            zaak = zaken_service.create_zaak(
                db,
                zaaktype="parkeervergunning",
                omschrijving=f"Parkeervergunning {number}",
                initiator=cases.PEOPLE["suzanne"],
                answers={"aanvraag": {"toelichting": "Voor mijn auto " * 20}},
                submission_token=f"export-{number}",
                received_at=received + timedelta(days=number),
                contact_email="suzanne@example.nl",
            )
            assert zaak.id is not None
            stored = file_store(settings.data_dir).save(io.BytesIO(PDF + b"x" * 20_000))
            zaken_service.add_document(
                db,
                zaak_id=zaak.id,
                title="Aanvraag",
                filename=f"aanvraag-{number}.pdf",
                content_type="application/pdf",
                size=stored.size,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
                now=received,
            )
            berichten.queue_message(
                db,
                kind="submission_received",
                recipient=berichten.Recipient(email="suzanne@example.nl", bsn=SUZANNE_BSN),
                subject="Wij hebben uw aanvraag ontvangen",
                body_text="Beste inwoner,\n\nDank voor uw aanvraag.\n",
                now=received,
                zaak_reference=zaak.reference,
            )
        db.commit()
    login("suzanne")
    client.get("/mijn")  # the BRP record is fetched once per session, before the clock starts
    started = time.perf_counter()
    data, archive = download(client)
    seconds = time.perf_counter() - started
    print(f"\nexport of 100 cases with 100 documents and 100 messages: {seconds:.2f} s")
    assert len(data["zaken"]) == 100
    assert len(data["berichten"]) == 100
    assert len([n for n in archive.namelist() if n.startswith("zaken/")]) == 100
    # About 1 s on an idle machine; the margin is for a loaded CI machine with 2 cores.
    assert seconds < 10, f"export took {seconds:.2f} s"
