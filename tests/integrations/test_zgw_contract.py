"""One contract for both ZGW case systems: the one in process memory and the http client talking
to the stub (which serves the same kind of store over the standard's URLs).

The first half runs against both and must pass unchanged for each: reading by URL, every search
filter the portal uses, and the read-only fields a create fills in. The second half is about the
http client alone (its JWT, Accept-Crs, pagination, failures and logs).
"""

from __future__ import annotations

import base64
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey
from structlog.testing import CapturingLogger

from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw import CONFIDENTIALITY, ZgwApi, ZgwRefused, demo, is_visible
from portal.integrations.zgw import http as zgw_http
from portal.integrations.zgw.local import LOCAL_BASE, LocalZgwApi, ZgwStore
from portal.observability import configure_logging
from tests.conftest import DAGOBERT_KVK, DAGOBERT_VESTIGING, LANCE_BSN, SUZANNE_BSN, make_settings
from tests.integrations.zgw_stub import CLIENT_ID, SECRET, RunningZgw, http_api_for

INITIATOR = {"rol__omschrijvingGeneriek": "initiator"}
BY_SUZANNE = {**INITIATOR, "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": SUZANNE_BSN}


@dataclass
class CaseSystem:
    """A `ZgwApi` and the store behind it (to look up what the api should answer)."""

    api: ZgwApi
    store: ZgwStore


@pytest.fixture(params=["local", "http"])
def system(request: pytest.FixtureRequest) -> Iterator[CaseSystem]:
    if request.param == "local":
        store = demo.demo_store(LOCAL_BASE)
        yield CaseSystem(LocalZgwApi(store), store)
        return
    server: RunningZgw = request.getfixturevalue("zgw_server")
    client = http_api_for(server.origin)
    yield CaseSystem(client, server.store)
    client.close()


@pytest.fixture
def zgw(system: CaseSystem) -> ZgwApi:
    return system.api


def zaak_numbered(store: ZgwStore, number: int) -> dict[str, Any]:
    """Demo zaak ZAAK-<year>-0000000<number> (the year is the one the demo was made in)."""
    suffix = f"-{number:010d}"
    return next(z for z in store.items["zaken"].values() if z["identificatie"].endswith(suffix))


def identificaties(zaken: list[dict[str, Any]]) -> list[str]:
    return sorted(z["identificatie"][-3:] for z in zaken)


def new_zaak(**fields: Any) -> dict[str, Any]:
    return {
        "bronorganisatie": demo.RSIN,
        "verantwoordelijkeOrganisatie": demo.RSIN,
        "omschrijving": "Nieuwe melding",
        "startdatum": datetime.now(UTC).date().isoformat(),
        **fields,
    }


def zaaktype(api: ZgwApi, key: str = demo.ZAAKTYPE_MELDING) -> str:
    return f"{api.url_of('catalogi', 'zaaktypen')}/{key}"


def statustype(api: ZgwApi, number: int, key: str = demo.ZAAKTYPE_MELDING) -> str:
    return (
        f"{api.url_of('catalogi', 'statustypen')}/{demo.fixed_uuid(f'statustype:{key}:{number}')}"
    )


def add_vestiging_rol(store: ZgwStore, zaak: dict[str, Any], vestigingsnummer: str) -> None:
    """A branch of Dagobert as another initiator of the case (Open Zaak also names its kvk)."""
    store.create(
        "rollen",
        {
            "zaak": zaak["url"],
            "betrokkeneType": "vestiging",
            "roltype": f"{store.url_of('catalogi', 'roltypen')}/"
            f"{demo.fixed_uuid(f'roltype:{demo.ZAAKTYPE_KAPVERGUNNING}')}",
            "roltoelichting": "Vestiging",
            "betrokkeneIdentificatie": {
                "vestigingsNummer": vestigingsnummer,
                "kvkNummer": DAGOBERT_KVK,
            },
        },
    )


# --- the contract: both implementations --------------------------------------------------------


