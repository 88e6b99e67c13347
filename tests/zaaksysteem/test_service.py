"""Which cases and documents of the ZGW case system a resident or company is shown, read through
service.py from the demo case system, in process (`local`) and over HTTP (`http`, the stub)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from portal.integrations.zgw import Component, ZgwApi, demo
from portal.integrations.zgw.local import LOCAL_BASE, LocalZgwApi, ZgwStore
from portal.zaaksysteem import service
from tests.conftest import DAGOBERT_VESTIGING, identity_for
from tests.integrations.zgw_stub import RunningZgw, http_api_for

MAXIMUM = "beperkt_openbaar"  # the portal's default (settings.zgw_max_vertrouwelijkheid)
OTHER_VESTIGING = "000038509520"  # Dagobert's branch in Haren


@dataclass
class CaseSystem:
    api: ZgwApi
    store: ZgwStore  # what the api serves, to look up and change the demo cases


@pytest.fixture(params=["local", "http"])
def system(request: pytest.FixtureRequest) -> Iterator[CaseSystem]:
    # The catalogue cache is per process and keyed by URL: start every test without it.
    service.clear_catalogue_cache()
    if request.param == "local":
        store = demo.demo_store(LOCAL_BASE)
        yield CaseSystem(LocalZgwApi(store), store)
    else:
        server: RunningZgw = request.getfixturevalue("zgw_server")
        client = http_api_for(server.origin)
        yield CaseSystem(client, server.store)
        client.close()
    service.clear_catalogue_cache()


class IgnoringFilters:
    """A case system that drops the query parameters `ignored(resource, name)` picks, as one
    that does not know a filter does: it answers as if the filter was not there."""

    def __init__(self, api: ZgwApi, ignored: Callable[[str, str], bool]) -> None:
        self.api = api
        self.ignored = ignored

    def url_of(self, component: Component, resource: str) -> str:
        return self.api.url_of(component, resource)

    def get(self, url: str) -> dict[str, Any] | None:
        return self.api.get(url)

    def search(
        self, component: Component, resource: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        kept = {name: value for name, value in params.items() if not self.ignored(resource, name)}
        return self.api.search(component, resource, kept)

    def create(
        self, component: Component, resource: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.api.create(component, resource, body)

    def download(self, url: str) -> bytes:
        return self.api.download(url)

    def check(self) -> None:
        self.api.check()


def rol_filters_of_zaken(resource: str, name: str) -> bool:
    return resource == "zaken" and name.startswith("rol__")


def zaak_numbered(store: ZgwStore, number: int) -> dict[str, Any]:
    suffix = f"-{number:010d}"
    return next(z for z in store.items["zaken"].values() if z["identificatie"].endswith(suffix))


def ident(store: ZgwStore, number: int) -> str:
    return str(zaak_numbered(store, number)["identificatie"])


def numbers(cases: list[service.ExternalCase]) -> list[str]:
    return [case.identificatie.rsplit("-", 1)[-1].lstrip("0") or "0" for case in cases]


def document_key(store: ZgwStore, titel: str) -> str:
    documents = store.items["enkelvoudiginformatieobjecten"].values()
    return str(next(d for d in documents if d["titel"] == titel)["uuid"])


def add_branch_case(store: ZgwStore, identificatie: str, vestigingsnummer: str) -> None:
    """A case of a company's branch: its initiator role names the vestiging, not the company."""
    catalogi = store.component_base("catalogi")
    kapvergunning = demo.ZAAKTYPE_KAPVERGUNNING
    started = datetime.now(UTC) - timedelta(days=1)
    zaak = store.create(
        "zaken",
        {
            "identificatie": identificatie,
            "bronorganisatie": demo.RSIN,
            "verantwoordelijkeOrganisatie": demo.RSIN,
            "omschrijving": f"Kapvergunning vestiging {vestigingsnummer}",
            "zaaktype": f"{catalogi}/zaaktypen/{kapvergunning}",
            "startdatum": started.date().isoformat(),
        },
    )
    store.create(
        "rollen",
        {
            "zaak": zaak["url"],
            "betrokkeneType": "vestiging",
            "roltype": f"{catalogi}/roltypen/{demo.fixed_uuid(f'roltype:{kapvergunning}')}",
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": {"vestigingsNummer": vestigingsnummer},
        },
    )
    store.create(
        "statussen",
        {
            "zaak": zaak["url"],
            "statustype": f"{catalogi}/statustypen/"
            f"{demo.fixed_uuid(f'statustype:{kapvergunning}:1')}",
            "datumStatusGezet": started.isoformat(),
        },
    )


