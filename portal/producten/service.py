"""The product catalogue: loading and validating the product files, finding products, and
presenting a product in the visitor's language."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_currency
from pydantic import ValidationError

from auth.identity import loa_name
from portal.producten.schemas import (
    THEMAS,
    LocalizedKosten,
    LocalizedProduct,
    LoginMethod,
    Product,
    RelatedLink,
)
from portal.producten.search import Field, SearchIndex

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogus"
DOELGROEPEN = ("inwoners", "ondernemers")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
_THEMA_ORDER = {thema: position for position, thema in enumerate(THEMAS)}

# How much a match in each field counts: the product's name first, its summary last.
WEIGHT_NAME = 10.0
WEIGHT_UPL = 8.0
WEIGHT_KEYWORDS = 6.0
WEIGHT_THEME = 3.0
WEIGHT_SUMMARY = 2.0


class CatalogueError(Exception):
    """A product file is broken: the message names the file and, where it can, the field."""


@dataclass(frozen=True)
class Catalogue:
    """Every product, sorted by name, with the search index built over them."""

    products: tuple[Product, ...]
    index: SearchIndex = field(repr=False)
    by_slug: dict[str, Product] = field(repr=False)

    @classmethod
    def from_products(cls, products: Iterable[Product]) -> Catalogue:
        """Sort the products and build the search index (once per process for the real one)."""
        ordered = tuple(sorted(products, key=lambda p: (p.naam.casefold(), p.slug)))
        index = SearchIndex([search_fields(p) for p in ordered])
        return cls(products=ordered, index=index, by_slug={p.slug: p for p in ordered})


def search_fields(product: Product) -> list[Field]:
    """What search looks at, in both languages, with the weight of each field."""
    return [
        (product.naam, WEIGHT_NAME),
        (product.naam_en, WEIGHT_NAME),
        (product.upl_naam, WEIGHT_UPL),
        (" ".join(product.zoekwoorden), WEIGHT_KEYWORDS),
        (product.thema, WEIGHT_THEME),
        (THEMAS[product.thema], WEIGHT_THEME),
        (product.samenvatting, WEIGHT_SUMMARY),
        (product.samenvatting_en, WEIGHT_SUMMARY),
    ]


def _describe(error: ValidationError) -> str:
    parts = []
    for detail in error.errors():
        location = ".".join(str(part) for part in detail["loc"]) or "(product)"
        parts.append(f"{location}: {detail['msg']}")
    return "; ".join(parts)


def load_product(path: Path) -> Product:
    """One product file, validated; a CatalogueError names the file and the field."""
    try:
        with path.open("rb") as product_file:
            data = tomllib.load(product_file)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path}: not valid TOML: {error}") from error
    try:
        product = Product.model_validate(data)
    except ValidationError as error:
        raise CatalogueError(f"{path}: {_describe(error)}") from error
    if product.slug != path.stem:
        raise CatalogueError(f"{path}: slug: {product.slug!r} must equal the file name")
    return product


def load_catalogue(directory: Path) -> Catalogue:
    """Every `<slug>.toml` in `directory`, validated, cross-checked and indexed."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise CatalogueError(f"{directory}: no product files (*.toml)")
    products = [load_product(path) for path in paths]
    slugs = {p.slug for p in products}
    for product, path in zip(products, paths, strict=True):
        unknown = [slug for slug in product.gerelateerd if slug not in slugs]
        if unknown:
            raise CatalogueError(f"{path}: gerelateerd: unknown products {unknown}")
    return Catalogue.from_products(products)


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    """The shipped catalogue, loaded and indexed once per process (it is the same everywhere)."""
    return load_catalogue(CATALOGUE_DIR)


def list_products() -> list[Product]:
    """Every product, by theme (in the order of THEMAS) and then by name."""
    return sorted(get_catalogue().products, key=lambda p: _THEMA_ORDER[p.thema])


def get_product(slug: str) -> Product | None:
    """The product with this slug, or None."""
    return get_catalogue().by_slug.get(slug)


