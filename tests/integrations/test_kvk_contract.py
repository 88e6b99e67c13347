"""One contract for both KVKs: the local one and the Basisprofiel client talking to the stub.

The first half runs against both and must pass unchanged for each; the second half is about the
http client alone (headers, paths, failures).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from portal.integrations import IntegrationUnavailable
from portal.integrations.kvk import KVK, Basisprofiel, Vestiging
from portal.integrations.kvk.http import KVKBasisprofiel
from portal.integrations.kvk.local import LocalKVK
from tests.integrations.conftest import KVK_API_KEY, RunningStub
from tests.integrations.stubs import free_port

DAGOBERT = "69599084"
DONALD = "68750110"
NV = "90004760"
DAGOBERT_HOOFD = "000038509504"
DAGOBERT_HAREN = "000038509520"
DONALD_HOOFD = "000037178598"
UNKNOWN_KVK = "12345678"
UNKNOWN_VESTIGING = "000000000001"


def http_kvk(stub: RunningStub, **options: object) -> KVKBasisprofiel:
    values: dict[str, object] = {"api_key": KVK_API_KEY, "timeout": 5.0, **options}
    return KVKBasisprofiel(stub.url, **values)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "http"])
def kvk(request: pytest.FixtureRequest) -> Iterator[KVK]:
    if request.param == "local":
        yield LocalKVK.from_demo_data()
        return
    client = http_kvk(request.getfixturevalue("kvk_stub_server"))
    yield client
    client.close()


def profiel(kvk: KVK, kvk_nummer: str) -> Basisprofiel:
    found = kvk.get_basisprofiel(kvk_nummer)
    assert found is not None
    return found


def vestiging(kvk: KVK, vestigingsnummer: str) -> Vestiging:
    found = kvk.get_vestiging(vestigingsnummer)
    assert found is not None
    return found


# --- the contract: both implementations --------------------------------------------------------


def test_dagobert_basisprofiel(kvk: KVK) -> None:
    dagobert = profiel(kvk, DAGOBERT)
    assert dagobert.kvk_nummer == DAGOBERT
    assert dagobert.naam == "Test EMZ Dagobert"
    assert dagobert.statutaire_naam is None
    assert dagobert.handelsnamen == ("Test EMZ Dagobert", "Tweede handelsnaam 1MZ")
    assert dagobert.rechtsvorm == "Eenmanszaak"
    assert dagobert.formele_registratiedatum == date(2017, 7, 10)
    [sbi] = dagobert.sbi_activiteiten
    assert (sbi.code, sbi.hoofdactiviteit) == ("10110", True)
    assert sbi.omschrijving is not None
    assert sbi.omschrijving.startswith("Verwerking en conservering van vlees")


def test_dagobert_hoofdvestiging(kvk: KVK) -> None:
    hoofd = profiel(kvk, DAGOBERT).hoofdvestiging
    assert hoofd is not None
    assert (hoofd.vestigingsnummer, hoofd.kvk_nummer) == (DAGOBERT_HOOFD, DAGOBERT)
    assert hoofd.is_hoofdvestiging
    assert hoofd.eerste_handelsnaam == "Test EMZ Dagobert"
    adres = hoofd.bezoekadres
    assert adres is not None
    assert adres.type == "bezoekadres"
    assert adres.volledig_adres == "Abebe Bikilalaan 17 M 1034WL Amsterdam"
    assert (adres.straatnaam, adres.huisnummer, adres.huisletter) == ("Abebe Bikilalaan", 17, "M")
    assert (adres.postcode, adres.plaats, adres.land) == ("1034WL", "Amsterdam", "Nederland")
    assert adres.afgeschermd is False


def test_dagobert_lists_both_branches(kvk: KVK) -> None:
    vestigingen = profiel(kvk, DAGOBERT).vestigingen
    assert [(v.vestigingsnummer, v.is_hoofdvestiging) for v in vestigingen] == [
        (DAGOBERT_HOOFD, True),
        (DAGOBERT_HAREN, False),
    ]
    haren = vestigingen[1]
    assert haren.eerste_handelsnaam == "Tweede handelsnaam 1MZ"
    assert haren.bezoekadres is not None
    assert haren.bezoekadres.volledig_adres == "Rijksstraatweg 200 9752CE Haren"


def test_bv_basisprofiel(kvk: KVK) -> None:
    donald = profiel(kvk, DONALD)
    assert (donald.naam, donald.statutaire_naam) == ("Test BV Donald", "Test BV Donald")
    assert donald.rechtsvorm == "Besloten vennootschap met gewone structuur"
    assert donald.hoofdvestiging is not None
    assert donald.hoofdvestiging.vestigingsnummer == DONALD_HOOFD
    assert [a.type for a in donald.hoofdvestiging.adressen] == [
        "correspondentieadres",
        "bezoekadres",
    ]
    bezoek = donald.hoofdvestiging.bezoekadres
    assert bezoek is not None
    assert (bezoek.straatnaam, bezoek.huisnummer, bezoek.toevoeging) == ("Hizzaarderlaan", 3, "A")


def test_nv_basisprofiel(kvk: KVK) -> None:
    nv = profiel(kvk, NV)
    assert nv.rechtsvorm == "Naamloze vennootschap"
    assert nv.hoofdvestiging is not None
    assert [v.vestigingsnummer for v in nv.vestigingen] == [nv.hoofdvestiging.vestigingsnummer]


def test_vestiging_lookup(kvk: KVK) -> None:
    haren = vestiging(kvk, DAGOBERT_HAREN)
    assert (haren.kvk_nummer, haren.is_hoofdvestiging) == (DAGOBERT, False)
    assert haren.eerste_handelsnaam == "Tweede handelsnaam 1MZ"
    assert haren.bezoekadres is not None
    assert (haren.bezoekadres.plaats, haren.bezoekadres.postcode) == ("Haren", "9752CE")
    assert [sbi.code for sbi in haren.sbi_activiteiten] == ["47221"]
    hoofd = vestiging(kvk, DAGOBERT_HOOFD)
    assert hoofd.is_hoofdvestiging
    assert [sbi.code for sbi in hoofd.sbi_activiteiten] == ["10110"]
    assert vestiging(kvk, DONALD_HOOFD).kvk_nummer == DONALD


def test_unknown_kvk_nummer_is_none(kvk: KVK) -> None:
    assert kvk.get_basisprofiel(UNKNOWN_KVK) is None


def test_unknown_vestiging_is_none(kvk: KVK) -> None:
    assert kvk.get_vestiging(UNKNOWN_VESTIGING) is None


@pytest.mark.parametrize("number", ["6959908", "695990840", "6959908a", "69599084\n", ""])
def test_a_kvk_nummer_that_is_not_eight_digits_is_refused(kvk: KVK, number: str) -> None:
    with pytest.raises(ValueError, match="eight digits"):
        kvk.get_basisprofiel(number)


@pytest.mark.parametrize("number", ["00003850950", "0000385095040", "69599084", "00003850950x"])
def test_a_vestigingsnummer_that_is_not_twelve_digits_is_refused(kvk: KVK, number: str) -> None:
    with pytest.raises(ValueError, match="twelve digits"):
        kvk.get_vestiging(number)


@pytest.mark.parametrize("kvk_nummer", [DAGOBERT, DONALD, NV])
def test_basisprofiel_survives_the_session_cache(kvk: KVK, kvk_nummer: str) -> None:
    found = profiel(kvk, kvk_nummer)
    assert Basisprofiel.from_json(json.loads(json.dumps(found.to_json()))) == found


def test_vestiging_survives_the_session_cache(kvk: KVK) -> None:
    found = vestiging(kvk, DONALD_HOOFD)
    assert Vestiging.from_json(json.loads(json.dumps(found.to_json()))) == found


def test_check_passes_when_the_kvk_answers(kvk: KVK) -> None:
    kvk.check()


# --- the http client alone ---------------------------------------------------------------------


def test_http_asks_the_documented_resources_with_the_api_key(kvk_stub_server: RunningStub) -> None:
    client = http_kvk(kvk_stub_server)
    client.get_basisprofiel(DAGOBERT)
    client.get_vestiging(DAGOBERT_HAREN)
    requests = kvk_stub_server.control.requests
    assert [(r.method, r.path) for r in requests] == [
        ("GET", f"/test/api/v1/basisprofielen/{DAGOBERT}"),
        ("GET", f"/test/api/v1/basisprofielen/{DAGOBERT}/vestigingen"),
        ("GET", f"/test/api/v1/vestigingsprofielen/{DAGOBERT_HAREN}"),
    ]
    assert requests[0].query == {"geoData": "false"}
    for request in requests:
        assert request.headers["apikey"] == KVK_API_KEY
        assert request.headers["accept"] == "application/hal+json"


def test_stub_answers_an_unknown_number_with_the_real_error(kvk_stub_server: RunningStub) -> None:
    response = httpx.get(f"{kvk_stub_server.url}/v1/basisprofielen/{UNKNOWN_KVK}")
    assert response.status_code == 404
    [fout] = response.json()["fout"]
    assert fout["code"] == "IPD0005"
    assert UNKNOWN_KVK in fout["omschrijving"]


def test_http_500_is_unavailable(kvk_stub_server: RunningStub) -> None:
    kvk_stub_server.control.fail_status = 500
    client = http_kvk(kvk_stub_server)
    with pytest.raises(IntegrationUnavailable) as raised:
        client.get_basisprofiel(DAGOBERT)
    assert (raised.value.system, raised.value.reason) == ("kvk", "HTTP 500")
    with pytest.raises(IntegrationUnavailable):
        client.get_vestiging(DAGOBERT_HOOFD)
    with pytest.raises(IntegrationUnavailable):
        client.check()


def test_http_timeout_is_unavailable(kvk_stub_server: RunningStub) -> None:
    kvk_stub_server.control.delay_seconds = 1.0
    with pytest.raises(IntegrationUnavailable) as raised:
        http_kvk(kvk_stub_server, timeout=0.2).get_basisprofiel(DAGOBERT)
    assert raised.value.reason == "timeout"


def test_http_garbage_is_unavailable(kvk_stub_server: RunningStub) -> None:
    kvk_stub_server.control.garbage = True
    with pytest.raises(IntegrationUnavailable) as raised:
        http_kvk(kvk_stub_server).get_vestiging(DAGOBERT_HOOFD)
    assert "not JSON" in raised.value.reason


def test_http_a_404_that_is_not_the_kvk_speaking_is_unavailable(
    kvk_stub_server: RunningStub,
) -> None:
    # A wrong MIJNHAREN_KVK_URL must not look like "this company does not exist".
    origin = kvk_stub_server.url.removesuffix("/test/api")
    with pytest.raises(IntegrationUnavailable):
        KVKBasisprofiel(f"{origin}/wrong/api", api_key=KVK_API_KEY).get_basisprofiel(DAGOBERT)
    transport = httpx.MockTransport(lambda request: httpx.Response(404, json={"message": "nope"}))
    with pytest.raises(IntegrationUnavailable):
        KVKBasisprofiel("http://kvk.invalid", transport=transport).get_basisprofiel(DAGOBERT)


@pytest.mark.parametrize(
    "answer",
    [
        {"naam": "Zonder nummer"},
        {"kvkNummer": DAGOBERT, "naam": "X", "handelsnamen": "Test EMZ Dagobert"},
        {"kvkNummer": DAGOBERT, "naam": "X", "_embedded": {"hoofdvestiging": {"kvkNummer": 1}}},
        ["not", "an", "object"],
    ],
)
def test_http_json_of_the_wrong_shape_is_unavailable(answer: object) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    with pytest.raises(IntegrationUnavailable) as raised:
        KVKBasisprofiel("http://kvk.invalid", transport=transport).get_basisprofiel(DAGOBERT)
    assert raised.value.reason == "unexpected answer"


def test_http_unreachable_is_unavailable() -> None:
    client = KVKBasisprofiel(f"http://127.0.0.1:{free_port()}/api", timeout=2)
    with pytest.raises(IntegrationUnavailable) as raised:
        client.get_basisprofiel(DAGOBERT)
    assert raised.value.reason == "unreachable"