# --- whose cases ---------------------------------------------------------------------------------


def test_suzanne_sees_her_extern_cases_open_ones_first(system: CaseSystem) -> None:
    cases = service.cases_of(system.api, identity_for("suzanne"), maximum=MAXIMUM)
    # Not 103 (vertrouwelijk), not 104 (an intern zaaktype), not Lance's 105.
    assert numbers(cases) == ["101", "102"]
    assert [case.closed for case in cases] == [False, True]
    assert cases[0].zaaktype == "Melding openbare ruimte"
    assert (cases[0].status, cases[0].status_text) == (
        "Ingepland",
        "De buitendienst heeft het werk ingepland.",
    )


def test_lance_sees_only_his_case(system: CaseSystem) -> None:
    cases = service.cases_of(system.api, identity_for("lance"), maximum=MAXIMUM)
    assert numbers(cases) == ["105"]


def test_a_company_sees_its_case(system: CaseSystem) -> None:
    cases = service.cases_of(system.api, identity_for("dagobert"), maximum=MAXIMUM)
    assert numbers(cases) == ["106"]


def test_a_company_without_cases_sees_none(system: CaseSystem) -> None:
    assert service.cases_of(system.api, identity_for("bv"), maximum=MAXIMUM) == []


def test_a_company_branch_sees_only_the_cases_of_that_branch(system: CaseSystem) -> None:
    add_branch_case(system.store, "ZAAK-VESTIGING-0000000201", DAGOBERT_VESTIGING)
    add_branch_case(system.store, "ZAAK-VESTIGING-0000000202", OTHER_VESTIGING)
    branch = identity_for("dagobert", vestiging=DAGOBERT_VESTIGING)
    assert service.initiator_of(branch).betrokkene_type == "vestiging"
    cases = service.cases_of(system.api, branch, maximum=MAXIMUM)
    assert numbers(cases) == ["201"]  # not the company's 106, not the other branch's 202
    other = "ZAAK-VESTIGING-0000000202"
    assert service.case_of(system.api, branch, other, maximum=MAXIMUM) is None


def test_only_residents_and_companies_have_cases() -> None:
    with pytest.raises(ValueError, match="only residents and companies"):
        service.initiator_of(identity_for("staff:kcc"))


def test_case_of_someone_elses_case_is_none(system: CaseSystem) -> None:
    suzanne, lance = identity_for("suzanne"), identity_for("lance")
    assert service.case_of(system.api, suzanne, ident(system.store, 105), maximum=MAXIMUM) is None
    assert service.case_of(system.api, lance, ident(system.store, 101), maximum=MAXIMUM) is None
    company = identity_for("dagobert")
    assert service.case_of(system.api, company, ident(system.store, 102), maximum=MAXIMUM) is None


@pytest.mark.parametrize("number", [103, 104])
def test_case_of_an_own_hidden_case_is_none(system: CaseSystem, number: int) -> None:
    identificatie = ident(system.store, number)
    found = service.case_of(system.api, identity_for("suzanne"), identificatie, maximum=MAXIMUM)
    assert found is None


def test_case_of_an_unknown_identificatie_is_none(system: CaseSystem) -> None:
    found = service.case_of(system.api, identity_for("suzanne"), "ZAAK-0000", maximum=MAXIMUM)
    assert found is None


# --- the timeline ---------------------------------------------------------------------------------


def test_timeline_of_an_open_case_shows_the_step_to_come(system: CaseSystem) -> None:
    case = service.case_of(
        system.api, identity_for("suzanne"), ident(system.store, 101), maximum=MAXIMUM
    )
    assert case is not None
    assert [step.name for step in case.steps] == ["Ontvangen", "Ingepland", "Afgehandeld"]
    assert [step.set_at is not None for step in case.steps] == [True, True, False]
    assert [step.current for step in case.steps] == [False, True, False]
    assert case.steps[0].text == "Wij hebben uw melding ontvangen."
    assert case.steps[0].set_at is not None
    assert case.steps[1].set_at is not None
    assert case.steps[0].set_at < case.steps[1].set_at
    assert (case.closed, case.result) == (False, None)


def test_timeline_of_a_closed_case_has_no_steps_to_come(system: CaseSystem) -> None:
    case = service.case_of(
        system.api, identity_for("suzanne"), ident(system.store, 102), maximum=MAXIMUM
    )
    assert case is not None
    assert [step.name for step in case.steps] == ["Ontvangen", "In behandeling", "Besluit genomen"]
    assert all(step.set_at is not None for step in case.steps)
    assert [step.current for step in case.steps] == [False, False, True]
    assert case.closed
    assert case.ended == zaak_date(system.store, 102, "einddatum")
    assert case.result == "Verleend"


