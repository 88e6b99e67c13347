"""A submission of a product that goes to the case system: kept at once, registered by the
worker step by step, exactly once, whatever fails on the way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from portal.aanvragen.models import Draft, DraftUpload
from portal.berichten.models import OutboxMessage
from portal.files import file_store
from portal.integrations.zgw.local import LocalZgwApi, ZgwStore
from portal.settings import Settings
from portal.zaaksysteem import inzage, registratie, service
from portal.zaaksysteem.models import Registratie, RegistratieDocument
from portal.zaken.models import Zaak
from tests.aanvragen.test_forms import FORMS, fill_in, reference_on, send
from tests.conftest import DAGOBERT_KVK, SUZANNE_BSN, csrf_token_for, identity_for
from tests.zaaksysteem.helpers import REGISTERED_PRODUCT
from tests.zaaksysteem.registration import FailingApi, register_round, submitted_zaken

STEPS = (
    ("zaken", "zaak"),
    ("rollen", "rol"),
    ("statussen", "status"),
    ("enkelvoudiginformatieobjecten", "document"),
    ("zaakinformatieobjecten", "link"),
)


@pytest.fixture
def submitted(client: TestClient, login: Callable[[str], Any]) -> str:
    """Suzanne sends the registered product's form (with its required photo upload)."""
    login("suzanne")
    form = FORMS[REGISTERED_PRODUCT]
    return reference_on(send(client, form, fill_in(client, form)))


def test_a_submission_is_kept_for_the_case_system_not_as_an_own_case(
    submitted: str, db_engine: Any, settings: Settings
) -> None:
    with Session(db_engine) as db:
        assert db.exec(select(Zaak)).all() == []
        queued = db.exec(select(Registratie)).one()
        assert queued.reference == submitted
        assert queued.initiator_bsn == SUZANNE_BSN
        assert queued.registered_at is None
        assert queued.zaak_url is None
        assert queued.summary
        assert queued.summary[0]["rows"]
        documents = db.exec(
            select(RegistratieDocument).order_by(col(RegistratieDocument.position))
        ).all()
        assert [d.position for d in documents] == [0, 1]
        assert documents[0].stored_name is None  # the PDF is the worker's job
        upload = documents[1]
        assert upload.stored_name
        assert file_store(settings.data_dir).path_of(upload.stored_name).is_file()
        assert db.exec(select(DraftUpload)).all() == []
        assert db.exec(select(Draft)).one().zaak_reference == submitted
        (received,) = db.exec(select(OutboxMessage)).all()
        assert received.kind == "submission_received"
        assert submitted in received.body_text


def test_the_worker_registers_zaak_role_status_and_documents(
    submitted: str, db_engine: Any, settings: Settings, store: ZgwStore
) -> None:
    assert register_round(db_engine, settings, LocalZgwApi(store)) == 1
    (zaak,) = submitted_zaken(store, submitted)
    assert zaak["zaaktype"] == settings.zgw_registratie[REGISTERED_PRODUCT]
    assert zaak["kenmerken"] == [{"kenmerk": submitted, "bron": "Mijn Haren"}]
    (rol,) = store.search("rollen", {"zaak": zaak["url"]})
    assert rol["betrokkeneType"] == "natuurlijk_persoon"
    assert rol["betrokkeneIdentificatie"] == {"inpBsn": SUZANNE_BSN}
    assert rol["omschrijvingGeneriek"] == "initiator"
    (status,) = store.search("statussen", {"zaak": zaak["url"]})
    first = store.get(status["statustype"])
    assert first is not None
    assert first["volgnummer"] == 1
    assert store.get(zaak["url"])["status"] == status["url"]  # type: ignore[index]
    links = store.search("zaakinformatieobjecten", {"zaak": zaak["url"]})
    documents = [store.get(link["informatieobject"]) for link in links]
    assert [d["bestandsnaam"] for d in documents if d] == [
        f"aanvraag-{submitted}.pdf",
        "foto.png",
    ]
    pdf = store.content_of(documents[0]["inhoud"])  # type: ignore[index]
    assert pdf is not None
    assert pdf.startswith(b"%PDF")
    assert [d["identificatie"] for d in documents if d] == [f"{submitted}-0", f"{submitted}-1"]
    with Session(db_engine) as db:
        done = db.exec(select(Registratie)).one()
        assert done.registered_at is not None
        assert done.last_error == ""
        assert done.zaak_identificatie == submitted
    assert register_round(db_engine, settings, LocalZgwApi(store)) == 0


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(("resource", "step"), STEPS)
def test_a_failure_at_any_step_never_duplicates_anything(
    submitted: str,
    db_engine: Any,
    settings: Settings,
    store: ZgwStore,
    resource: str,
    step: str,
    when: str,
) -> None:
    """The case system fails the write of `step` before storing it, or stores it and the
    answer is lost ("after"); the next round finishes without a second zaak or document."""
    failing = FailingApi(LocalZgwApi(store), resource=resource, when=when)
    assert register_round(db_engine, settings, failing) == 0
    assert failing.failed, f"the {step} step was never reached"
    with Session(db_engine) as db:
        waiting = db.exec(select(Registratie)).one()
        assert waiting.registered_at is None
        assert waiting.attempts == 1
        assert waiting.last_error
        waiting.next_attempt_at = waiting.received_at  # due again now
        db.add(waiting)
        db.commit()
    assert register_round(db_engine, settings, LocalZgwApi(store)) == 1
    (zaak,) = submitted_zaken(store, submitted)
    assert len(store.search("rollen", {"zaak": zaak["url"]})) == 1
    assert len(store.search("statussen", {"zaak": zaak["url"]})) == 1
    links = store.search("zaakinformatieobjecten", {"zaak": zaak["url"]})
    assert len(links) == 2
    own_documents = [
        d
        for d in store.search("enkelvoudiginformatieobjecten", {})
        if d["identificatie"].startswith(f"{submitted}-")
    ]
    assert sorted(d["identificatie"] for d in own_documents) == [
        f"{submitted}-0",
        f"{submitted}-1",
    ]