def test_get_by_url_answers_the_resource(system: CaseSystem) -> None:
    zaak = zaak_numbered(system.store, 101)
    found = system.api.get(zaak["url"])
    assert found is not None
    assert (found["url"], found["identificatie"]) == (zaak["url"], zaak["identificatie"])
    melding = system.api.get(zaaktype(system.api))
    assert melding is not None
    assert (melding["omschrijving"], melding["indicatieInternOfExtern"]) == (
        "Melding openbare ruimte",
        "extern",
    )


@pytest.mark.parametrize(
    ("component", "resource"),
    [
        ("zaken", "zaken"),
        ("zaken", "statussen"),
        ("catalogi", "zaaktypen"),
        ("documenten", "enkelvoudiginformatieobjecten"),
    ],
)
def test_get_of_an_unknown_url_is_none(zgw: ZgwApi, component: Any, resource: str) -> None:
    assert zgw.get(f"{zgw.url_of(component, resource)}/{uuid.uuid4()}") is None


def test_search_zaken_by_identificatie_and_bronorganisatie(system: CaseSystem) -> None:
    zaak = zaak_numbered(system.store, 102)
    params = {"identificatie": zaak["identificatie"], "bronorganisatie": demo.RSIN}
    [found] = system.api.search("zaken", "zaken", params)
    assert found["url"] == zaak["url"]
    assert system.api.search("zaken", "zaken", {**params, "bronorganisatie": "123456782"}) == []


def test_search_zaken_by_initiator_bsn(zgw: ZgwApi) -> None:
    assert identificaties(zgw.search("zaken", "zaken", BY_SUZANNE)) == ["101", "102", "103", "104"]
    lance = {**INITIATOR, "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": LANCE_BSN}
    assert identificaties(zgw.search("zaken", "zaken", lance)) == ["105"]


def test_search_zaken_up_to_a_confidentiality(zgw: ZgwApi) -> None:
    limited = {**BY_SUZANNE, "maximaleVertrouwelijkheidaanduiding": "beperkt_openbaar"}
    assert identificaties(zgw.search("zaken", "zaken", limited)) == ["101", "102", "104"]
    secret = {**BY_SUZANNE, "maximaleVertrouwelijkheidaanduiding": "zeer_geheim"}
    assert identificaties(zgw.search("zaken", "zaken", secret)) == ["101", "102", "103", "104"]


def test_search_zaken_ordered_newest_first(zgw: ZgwApi) -> None:
    found = zgw.search("zaken", "zaken", {**BY_SUZANNE, "ordering": "-startdatum"})
    starts = [z["startdatum"] for z in found]
    assert starts == sorted(starts, reverse=True)


def test_search_zaken_by_company_kvk_nummer(zgw: ZgwApi) -> None:
    params = {
        **INITIATOR,
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer": DAGOBERT_KVK,
    }
    assert identificaties(zgw.search("zaken", "zaken", params)) == ["106"]


def test_search_zaken_by_vestiging_matches_only_vestiging_roles(system: CaseSystem) -> None:
    add_vestiging_rol(system.store, zaak_numbered(system.store, 106), DAGOBERT_VESTIGING)
    by_vestiging = {
        **INITIATOR,
        "rol__betrokkeneIdentificatie__vestiging__vestigingsNummer": DAGOBERT_VESTIGING,
    }
    assert identificaties(system.api.search("zaken", "zaken", by_vestiging)) == ["106"]
    # Dagobert's KVK number on the vestiging's role does not make it a company role.
    as_type = {**by_vestiging, "rol__betrokkeneType": "niet_natuurlijk_persoon"}
    assert system.api.search("zaken", "zaken", as_type) == []


