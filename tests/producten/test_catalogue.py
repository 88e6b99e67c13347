"""The shipped catalogue loads and is complete; a broken product file names the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from auth.identity import DIGID_LEVELS, EHERKENNING_LEVELS
from portal.producten import service
from portal.producten.schemas import THEMAS

REQUIRED_SLUGS = {
    "verhuizing-doorgeven",
    "uittreksel-brp",
    "parkeervergunning",
    "melding-openbare-ruimte",
    "grofvuil",
    "afvalcontainer",
    "hondenbelasting",
    "kwijtschelding",
    "evenementenvergunning",
    "terrasvergunning",
    "bezwaar",
    "vraag",
    "paspoort",
    "identiteitskaart",
    "rijbewijs",
    "huwelijk-partnerschap",
}
APPOINTMENT_ONLY = {"paspoort", "identiteitskaart", "rijbewijs", "huwelijk-partnerschap"}

VALID_PRODUCT = """
schema_version = 1
slug = "{slug}"
naam = "Testproduct"
naam_en = "Test product"
samenvatting = "Een product om mee te testen."
samenvatting_en = "A product to test with."
beschrijving = "Eerste alinea.\\n\\nTweede alinea."
beschrijving_en = "First paragraph.\\n\\nSecond paragraph."
doelgroep = "inwoners"
aanvragen = "online"
formulier = "test"
login = "digid"
minimum_loa = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
gerelateerd = []
thema = "Burgerzaken"

[[kosten]]
omschrijving = "Test"
omschrijving_en = "Test"
bedrag = "{bedrag}"
jaar = 2026

[doorlooptijd]
servicenorm_dagen = 5
"""


def write_product(directory: Path, slug: str = "testproduct", **changes: str) -> Path:
    text = VALID_PRODUCT.format(slug=slug, bedrag=changes.pop("bedrag", "12.50"))
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    path = directory / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_catalogue_has_enough_products_and_most_are_online() -> None:
    products = service.list_products()
    assert len(products) >= 22
    assert sum(1 for p in products if p.aanvragen == "online") >= 15


def test_the_required_products_are_there_as_agreed() -> None:
    catalogue = service.get_catalogue()
    assert set(catalogue.by_slug) >= REQUIRED_SLUGS
    for slug in APPOINTMENT_ONLY:
        assert catalogue.by_slug[slug].aanvragen == "afspraak", slug
    verhuizing = catalogue.by_slug["verhuizing-doorgeven"]
    assert verhuizing.formulier == "verhuizing"
    assert catalogue.by_slug["melding-openbare-ruimte"].login == "geen"
    for slug in ("evenementenvergunning", "terrasvergunning"):
        assert catalogue.by_slug[slug].doelgroep == "ondernemers"


def test_every_product_is_consistent() -> None:
    catalogue = service.get_catalogue()
    for product in catalogue.products:
        assert all(slug in catalogue.by_slug for slug in product.gerelateerd), product.slug
        assert product.thema in THEMAS
        if product.online and product.login != "geen":
            levels = DIGID_LEVELS + EHERKENNING_LEVELS
            assert product.minimum_loa in levels, product.slug
        assert all(k.jaar == 2026 for k in product.kosten), product.slug


def test_prices_are_exact_decimals() -> None:
    paspoort = service.get_product("paspoort")
    assert paspoort is not None
    assert str(paspoort.kosten[0].bedrag) == "84.95"


def test_the_catalogue_is_loaded_once_per_process() -> None:
    assert service.get_catalogue() is service.get_catalogue()


def test_a_valid_directory_loads(tmp_path: Path) -> None:
    write_product(tmp_path)
    catalogue = service.load_catalogue(tmp_path)
    assert [p.slug for p in catalogue.products] == ["testproduct"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({'doelgroep = "inwoners"': 'doelgroep = "iedereen"'}, "doelgroep"),
        ({"bedrag": "twaalf"}, "kosten.0.bedrag"),
        ({'naam = "Testproduct"\n': ""}, "naam"),
        ({'formulier = "test"\n': ""}, "formulier"),
        (
            {"minimum_loa = ": "minimum_loa = 'urn:etoegang:core:assurance-class:loa3' #"},
            "minimum_loa",
        ),
        ({'thema = "Burgerzaken"': 'thema = "Sport"'}, "thema"),
        ({"schema_version = 1": "schema_version = 2"}, "schema_version"),
        ({"servicenorm_dagen = 5": "servicenorm_dagen = -1"}, "doorlooptijd.servicenorm_dagen"),
    ],
)
def test_a_broken_product_names_the_file_and_the_field(
    tmp_path: Path, changes: dict[str, str], field: str
) -> None:
    path = write_product(tmp_path, **changes)
    with pytest.raises(service.CatalogueError) as error:
        service.load_catalogue(tmp_path)
    assert str(path) in str(error.value)
    assert field in str(error.value)


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write_product(tmp_path, **{'naam = "Testproduct"': 'naam = "Testproduct'})
    with pytest.raises(service.CatalogueError, match="not valid TOML") as error:
        service.load_catalogue(tmp_path)
    assert str(path) in str(error.value)
    assert "line" in str(error.value)


def test_related_products_must_exist(tmp_path: Path) -> None:
    path = write_product(tmp_path, **{"gerelateerd = []": 'gerelateerd = ["bestaat-niet"]'})
    with pytest.raises(service.CatalogueError, match="gerelateerd") as error:
        service.load_catalogue(tmp_path)
    assert str(path) in str(error.value)
    assert "bestaat-niet" in str(error.value)


def test_the_slug_must_match_the_file_name(tmp_path: Path) -> None:
    write_product(tmp_path)
    (tmp_path / "testproduct.toml").rename(tmp_path / "anders.toml")
    with pytest.raises(service.CatalogueError, match=r"anders\.toml: slug"):
        service.load_catalogue(tmp_path)


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(service.CatalogueError, match="no product files"):
        service.load_catalogue(tmp_path)


def test_english_uses_the_english_fields() -> None:
    paspoort = service.get_product("paspoort")
    assert paspoort is not None
    dutch = service.localize_product(paspoort, "nl")
    english = service.localize_product(paspoort, "en")
    assert (dutch.naam, english.naam) == ("Paspoort", "Passport")
    assert dutch.kosten[0].bedrag == "€\u00a084,95"  # a no-break space keeps € with the amount
    assert english.kosten[0].bedrag == "€84.95"
    assert english.thema == "Civil affairs"
    assert len(english.paragrafen) == 3


def test_login_levels_per_provider() -> None:
    bezwaar = service.get_product("bezwaar")
    assert bezwaar is not None
    assert bezwaar.minimum_loa_for("digid") == DIGID_LEVELS[1]
    assert bezwaar.minimum_loa_for("eherkenning") == "urn:etoegang:core:assurance-class:loa3"
    melding = service.get_product("melding-openbare-ruimte")
    assert melding is not None
    assert melding.minimum_loa_for("digid") == ""