def zaak_date(store: ZgwStore, number: int, name: str) -> date:
    return date.fromisoformat(zaak_numbered(store, number)[name])


# --- documents ------------------------------------------------------------------------------------


def test_only_definitive_documents_within_the_maximum_are_listed(system: CaseSystem) -> None:
    case = service.case_of(
        system.api, identity_for("suzanne"), ident(system.store, 101), maximum=MAXIMUM
    )
    assert case is not None
    # Not the intern "Werkbon buitendienst", not the "Conceptbrief" still being written.
    assert [document.title for document in case.documents] == ["Ontvangstbevestiging melding"]
    [document] = case.documents
    assert document.key == document_key(system.store, "Ontvangstbevestiging melding")
    assert (document.filename, document.content_type) == (
        "ontvangstbevestiging-melding.txt",
        "text/plain",
    )


@pytest.mark.parametrize(
    ("maximum", "titles"), [("openbaar", []), ("beperkt_openbaar", ["Besluit kapvergunning"])]
)
def test_a_beperkt_openbaar_document_is_shown_only_when_the_maximum_allows(
    system: CaseSystem, maximum: str, titles: list[str]
) -> None:
    case = service.case_of(
        system.api, identity_for("suzanne"), ident(system.store, 102), maximum=maximum
    )
    assert case is not None
    assert [document.title for document in case.documents] == titles


def test_document_of_a_shown_document_gives_its_content(system: CaseSystem) -> None:
    key = document_key(system.store, "Ontvangstbevestiging melding")
    found = service.document_of(
        system.api, identity_for("suzanne"), ident(system.store, 101), key, maximum=MAXIMUM
    )
    assert found is not None
    document, content = found
    assert document.key == key
    assert content == b"Ontvangstbevestiging melding\n\nGemeente Haren\n"
    assert document.size == len(content)


@pytest.mark.parametrize("titel", ["Werkbon buitendienst", "Conceptbrief"])
def test_document_of_a_hidden_document_is_none(system: CaseSystem, titel: str) -> None:
    key = document_key(system.store, titel)
    found = service.document_of(
        system.api, identity_for("suzanne"), ident(system.store, 101), key, maximum=MAXIMUM
    )
    assert found is None


def test_document_of_a_beperkt_openbaar_document_under_openbaar_is_none(
    system: CaseSystem,
) -> None:
    key = document_key(system.store, "Besluit kapvergunning")
    identificatie = ident(system.store, 102)
    suzanne = identity_for("suzanne")
    assert service.document_of(system.api, suzanne, identificatie, key, maximum="openbaar") is None
    assert service.document_of(system.api, suzanne, identificatie, key, maximum=MAXIMUM)


def test_document_of_another_persons_document_is_none(system: CaseSystem) -> None:
    key = document_key(system.store, "Ontvangstbevestiging melding")
    lance = identity_for("lance")
    # Lance asks for Suzanne's case, and for her document under his own case.
    for number in (101, 105):
        identificatie = ident(system.store, number)
        assert service.document_of(system.api, lance, identificatie, key, maximum=MAXIMUM) is None


def test_document_of_a_document_of_another_case_is_none(system: CaseSystem) -> None:
    key = document_key(system.store, "Besluit kapvergunning")  # of 102, asked under 101
    found = service.document_of(
        system.api, identity_for("suzanne"), ident(system.store, 101), key, maximum=MAXIMUM
    )
    assert found is None


# --- a case system that does not filter as asked --------------------------------------------------


def test_a_case_system_ignoring_the_rol_filters_still_shows_only_own_cases(
    system: CaseSystem,
) -> None:
    careless = IgnoringFilters(system.api, rol_filters_of_zaken)
    assert len(careless.search("zaken", "zaken", {"rol__omschrijvingGeneriek": "initiator"})) > 2
    suzanne = identity_for("suzanne")
    assert numbers(service.cases_of(careless, suzanne, maximum=MAXIMUM)) == ["101", "102"]
    assert numbers(service.cases_of(careless, identity_for("lance"), maximum=MAXIMUM)) == ["105"]
    assert service.case_of(careless, suzanne, ident(system.store, 105), maximum=MAXIMUM) is None
    company = identity_for("dagobert")
    assert numbers(service.cases_of(careless, company, maximum=MAXIMUM)) == ["106"]