def test_search_zaken_without_a_match_is_empty(zgw: ZgwApi) -> None:
    params = {**INITIATOR, "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "999990019"}
    assert zgw.search("zaken", "zaken", params) == []


def test_search_rollen_by_zaak_and_initiator(system: CaseSystem) -> None:
    zaak = zaak_numbered(system.store, 101)
    [rol] = system.api.search("zaken", "rollen", {"zaak": zaak["url"]})
    assert rol["omschrijvingGeneriek"] == "initiator"  # filled in from the roltype
    assert rol["betrokkeneType"] == "natuurlijk_persoon"
    assert rol["betrokkeneIdentificatie"]["inpBsn"] == SUZANNE_BSN
    params = {"zaak": zaak["url"], "omschrijvingGeneriek": "behandelaar"}
    assert system.api.search("zaken", "rollen", params) == []


def test_search_rollen_by_bsn_finds_every_case_of_the_person(system: CaseSystem) -> None:
    params = {
        "omschrijvingGeneriek": "initiator",
        "betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": SUZANNE_BSN,
    }
    rollen = system.api.search("zaken", "rollen", params)
    expected = {zaak_numbered(system.store, n)["url"] for n in (101, 102, 103, 104)}
    assert {rol["zaak"] for rol in rollen} == expected


def test_search_rollen_filters_match_only_their_betrokkene_type(system: CaseSystem) -> None:
    add_vestiging_rol(system.store, zaak_numbered(system.store, 106), DAGOBERT_VESTIGING)
    by_kvk = {"betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer": DAGOBERT_KVK}
    assert [r["betrokkeneType"] for r in system.api.search("zaken", "rollen", by_kvk)] == [
        "niet_natuurlijk_persoon"
    ]
    by_vestiging = {"betrokkeneIdentificatie__vestiging__vestigingsNummer": DAGOBERT_VESTIGING}
    [vestiging] = system.api.search("zaken", "rollen", by_vestiging)
    assert vestiging["betrokkeneType"] == "vestiging"
    by_type = system.api.search("zaken", "rollen", {"betrokkeneType": "vestiging"})
    assert [r["url"] for r in by_type] == [vestiging["url"]]


def test_search_statussen_by_zaak(system: CaseSystem) -> None:
    zaak = zaak_numbered(system.store, 101)
    statussen = system.api.search("zaken", "statussen", {"zaak": zaak["url"]})
    assert len(statussen) == 2
    [latest] = [s for s in statussen if s["indicatieLaatstGezetteStatus"]]
    assert latest["url"] == zaak["status"]


def test_search_zaakinformatieobjecten_by_zaak_and_by_informatieobject(
    system: CaseSystem,
) -> None:
    zaak = zaak_numbered(system.store, 101)
    links = system.api.search("zaken", "zaakinformatieobjecten", {"zaak": zaak["url"]})
    assert sorted(link["titel"] for link in links) == [
        "Conceptbrief",
        "Ontvangstbevestiging melding",
        "Werkbon buitendienst",
    ]
    document = links[0]["informatieobject"]
    params = {"informatieobject": document}
    [link] = system.api.search("zaken", "zaakinformatieobjecten", params)
    assert (link["zaak"], link["informatieobject"]) == (zaak["url"], document)


def test_search_enkelvoudiginformatieobjecten_by_identificatie(system: CaseSystem) -> None:
    document = next(iter(system.store.items["enkelvoudiginformatieobjecten"].values()))
    params = {"identificatie": document["identificatie"], "bronorganisatie": demo.RSIN}
    [found] = system.api.search("documenten", "enkelvoudiginformatieobjecten", params)
    assert (found["url"], found["titel"]) == (document["url"], document["titel"])


def test_search_statustypen_and_roltypen_by_zaaktype(zgw: ZgwApi) -> None:
    statustypen = zgw.search("catalogi", "statustypen", {"zaaktype": zaaktype(zgw)})
    ordered = sorted(statustypen, key=lambda t: t["volgnummer"])
    assert [(t["volgnummer"], t["isEindstatus"]) for t in ordered] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    [roltype] = zgw.search("catalogi", "roltypen", {"zaaktype": zaaktype(zgw)})
    assert roltype["omschrijvingGeneriek"] == "initiator"


def test_create_zaak_fills_in_the_read_only_fields(zgw: ZgwApi) -> None:
    created = zgw.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(zgw)))
    assert created["url"].startswith(zgw.url_of("zaken", "zaken") + "/")
    assert created["url"].endswith(created["uuid"])
    assert created["identificatie"]
    assert (created["status"], created["resultaat"], created["einddatum"]) == (None, None, None)
    assert zgw.get(created["url"]) == created


