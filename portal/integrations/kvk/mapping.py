"""KVK Basisprofiel API JSON → our dataclasses; used by both the local and the http KVK.

Shapes from the KVK API Basisprofiel OAS 1.3 (open-formulieren/open-forms:
src/openforms/contrib/kvk/tests/files/basisprofiel_openapi.yaml): dates are `YYYYMMDD` strings,
`ind*` flags are "Ja"/"Nee", the hoofdvestiging and eigenaar come in `_embedded`, the branch list
is a `VestigingList` of `VestigingBasis` items. Anything that does not fit raises
`KVKResponseError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.integrations.kvk import Adres, Basisprofiel, SbiActiviteit, Vestiging

KVK_NUMMER = re.compile(r"[0-9]{8}")
VESTIGINGSNUMMER = re.compile(r"[0-9]{12}")
#: The `fout` code of a 404 for a number the KVK cannot deliver.
NIET_GEVONDEN = "IPD0005"


class KVKResponseError(ValueError):
    """The KVK answered with JSON that does not have the Basisprofiel shape."""


def require_kvk_nummer(kvk_nummer: str) -> str:
    if not isinstance(kvk_nummer, str) or not KVK_NUMMER.fullmatch(kvk_nummer):
        raise ValueError("a KVK number is eight digits")
    return kvk_nummer


def require_vestigingsnummer(vestigingsnummer: str) -> str:
    if not isinstance(vestigingsnummer, str) or not VESTIGINGSNUMMER.fullmatch(vestigingsnummer):
        raise ValueError("a vestigingsnummer is twelve digits")
    return vestigingsnummer


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise KVKResponseError(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KVKResponseError(f"{where} is not a list")
    return value


def _text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise KVKResponseError(f"{where} is not a string")
    return value


def _required_text(value: Any, where: str) -> str:
    text = _text(value, where)
    if not text:
        raise KVKResponseError(f"{where} is missing")
    return text


def _ja(value: Any) -> bool:
    return bool(value == "Ja")


def parse_datum(value: Any) -> date | None:
    """A KVK `YYYYMMDD` date; None when absent or not a real date (the KVK uses 00 for unknown)."""
    if not isinstance(value, str) or len(value) != 8 or not value.isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _one_line(text: str | None) -> str | None:
    # The KVK pads between street and postcode with a run of spaces.
    return " ".join(text.split()) if text else None


def map_adres(value: Any) -> Adres:
    data = _object(value, "adres")
    huisnummer = data.get("huisnummer")
    if huisnummer is not None and not isinstance(huisnummer, int):
        raise KVKResponseError("adres.huisnummer is not an integer")
    return Adres(
        type=_text(data.get("type"), "adres.type"),
        volledig_adres=_one_line(_text(data.get("volledigAdres"), "adres.volledigAdres")),
        straatnaam=_text(data.get("straatnaam"), "adres.straatnaam"),
        huisnummer=huisnummer,
        huisletter=_text(data.get("huisletter"), "adres.huisletter"),
        toevoeging=_text(data.get("huisnummerToevoeging"), "adres.huisnummerToevoeging"),
        postcode=_text(data.get("postcode"), "adres.postcode"),
        plaats=_text(data.get("plaats"), "adres.plaats"),
        land=_text(data.get("land"), "adres.land"),
        afgeschermd=_ja(data.get("indAfgeschermd")),
    )


def map_sbi(value: Any) -> SbiActiviteit:
    data = _object(value, "sbiActiviteit")
    return SbiActiviteit(
        code=_required_text(data.get("sbiCode"), "sbiActiviteit.sbiCode"),
        omschrijving=_text(data.get("sbiOmschrijving"), "sbiActiviteit.sbiOmschrijving"),
        hoofdactiviteit=_ja(data.get("indHoofdactiviteit")),
    )


def _sbi_activiteiten(data: Mapping[str, Any]) -> tuple[SbiActiviteit, ...]:
    return tuple(map_sbi(item) for item in _list(data.get("sbiActiviteiten"), "sbiActiviteiten"))


def map_vestiging(value: Any) -> Vestiging:
    """A vestigingsprofiel, or the hoofdvestiging embedded in a basisprofiel."""
    data = _object(value, "vestiging")
    return Vestiging(
        vestigingsnummer=_required_text(data.get("vestigingsnummer"), "vestigingsnummer"),
        kvk_nummer=_required_text(data.get("kvkNummer"), "vestiging.kvkNummer"),
        eerste_handelsnaam=_text(data.get("eersteHandelsnaam"), "eersteHandelsnaam"),
        is_hoofdvestiging=_ja(data.get("indHoofdvestiging")),
        adressen=tuple(map_adres(item) for item in _list(data.get("adressen"), "adressen")),
        sbi_activiteiten=_sbi_activiteiten(data),
    )


def map_vestiging_basis(value: Any, kvk_nummer: str) -> Vestiging:
    """One item of a VestigingList: the summary, with its address as a single line."""
    data = _object(value, "vestigingen[]")
    volledig_adres = _one_line(_text(data.get("volledigAdres"), "vestigingen[].volledigAdres"))
    adressen = (
        (Adres(volledig_adres=volledig_adres, afgeschermd=_ja(data.get("indAdresAfgeschermd"))),)
        if volledig_adres
        else ()
    )
    return Vestiging(
        vestigingsnummer=_required_text(data.get("vestigingsnummer"), "vestigingsnummer"),
        kvk_nummer=_text(data.get("kvkNummer"), "vestigingen[].kvkNummer") or kvk_nummer,
        eerste_handelsnaam=_text(data.get("eersteHandelsnaam"), "eersteHandelsnaam"),
        is_hoofdvestiging=_ja(data.get("indHoofdvestiging")),
        adressen=adressen,
    )


def map_basisprofiel(value: Any, vestigingen: Any = None) -> Basisprofiel:
    """A basisprofiel, with the branch list from `/basisprofielen/{kvkNummer}/vestigingen`."""
    data = _object(value, "basisprofiel")
    kvk_nummer = _required_text(data.get("kvkNummer"), "kvkNummer")
    embedded = _object(data.get("_embedded"), "_embedded")
    eigenaar = _object(embedded.get("eigenaar"), "_embedded.eigenaar")
    hoofdvestiging = embedded.get("hoofdvestiging")
    handelsnamen = sorted(
        (
            _object(item, "handelsnamen[]")
            for item in _list(data.get("handelsnamen"), "handelsnamen")
        ),
        key=lambda item: int(item.get("volgorde") or 0),
    )
    lijst = _object(vestigingen, "vestigingen")
    return Basisprofiel(
        kvk_nummer=kvk_nummer,
        naam=_required_text(data.get("naam"), "naam"),
        statutaire_naam=_text(data.get("statutaireNaam"), "statutaireNaam"),
        handelsnamen=tuple(
            _required_text(item.get("naam"), "handelsnamen[].naam") for item in handelsnamen
        ),
        rechtsvorm=_text(eigenaar.get("rechtsvorm"), "eigenaar.rechtsvorm"),
        sbi_activiteiten=_sbi_activiteiten(data),
        hoofdvestiging=map_vestiging(hoofdvestiging) if hoofdvestiging else None,
        vestigingen=tuple(
            map_vestiging_basis(item, kvk_nummer)
            for item in _list(lijst.get("vestigingen"), "vestigingen")
        ),
        formele_registratiedatum=parse_datum(data.get("formeleRegistratiedatum")),
    )


def is_not_found(status_code: int, body: Any) -> bool:
    """A 404 with a KVK error body (`{"fout": [{"code", "omschrijving"}]}`): the KVK itself says
    it has nothing under this number (IPD0005 for a basisprofiel). A 404 without `fout` is a wrong
    URL, not an unknown number."""
    if status_code != 404 or not isinstance(body, Mapping):
        return False
    fouten = body.get("fout")
    return isinstance(fouten, list) and any(isinstance(fout, Mapping) for fout in fouten)