def test_a_case_system_ignoring_every_rol_filter_still_shows_only_own_cases(
    system: CaseSystem,
) -> None:
    def rol_filters(resource: str, name: str) -> bool:
        return rol_filters_of_zaken(resource, name) or resource == "rollen"

    careless = IgnoringFilters(system.api, rol_filters)
    suzanne = identity_for("suzanne")
    assert numbers(service.cases_of(careless, suzanne, maximum=MAXIMUM)) == ["101", "102"]
    company = identity_for("dagobert")
    assert numbers(service.cases_of(careless, company, maximum=MAXIMUM)) == ["106"]


def test_a_case_system_ignoring_the_confidentiality_filter_still_hides_103(
    system: CaseSystem,
) -> None:
    careless = IgnoringFilters(
        system.api, lambda resource, name: name == "maximaleVertrouwelijkheidaanduiding"
    )
    suzanne = identity_for("suzanne")
    assert numbers(service.cases_of(careless, suzanne, maximum=MAXIMUM)) == ["101", "102"]
    assert service.case_of(careless, suzanne, ident(system.store, 103), maximum=MAXIMUM) is None


def test_a_case_system_ignoring_the_zaak_filter_shows_only_that_cases_documents(
    system: CaseSystem,
) -> None:
    careless = IgnoringFilters(system.api, lambda resource, name: name == "zaak")
    suzanne = identity_for("suzanne")
    case = service.case_of(careless, suzanne, ident(system.store, 101), maximum=MAXIMUM)
    assert case is not None
    assert [document.title for document in case.documents] == ["Ontvangstbevestiging melding"]
    assert [step.name for step in case.steps] == ["Ontvangen", "Ingepland", "Afgehandeld"]
    key = document_key(system.store, "Besluit kapvergunning")
    found = service.document_of(careless, suzanne, ident(system.store, 101), key, maximum=MAXIMUM)
    assert found is None


@pytest.mark.parametrize("aanduiding", [None, "", "geheimpje"])
def test_an_unknown_or_missing_confidentiality_is_treated_as_secret(
    system: CaseSystem, aanduiding: str | None
) -> None:
    zaak = zaak_numbered(system.store, 101)
    if aanduiding is None:
        del zaak["vertrouwelijkheidaanduiding"]
    else:
        zaak["vertrouwelijkheidaanduiding"] = aanduiding
    # Even when the case system lets it through the confidentiality filter.
    careless = IgnoringFilters(
        system.api, lambda resource, name: name == "maximaleVertrouwelijkheidaanduiding"
    )
    suzanne = identity_for("suzanne")
    # At the highest maximum even the vertrouwelijk 103 is shown, but 101 is not.
    assert numbers(service.cases_of(careless, suzanne, maximum="zeer_geheim")) == ["103", "102"]
    found = service.case_of(careless, suzanne, zaak["identificatie"], maximum="zeer_geheim")
    assert found is None


@pytest.mark.parametrize("aanduiding", [None, "geheimpje"])
def test_a_document_with_an_unknown_confidentiality_is_not_shown(
    system: CaseSystem, aanduiding: str | None
) -> None:
    key = document_key(system.store, "Ontvangstbevestiging melding")
    document = system.store.items["enkelvoudiginformatieobjecten"][key]
    if aanduiding is None:
        del document["vertrouwelijkheidaanduiding"]
    else:
        document["vertrouwelijkheidaanduiding"] = aanduiding
    suzanne, identificatie = identity_for("suzanne"), ident(system.store, 101)
    case = service.case_of(system.api, suzanne, identificatie, maximum="zeer_geheim")
    assert case is not None
    assert "Ontvangstbevestiging melding" not in [d.title for d in case.documents]
    found = service.document_of(system.api, suzanne, identificatie, key, maximum="zeer_geheim")
    assert found is None


def test_catalogue_is_read_once_per_url(system: CaseSystem) -> None:
    gets: list[str] = []

    class Counting(IgnoringFilters):
        def get(self, url: str) -> dict[str, Any] | None:
            gets.append(url)
            return super().get(url)

    counting = Counting(system.api, lambda resource, name: False)
    suzanne = identity_for("suzanne")
    service.cases_of(counting, suzanne, maximum=MAXIMUM)
    catalogue = [url for url in gets if "/catalogi/" in url]
    assert catalogue
    assert len(catalogue) == len(set(catalogue))
    gets.clear()
    service.cases_of(counting, suzanne, maximum=MAXIMUM)
    assert [url for url in gets if "/catalogi/" in url] == []