def test_create_zaak_with_a_taken_identificatie_is_refused(system: CaseSystem) -> None:
    taken = zaak_numbered(system.store, 101)["identificatie"]
    body = new_zaak(zaaktype=zaaktype(system.api), identificatie=taken)
    with pytest.raises(ZgwRefused) as refused:
        system.api.create("zaken", "zaken", body)
    assert refused.value.resource == "zaken"
    assert "identificatie" in refused.value.detail


@pytest.mark.parametrize("missing", ["zaaktype", "startdatum", "bronorganisatie"])
def test_create_zaak_without_a_required_field_is_refused(zgw: ZgwApi, missing: str) -> None:
    body = new_zaak(zaaktype=zaaktype(zgw))
    del body[missing]
    with pytest.raises(ZgwRefused) as refused:
        zgw.create("zaken", "zaken", body)
    assert missing in refused.value.detail


@pytest.mark.parametrize("aanduiding", ["geheimpje", None])
def test_create_zaak_with_an_unknown_confidentiality_is_refused(
    zgw: ZgwApi, aanduiding: str | None
) -> None:
    body = new_zaak(zaaktype=zaaktype(zgw), vertrouwelijkheidaanduiding=aanduiding)
    with pytest.raises(ZgwRefused):
        zgw.create("zaken", "zaken", body)


def test_create_status_sets_the_current_status(zgw: ZgwApi) -> None:
    zaak = zgw.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(zgw)))
    moment = datetime.now(UTC).isoformat()
    status = zgw.create(
        "zaken",
        "statussen",
        {"zaak": zaak["url"], "statustype": statustype(zgw, 1), "datumStatusGezet": moment},
    )
    assert status["indicatieLaatstGezetteStatus"] is True
    stored = zgw.get(zaak["url"])
    assert stored is not None
    assert (stored["status"], stored["einddatum"]) == (status["url"], None)


def test_create_end_status_sets_the_end_date(zgw: ZgwApi) -> None:
    zaak = zgw.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(zgw)))
    first = zgw.create(
        "zaken",
        "statussen",
        {"zaak": zaak["url"], "statustype": statustype(zgw, 1), "datumStatusGezet": "2025-03-01"},
    )
    last = zgw.create(
        "zaken",
        "statussen",
        {
            "zaak": zaak["url"],
            "statustype": statustype(zgw, 3),
            "datumStatusGezet": "2025-03-09T14:00:00+00:00",
        },
    )
    stored = zgw.get(zaak["url"])
    assert stored is not None
    assert (stored["status"], stored["einddatum"]) == (last["url"], "2025-03-09")
    earlier = zgw.get(first["url"])
    assert earlier is not None
    assert earlier["indicatieLaatstGezetteStatus"] is False


def test_create_document_turns_its_content_into_a_download(zgw: ZgwApi) -> None:
    content = b"Aanvraag\n\nMet vriendelijke groet, Suzanne\n"
    document = zgw.create(
        "documenten",
        "enkelvoudiginformatieobjecten",
        {
            "bronorganisatie": demo.RSIN,
            "creatiedatum": "2025-03-01",
            "titel": "Aanvraag",
            "auteur": "Mijn Haren",
            "taal": "dut",
            "formaat": "text/plain",
            "bestandsnaam": "aanvraag.txt",
            "inhoud": base64.b64encode(content).decode(),
            "informatieobjecttype": f"{zgw.url_of('catalogi', 'informatieobjecttypen')}/"
            f"{demo.INFORMATIEOBJECTTYPE}",
        },
    )
    assert document["inhoud"].startswith(document["url"])
    assert document["bestandsomvang"] == len(content)
    assert zgw.download(document["inhoud"]) == content


def test_create_link_to_an_unknown_document_is_refused(system: CaseSystem) -> None:
    zaak = zaak_numbered(system.store, 101)
    unknown = f"{system.api.url_of('documenten', 'enkelvoudiginformatieobjecten')}/{uuid.uuid4()}"
    with pytest.raises(ZgwRefused):
        system.api.create(
            "zaken", "zaakinformatieobjecten", {"zaak": zaak["url"], "informatieobject": unknown}
        )


