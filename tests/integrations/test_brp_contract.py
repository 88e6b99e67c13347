"""One contract for both BRPs: the local one and the Haal Centraal client talking to the stub.

The first half runs against both and must pass unchanged for each; the second half is about the
http client alone (headers, body, failures, logs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from portal.integrations import IntegrationUnavailable
from portal.integrations.brp import BRP, Persoon
from portal.integrations.brp.http import HaalCentraalBRP
from portal.integrations.brp.local import LocalBRP, leeftijd, today_in_nl
from portal.integrations.brp.mapping import PERSOON_FIELDS
from tests.integrations.conftest import BRP_API_KEY, OIN, RunningStub
from tests.integrations.stubs import free_port

SUZANNE = "999993653"
LANCE = "999990858"
MARIANNE = "999990949"
LONNEKE = "999992879"
KOOS = "999993525"
GEHEIM = "999993872"
HOLTHUIZEN = "999990421"
WIEGMAN = "999990676"
GERRIT = "999994542"
WILMA = "999993112"
ZOEY = "999995807"
UNKNOWN = "999999990"  # nine digits, in no demo file
DEMO_BSNS = (SUZANNE, LANCE, MARIANNE, LONNEKE, KOOS, GEHEIM, HOLTHUIZEN, WIEGMAN, GERRIT, WILMA)
PURPOSE = "Raadplegen eigen gegevens"


def http_brp(stub: RunningStub, **options: object) -> HaalCentraalBRP:
    values: dict[str, object] = {"oin": OIN, "api_key": BRP_API_KEY, "timeout": 5.0, **options}
    return HaalCentraalBRP(stub.url, **values)  # type: ignore[arg-type]


@pytest.fixture(params=["local", "http"])
def brp(request: pytest.FixtureRequest) -> Iterator[BRP]:
    if request.param == "local":
        yield LocalBRP.from_demo_data()
        return
    client = http_brp(request.getfixturevalue("brp_stub_server"))
    yield client
    client.close()


def get(brp: BRP, bsn: str) -> Persoon:
    persoon = brp.get_persoon(bsn, purpose=PURPOSE)
    assert persoon is not None
    return persoon


# --- the contract: both implementations --------------------------------------------------------


def test_suzanne_name_birth_address_and_nationalities(brp: BRP) -> None:
    suzanne = get(brp, SUZANNE)
    assert suzanne.burgerservicenummer == SUZANNE
    assert suzanne.naam.voornamen == "Suzanne"
    assert suzanne.naam.geslachtsnaam == "Moulin"
    assert suzanne.naam.voorletters == "S."
    assert suzanne.naam.display == suzanne.naam.aanhef_naam == "Suzanne Moulin"
    assert suzanne.naam.aanduiding_naamgebruik == "E"
    assert suzanne.geslacht == "vrouw"
    assert suzanne.geboorte is not None
    assert suzanne.geboorte.datum == date(1985, 12, 1)
    assert suzanne.geboorte.datum_tekst == "1 december 1985"
    assert (suzanne.geboorte.plaats, suzanne.geboorte.land) == ("Thann", "Frankrijk")
    assert suzanne.leeftijd == leeftijd({"type": "Datum", "datum": "1985-12-01"}, today_in_nl())
    adres = suzanne.verblijfplaats
    assert adres is not None
    assert (adres.straat, adres.huisnummer, adres.postcode, adres.woonplaats) == (
        "Rijksstraatweg",
        120,
        "9752BL",
        "Haren",
    )
    assert adres.datum_van == date(2019, 3, 1)
    assert (adres.adresregel1, adres.adresregel2) == ("Rijksstraatweg 120", "9752 BL  HAREN")
    assert suzanne.nationaliteiten == ("Nederlandse", "Franse")
    assert suzanne.datum_inschrijving == date(2019, 3, 1)
    assert not suzanne.geheimhouding
    assert not suzanne.overleden


def test_suzanne_parents_and_partner(brp: BRP) -> None:
    suzanne = get(brp, SUZANNE)
    assert [(ouder.soort, ouder.naam.display) for ouder in suzanne.ouders] == [
        ("1", "Lisette Béamont"),
        ("2", "Guîllaumé Moulin"),
    ]
    assert suzanne.ouders[0].geboortedatum == date(1956, 12, 1)
    assert [(p.naam.display, p.soort) for p in suzanne.partners] == [
        ("Jean Marie Beaudelaire", "huwelijk")
    ]
    assert suzanne.kinderen == ()


def test_lance_has_his_partner_and_two_children(brp: BRP) -> None:
    lance = get(brp, LANCE)
    assert lance.naam.display == "Lance Smit"
    assert lance.verblijfplaats is not None
    assert lance.verblijfplaats.woonplaats == "Haren"
    [partner] = lance.partners
    assert partner.burgerservicenummer == MARIANNE
    assert partner.naam.display == "Marianne de Jong"
    assert partner.naam.voorvoegsel == "de"
    assert partner.geboortedatum == date(1952, 4, 22)
    assert partner.soort == "huwelijk"
    assert {
        (kind.burgerservicenummer, kind.naam.display, kind.geboortedatum) for kind in lance.kinderen
    } == {
        (LONNEKE, "Lonneke Smit", date(1978, 6, 12)),
        (KOOS, "Koos Smit", date(1975, 11, 18)),
    }


def test_dates_known_only_in_part_are_not_dates(brp: BRP) -> None:
    # Lance's parents were born in a JaarDatum (1921) and a JaarMaandDatum (mei 1923).
    lance = get(brp, LANCE)
    assert [ouder.naam.display for ouder in lance.ouders] == ["Hendrik Smit", "Geertruida Bakker"]
    assert [ouder.geboortedatum for ouder in lance.ouders] == [None, None]


def test_lonneke_knows_her_parents(brp: BRP) -> None:
    lonneke = get(brp, LONNEKE)
    assert {ouder.burgerservicenummer for ouder in lonneke.ouders} == {LANCE, MARIANNE}
    assert {ouder.soort for ouder in lonneke.ouders} == {"1", "2"}


def test_registered_partners_and_their_child(brp: BRP) -> None:
    gerrit = get(brp, GERRIT)
    assert [(p.burgerservicenummer, p.soort) for p in gerrit.partners] == [
        (WILMA, "geregistreerd partnerschap")
    ]
    assert [kind.burgerservicenummer for kind in gerrit.kinderen] == [ZOEY]
    wilma = get(brp, WILMA)
    assert wilma.naam.aanduiding_naamgebruik == "V"
    assert wilma.verblijfplaats is not None
    assert wilma.verblijfplaats.toevoeging == "H"
    zoey = get(brp, ZOEY)
    assert {ouder.burgerservicenummer for ouder in zoey.ouders} == {GERRIT, WILMA}


def test_geheimhouding_is_flagged(brp: BRP) -> None:
    geheim = get(brp, GEHEIM)
    assert geheim.geheimhouding is True
    assert geheim.naam.display == "Peter-Jan van der Meijden"
    assert get(brp, SUZANNE).geheimhouding is False


def test_deceased_person_is_flagged_and_has_no_age(brp: BRP) -> None:
    holthuizen = get(brp, HOLTHUIZEN)
    assert holthuizen.overleden is True
    assert holthuizen.leeftijd is None
    assert holthuizen.naam.display == "Adrianus Hendrikus Holthuizen"
    assert [p.naam.geslachtsnaam for p in holthuizen.partners] == ["Wiegman"]
    assert holthuizen.partners[0].burgerservicenummer is None


def test_a_minimal_person_has_only_a_name(brp: BRP) -> None:
    wiegman = get(brp, WIEGMAN)
    assert wiegman.naam.display == "Cornelia Francisca Wiegman"
    assert (wiegman.geboorte, wiegman.verblijfplaats, wiegman.leeftijd) == (None, None, None)
    assert wiegman.nationaliteiten == ()
    assert wiegman.partners == wiegman.kinderen == wiegman.ouders == ()
    assert not wiegman.geheimhouding
    assert not wiegman.overleden


def test_unknown_bsn_is_none(brp: BRP) -> None:
    assert brp.get_persoon(UNKNOWN, purpose=PURPOSE) is None


@pytest.mark.parametrize(
    "bsn", ["99999365", "9999936530", "99999365a", "99999365\n", "", " 999993653"]
)
def test_a_bsn_that_is_not_nine_digits_is_refused_before_asking(brp: BRP, bsn: str) -> None:
    with pytest.raises(ValueError, match="nine digits") as raised:
        brp.get_persoon(bsn, purpose=PURPOSE)
    assert bsn.strip() == "" or bsn.strip() not in str(raised.value)


def test_a_purpose_is_required(brp: BRP) -> None:
    with pytest.raises(ValueError, match="purpose"):
        brp.get_persoon(SUZANNE, purpose=" ")


@pytest.mark.parametrize("bsn", [*DEMO_BSNS, ZOEY])
def test_every_demo_person_survives_the_session_cache(brp: BRP, bsn: str) -> None:
    persoon = get(brp, bsn)
    assert Persoon.from_json(json.loads(json.dumps(persoon.to_json()))) == persoon


def test_check_passes_when_the_brp_answers(brp: BRP) -> None:
    brp.check()


# --- the http client alone ---------------------------------------------------------------------


def test_http_sends_the_gateway_headers(brp_stub_server: RunningStub) -> None:
    http_brp(brp_stub_server, verwerking="Mijn Haren: eigen gegevens").get_persoon(
        SUZANNE, purpose=PURPOSE
    )
    [request] = brp_stub_server.control.requests
    assert request.method == "POST"
    assert request.path == "/haalcentraal/api/brp/personen"
    assert request.headers["x-origin-oin"] == OIN
    assert request.headers["x-doelbinding"] == PURPOSE
    assert request.headers["x-verwerking"] == "Mijn Haren: eigen gegevens"
    assert request.headers["x-gebruiker"] == "BurgerZelf"
    assert request.headers["x-api-key"] == BRP_API_KEY
    assert request.headers["content-type"].startswith("application/json")


def test_http_sends_no_api_key_header_without_a_key(brp_stub_server: RunningStub) -> None:
    http_brp(brp_stub_server, api_key="").get_persoon(SUZANNE, purpose=PURPOSE)
    assert "x-api-key" not in brp_stub_server.control.requests[0].headers


def test_http_request_body_has_the_spec_shape(brp_stub_server: RunningStub) -> None:
    http_brp(brp_stub_server).get_persoon(SUZANNE, purpose=PURPOSE)
    body = brp_stub_server.control.requests[0].body
    assert body == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [SUZANNE],
        "fields": list(PERSOON_FIELDS),
    }
    assert isinstance(body["fields"], list)
    assert "gemeenteVanInschrijving" not in body


def test_http_filters_on_municipality_only_when_told(brp_stub_server: RunningStub) -> None:
    haren_only = http_brp(brp_stub_server, gemeente_van_inschrijving="0017")
    assert haren_only.get_persoon(SUZANNE, purpose=PURPOSE) is not None
    assert haren_only.get_persoon(LONNEKE, purpose=PURPOSE) is None  # lives in Groningen
    assert brp_stub_server.control.requests[0].body["gemeenteVanInschrijving"] == "0017"


def test_stub_answers_a_bad_field_with_the_real_problem_shape(brp_stub_server: RunningStub) -> None:
    response = httpx.post(
        f"{brp_stub_server.url}/personen",
        json={
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [SUZANNE],
            "fields": ["geheimhoudingPersoonsgegevens"],
        },
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "paramsValidation"
    assert problem["invalidParams"] == [
        {
            "code": "fields",
            "name": "fields[0]",
            "reason": "Parameter bevat een niet toegestane veldnaam.",
        }
    ]


def test_http_turns_a_refused_request_into_unavailable(brp_stub_server: RunningStub) -> None:
    client = http_brp(brp_stub_server, fields=["bestaatNiet"])
    with pytest.raises(IntegrationUnavailable) as raised:
        client.get_persoon(SUZANNE, purpose=PURPOSE)
    assert (raised.value.system, raised.value.reason) == ("brp", "HTTP 400 paramsValidation")


def test_http_500_is_unavailable(brp_stub_server: RunningStub) -> None:
    brp_stub_server.control.fail_status = 500
    with pytest.raises(IntegrationUnavailable) as raised:
        http_brp(brp_stub_server).get_persoon(SUZANNE, purpose=PURPOSE)
    assert raised.value.system == "brp"
    assert raised.value.reason.startswith("HTTP 500")
    with pytest.raises(IntegrationUnavailable):
        http_brp(brp_stub_server).check()


def test_http_timeout_is_unavailable(brp_stub_server: RunningStub) -> None:
    brp_stub_server.control.delay_seconds = 1.0
    with pytest.raises(IntegrationUnavailable) as raised:
        http_brp(brp_stub_server, timeout=0.2).get_persoon(SUZANNE, purpose=PURPOSE)
    assert raised.value.reason == "timeout"


def test_http_garbage_is_unavailable(brp_stub_server: RunningStub) -> None:
    brp_stub_server.control.garbage = True
    with pytest.raises(IntegrationUnavailable) as raised:
        http_brp(brp_stub_server).get_persoon(SUZANNE, purpose=PURPOSE)
    assert raised.value.reason == "answer is not JSON"


@pytest.mark.parametrize(
    "answer",
    [
        {"type": "RaadpleegMetBurgerservicenummer"},
        {"personen": {"burgerservicenummer": SUZANNE}},
        {"personen": [{"burgerservicenummer": SUZANNE, "naam": "Suzanne"}]},
        {"personen": [{"burgerservicenummer": SUZANNE, "geboorte": {"datum": "1985-12-01"}}]},
        {"personen": [{"burgerservicenummer": SUZANNE, "leeftijd": "39"}]},
        ["not", "an", "object"],
    ],
)
def test_http_json_of_the_wrong_shape_is_unavailable(answer: object) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    client = HaalCentraalBRP("http://brp.invalid/api", oin=OIN, transport=transport)
    with pytest.raises(IntegrationUnavailable) as raised:
        client.get_persoon(SUZANNE, purpose=PURPOSE)
    assert raised.value.reason == "unexpected answer"


def test_http_unreachable_is_unavailable() -> None:
    client = HaalCentraalBRP(f"http://127.0.0.1:{free_port()}/brp", oin=OIN, timeout=2)
    with pytest.raises(IntegrationUnavailable) as raised:
        client.get_persoon(SUZANNE, purpose=PURPOSE)
    assert raised.value.reason == "unreachable"


def test_no_bsn_ever_reaches_the_log(
    brp_stub_server: RunningStub,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level("DEBUG")
    client = http_brp(brp_stub_server, timeout=0.3)
    reasons = []
    for bsn in (SUZANNE, LANCE, GEHEIM, UNKNOWN):
        client.get_persoon(bsn, purpose=PURPOSE)
    for setting, value in (("fail_status", 500), ("garbage", True), ("delay_seconds", 1.0)):
        brp_stub_server.control.reset()
        setattr(brp_stub_server.control, setting, value)
        with pytest.raises(IntegrationUnavailable) as raised:
            client.get_persoon(SUZANNE, purpose=PURPOSE)
        reasons.append(str(raised.value))
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "brp_request" in logged, "the calls were logged where this test can see them"
    for text in (logged, *reasons):
        for bsn in (*DEMO_BSNS, UNKNOWN):
            assert bsn not in text
        assert not re.search(r"(?<!\d)9999\d{5}(?!\d)", text)