def _matches_filters(product: Product, doelgroep: str | None, online: bool) -> bool:
    if online and not product.online:
        return False
    return doelgroep not in DOELGROEPEN or product.doelgroep in (doelgroep, "beide")


def search_products(
    query: str, doelgroep: str | None = None, online: bool = False
) -> list[Product]:
    """Products for a search (best first) or, without a query, all by theme; then filtered.

    `doelgroep` "inwoners" or "ondernemers" keeps products for that group (and for both);
    any other value keeps all. `online` keeps products that can be arranged online.
    """
    catalogue = get_catalogue()
    if query.strip():
        found: Sequence[Product] = [catalogue.products[i] for i in catalogue.index.search(query)]
    else:
        found = list_products()
    return [p for p in found if _matches_filters(p, doelgroep, online)]


def _pick(language: str, dutch: str, english: str) -> str:
    return english if language == "en" and english else dutch


def _login_methods(product: Product) -> tuple[LoginMethod, ...]:
    methods = []
    for provider, label in (("digid", "DigiD"), ("eherkenning", "eHerkenning")):
        if product.login in (provider, "digid_of_eherkenning"):
            minimum = product.minimum_loa_for(provider)
            methods.append(LoginMethod(label, loa_name(provider, minimum) if minimum else ""))
    return tuple(methods)


def localize_product(product: Product, language: str) -> LocalizedProduct:
    """The product in `language` ("en" uses the _en fields, anything else Dutch)."""
    english = language == "en"
    catalogue = get_catalogue()
    locale = _LOCALES.get(language, "nl_NL")
    beschrijving = _pick(language, product.beschrijving, product.beschrijving_en)
    related = [catalogue.by_slug[s] for s in product.gerelateerd if s in catalogue.by_slug]
    return LocalizedProduct(
        slug=product.slug,
        naam=_pick(language, product.naam, product.naam_en),
        upl_naam=product.upl_naam,
        samenvatting=_pick(language, product.samenvatting, product.samenvatting_en),
        paragrafen=tuple(p.strip() for p in beschrijving.split("\n\n") if p.strip()),
        doelgroep=product.doelgroep,
        voorwaarden=tuple(product.voorwaarden_en if english else product.voorwaarden),
        kosten=tuple(
            LocalizedKosten(
                omschrijving=_pick(language, k.omschrijving, k.omschrijving_en),
                bedrag=format_currency(k.bedrag, "EUR", locale=locale),
                jaar=k.jaar,
            )
            for k in product.kosten
        ),
        wettelijke_termijn_dagen=product.doorlooptijd.wettelijke_termijn_dagen,
        servicenorm_dagen=product.doorlooptijd.servicenorm_dagen,
        servicenorm_werkdagen=product.doorlooptijd.servicenorm_eenheid == "werkdagen",
        doorlooptijd_toelichting=_pick(
            language, product.doorlooptijd.toelichting, product.doorlooptijd.toelichting_en
        ),
        online=product.online,
        op_afspraak=product.op_afspraak,
        formulier_url=f"/formulieren/{product.formulier}" if product.formulier else None,
        afspraak_url=f"/afspraken?product={product.slug}" if product.op_afspraak else None,
        login=product.login,
        login_methods=_login_methods(product),
        gerelateerd=tuple(RelatedLink(r.slug, _pick(language, r.naam, r.naam_en)) for r in related),
        contact=_pick(language, product.contact, product.contact_en),
        thema=THEMAS[product.thema] if english else product.thema,
    )


def group_by_thema(
    products: Sequence[LocalizedProduct],
) -> list[tuple[str, list[LocalizedProduct]]]:
    """Consecutive products of the same theme together, as (theme, products)."""
    groups: list[tuple[str, list[LocalizedProduct]]] = []
    for product in products:
        if groups and groups[-1][0] == product.thema:
            groups[-1][1].append(product)
        else:
            groups.append((product.thema, [product]))
    return groups