def test_download_of_an_unknown_document_is_unavailable(zgw: ZgwApi) -> None:
    unknown = f"{zgw.url_of('documenten', 'enkelvoudiginformatieobjecten')}/{uuid.uuid4()}"
    with pytest.raises(IntegrationUnavailable):
        zgw.download(f"{unknown}/download")


def test_check_passes_when_every_component_answers(zgw: ZgwApi) -> None:
    zgw.check()


@pytest.mark.parametrize("aanduiding", [None, "", "geheimpje", "OPENBAAR"])
def test_an_unknown_or_missing_confidentiality_is_never_visible(aanduiding: str | None) -> None:
    assert not is_visible(aanduiding, CONFIDENTIALITY[-1])


def test_confidentiality_is_visible_up_to_the_maximum() -> None:
    assert is_visible("openbaar", "beperkt_openbaar")
    assert is_visible("beperkt_openbaar", "beperkt_openbaar")
    assert not is_visible("intern", "beperkt_openbaar")


# --- the http client alone ---------------------------------------------------------------------


def _exercise(api: ZgwApi, store: ZgwStore) -> None:
    """A get, a search, a create and a download: one of each kind of call."""
    api.get(zaak_numbered(store, 101)["url"])
    api.search("zaken", "zaken", BY_SUZANNE)
    api.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(api)))
    document = next(iter(store.items["enkelvoudiginformatieobjecten"].values()))
    api.download(document["inhoud"])


def test_http_every_request_carries_a_fresh_hs256_jwt(zgw_server: RunningZgw) -> None:
    _exercise(http_api_for(zgw_server.origin), zgw_server.store)
    requests = zgw_server.control.requests
    assert len(requests) == 4
    key = OctKey.import_key(SECRET.encode())
    for request in requests:
        scheme, _, token = request["headers"]["authorization"].partition(" ")
        assert scheme == "Bearer"
        decoded = jwt.decode(token, key)
        assert decoded.header["alg"] == "HS256"
        claims = decoded.claims
        assert {"iss", "iat", "client_id", "user_id", "user_representation"} <= set(claims)
        assert claims["client_id"] == claims["iss"] == CLIENT_ID
        assert claims["user_id"]
        assert claims["user_representation"]
        assert abs(time.time() - claims["iat"]) < 60


def test_http_asks_zaken_in_epsg_4326(zgw_server: RunningZgw) -> None:
    _exercise(http_api_for(zgw_server.origin), zgw_server.store)
    requests = zgw_server.control.requests
    zaken = [r for r in requests if r["path"].startswith("/zaken/api/v1/zaken")]
    assert len(zaken) == 3
    for request in zaken:
        assert request["headers"]["accept-crs"] == "EPSG:4326"
    [posted] = [r for r in zaken if r["method"] == "POST"]
    assert posted["headers"]["content-crs"] == "EPSG:4326"


def test_http_search_sends_the_filters_as_query_parameters(zgw_server: RunningZgw) -> None:
    http_api_for(zgw_server.origin).search("zaken", "zaken", BY_SUZANNE)
    [request] = zgw_server.control.requests
    assert (request["method"], request["path"]) == ("GET", "/zaken/api/v1/zaken")
    assert request["query"] == BY_SUZANNE


def test_http_search_follows_every_page(zgw_server: RunningZgw) -> None:
    zgw_server.control.page_size = 2
    api = http_api_for(zgw_server.origin)
    zaken = api.search("zaken", "zaken", BY_SUZANNE)
    assert identificaties(zaken) == ["101", "102", "103", "104"]
    pages = [r["query"] for r in zgw_server.control.requests]
    assert pages == [BY_SUZANNE, {**BY_SUZANNE, "page": "2"}]
    statustypen = api.search("catalogi", "statustypen", {})
    assert len(statustypen) == len(zgw_server.store.items["statustypen"]) == 8


def test_http_wrong_secret_is_unavailable(zgw_server: RunningZgw) -> None:
    api = http_api_for(zgw_server.origin, secret="een-ander-geheim-van-voldoende-lengte")
    zaak = zaak_numbered(zgw_server.store, 101)
    with pytest.raises(IntegrationUnavailable) as raised:
        api.get(zaak["url"])
    assert raised.value.reason == "HTTP 403"
    with pytest.raises(IntegrationUnavailable):
        api.search("zaken", "zaken", BY_SUZANNE)
    with pytest.raises(IntegrationUnavailable):
        api.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(api)))
    with pytest.raises(IntegrationUnavailable):
        api.check()