def test_a_registration_that_keeps_failing_is_shown_to_staff_and_can_be_retried(
    submitted: str,
    db_engine: Any,
    settings: Settings,
    client: TestClient,
    login: Callable[[str], Any],
) -> None:
    with Session(db_engine) as db:
        waiting = db.exec(select(Registratie)).one()
        waiting.attempts = inzage.FAILING_AFTER
        waiting.last_error = "IntegrationUnavailable: zgw: timeout"
        db.add(waiting)
        db.commit()
        registratie_id = waiting.id
    login("staff:beheerder")
    home = client.get("/backoffice")
    assert "Doorsturen naar het zaaksysteem" in home.text
    assert "1 blijven mislukken" in home.text
    listing = client.get("/backoffice/registraties")
    assert submitted in listing.text
    assert "blijft mislukken" in listing.text
    assert "zgw: timeout" in listing.text
    retried = client.post(
        f"/backoffice/registraties/{registratie_id}/opnieuw",
        data={"csrf_token": csrf_token_for(client)},
    )
    assert retried.status_code == 303
    with Session(db_engine) as db:
        due = db.get(Registratie, registratie_id)
        assert due is not None
        assert due.next_attempt_at <= datetime.now(UTC)
    assert (
        client.post(
            "/backoffice/registraties/999999/opnieuw", data={"csrf_token": csrf_token_for(client)}
        ).status_code
        == 404
    )


def test_the_resident_sees_the_submission_until_it_is_in_the_case_system(
    submitted: str,
    db_engine: Any,
    settings: Settings,
    store: ZgwStore,
    client: TestClient,
) -> None:
    waiting = client.get("/mijn/zaken")
    assert "Net verstuurd" in waiting.text
    assert submitted in waiting.text
    register_round(db_engine, settings, LocalZgwApi(store))
    after = client.get("/mijn/zaken")
    assert "Net verstuurd" not in after.text
    listed = client.get("/mijn/zaken/zaaksysteem", headers={"HX-Request": "true"})
    assert submitted in listed.text
    detail = client.get(f"/mijn/zaken/zaaksysteem/{submitted}")
    assert detail.status_code == 200
    assert f"aanvraag-{submitted}.pdf" in detail.text


def test_products_without_a_zaaktype_still_become_own_cases(
    client: TestClient, login: Callable[[str], Any], db_engine: Any
) -> None:
    login("suzanne")
    form = FORMS["parkeervergunning"]
    reference = reference_on(send(client, form, fill_in(client, form)))
    with Session(db_engine) as db:
        assert db.exec(select(Zaak.reference)).one() == reference
        assert db.exec(select(Registratie)).all() == []


@pytest.mark.parametrize("vestiging", [None, "000038509504"])
def test_a_companys_submission_is_its_case_and_its_branchs(
    db_engine: Any, settings: Settings, store: ZgwStore, vestiging: str | None
) -> None:
    """A company registers as niet_natuurlijk_persoon by KVK number, a branch login as the
    vestiging; each then finds the zaak under its own login, and the other login does not."""
    now = datetime.now(UTC)
    with Session(db_engine) as db:
        registratie.queue_registration(
            db,
            registratie.NewRegistration(
                reference="HRN-2026-999001",
                submission_token="bedrijf-registratie",
                form_slug=REGISTERED_PRODUCT,
                product=REGISTERED_PRODUCT,
                zaaktype_url=settings.zgw_registratie[REGISTERED_PRODUCT],
                omschrijving="Aanvraag van een bedrijf",
                initiator_kind="niet_natuurlijk_persoon",
                initiator_bsn=None,
                initiator_kvk=DAGOBERT_KVK,
                initiator_vestiging=vestiging,
                initiator_name="Test EMZ Dagobert",
                contact_email=None,
                received_at=now,
                summary=[],
            ),
            [],
        )
        db.commit()
    assert register_round(db_engine, settings, LocalZgwApi(store)) == 1
    (zaak,) = submitted_zaken(store, "HRN-2026-999001")
    (rol,) = store.search("rollen", {"zaak": zaak["url"]})
    branch = identity_for("dagobert", vestiging="000038509504")
    whole = identity_for("dagobert")
    service.clear_catalogue_cache()
    api = LocalZgwApi(store)

    def sees(identity: Any) -> bool:
        cases = service.cases_of(api, identity, maximum="beperkt_openbaar")
        return "HRN-2026-999001" in [case.identificatie for case in cases]

    if vestiging:
        assert rol["betrokkeneType"] == "vestiging"
        assert rol["betrokkeneIdentificatie"]["vestigingsNummer"] == vestiging
        assert sees(branch)
        assert not sees(whole)
    else:
        assert rol["betrokkeneType"] == "niet_natuurlijk_persoon"
        assert rol["betrokkeneIdentificatie"]["kvkNummer"] == DAGOBERT_KVK
        assert sees(whole)
        assert not sees(branch)