def test_http_down_is_unavailable(zgw_server: RunningZgw) -> None:
    zgw_server.control.down = True
    api = http_api_for(zgw_server.origin)
    with pytest.raises(IntegrationUnavailable) as raised:
        api.search("zaken", "zaken", BY_SUZANNE)
    assert raised.value.reason == "HTTP 503"
    with pytest.raises(IntegrationUnavailable):
        api.get(zaak_numbered(zgw_server.store, 101)["url"])
    with pytest.raises(IntegrationUnavailable):
        api.check()


def test_http_slow_is_unavailable(zgw_server: RunningZgw) -> None:
    zgw_server.control.delay_seconds = 1.0
    with pytest.raises(IntegrationUnavailable) as raised:
        http_api_for(zgw_server.origin, timeout=0.3).search("zaken", "zaken", BY_SUZANNE)
    assert raised.value.reason == "timeout"


def test_http_400_on_create_is_refused_with_the_invalid_params(zgw_server: RunningZgw) -> None:
    api = http_api_for(zgw_server.origin)
    body = new_zaak(zaaktype=zaaktype(api))
    del body["startdatum"]
    with pytest.raises(ZgwRefused) as refused:
        api.create("zaken", "zaken", body)
    assert refused.value.resource == "zaken"
    assert "startdatum" in refused.value.detail
    assert zaak_count(zgw_server.store) == 6


def zaak_count(store: ZgwStore) -> int:
    return len(store.items["zaken"])


@pytest.mark.parametrize("when", ["before", "after"])
def test_http_server_error_on_create_is_unavailable(zgw_server: RunningZgw, when: str) -> None:
    zgw_server.control.fail_write = ("zaken", when)
    api = http_api_for(zgw_server.origin)
    with pytest.raises(IntegrationUnavailable):
        api.create("zaken", "zaken", new_zaak(zaaktype=zaaktype(api)))
    # "after": stored, but the answer was lost on the way back.
    assert zaak_count(zgw_server.store) == (6 if when == "before" else 7)


def test_http_log_events_never_hold_the_query(
    zgw_server: RunningZgw, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = CapturingLogger()
    monkeypatch.setattr(zgw_http, "log", events)
    api = http_api_for(zgw_server.origin)
    api.search("zaken", "zaken", BY_SUZANNE)
    api.search("zaken", "rollen", {"betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": LANCE_BSN})
    zgw_server.control.down = True
    with pytest.raises(IntegrationUnavailable):
        api.search("zaken", "zaken", BY_SUZANNE)
    resources = [call.kwargs["resource"] for call in events.calls]
    assert resources == ["v1/zaken", "v1/rollen", "v1/zaken"]
    assert [call.kwargs["status"] for call in events.calls] == [200, 200, 503]
    logged = repr(events.calls)
    for text in (SUZANNE_BSN, LANCE_BSN, "inpBsn", "?"):
        assert text not in logged


def test_http_search_by_bsn_leaves_no_bsn_in_the_portal_logs(
    zgw_server: RunningZgw,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The portal's logging as the app and the worker set it up (httpx only from WARNING up).
    configure_logging(make_settings(database_url))
    caplog.set_level(logging.DEBUG)
    api = http_api_for(zgw_server.origin)
    api.search("zaken", "zaken", BY_SUZANNE)
    zgw_server.control.delay_seconds = 1.0
    with pytest.raises(IntegrationUnavailable) as raised:
        http_api_for(zgw_server.origin, timeout=0.3).search("zaken", "zaken", BY_SUZANNE)
    logged = caplog.text + "".join(capsys.readouterr())
    assert "zgw_request" in logged, "the calls were logged where this test can see them"
    for text in (logged, str(raised.value)):
        assert SUZANNE_BSN not in text
        assert "[9 cijfers]" not in text  # nothing had to be redacted either
