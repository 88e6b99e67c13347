"""The KVK from built-in demo data: stands in for the KVK Basisprofiel API during development,
demos and tests, with no API key and no network.

`demo_data/` holds, in the API's own shapes, `basisprofiel-<kvkNummer>.json` (with `_embedded`),
`vestigingen-<kvkNummer>.json` (the VestigingList) and `vestigingsprofiel-<vestigingsnummer>.json`.
`LocalKVK` maps them through the same mapping.py as the http client, so the two cannot drift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

from portal.integrations.kvk import Basisprofiel, Vestiging
from portal.integrations.kvk.mapping import (
    map_basisprofiel,
    map_vestiging,
    require_kvk_nummer,
    require_vestigingsnummer,
)
from portal.settings import Settings

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
KINDS = ("basisprofiel", "vestigingen", "vestigingsprofiel")


class DemoHandelsregister:
    """The demo documents by kind and number, exactly as the KVK API would send them."""

    def __init__(self, documents: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> None:
        self.documents = {kind: dict(documents.get(kind, {})) for kind in KINDS}

    @classmethod
    def load(cls, directory: Path = DEMO_DATA) -> Self:
        documents: dict[str, dict[str, Mapping[str, Any]]] = {kind: {} for kind in KINDS}
        for path in sorted(directory.glob("*.json")):
            kind, _, number = path.stem.partition("-")
            if kind not in documents or not number:
                raise ValueError(f"{path.name}: expected <{'|'.join(KINDS)}>-<number>.json")
            documents[kind][number] = json.loads(path.read_text(encoding="utf-8"))
        return cls(documents)

    def basisprofiel(self, kvk_nummer: str) -> Mapping[str, Any] | None:
        return self.documents["basisprofiel"].get(kvk_nummer)

    def vestigingen(self, kvk_nummer: str) -> Mapping[str, Any] | None:
        return self.documents["vestigingen"].get(kvk_nummer)

    def vestigingsprofiel(self, vestigingsnummer: str) -> Mapping[str, Any] | None:
        return self.documents["vestigingsprofiel"].get(vestigingsnummer)


class LocalKVK:
    """Stands in for the KVK Basisprofiel API (`MIJNHAREN_KVK_BACKEND=local`): KVK test companies
    (69599084 Test EMZ Dagobert, 68750110 Test BV Donald, 90004760 an NV) from `demo_data/`."""

    def __init__(self, register: DemoHandelsregister) -> None:
        self.register = register

    @classmethod
    def from_demo_data(cls, directory: Path = DEMO_DATA) -> Self:
        return cls(DemoHandelsregister.load(directory))

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls.from_demo_data()

    def get_basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        require_kvk_nummer(kvk_nummer)
        profiel = self.register.basisprofiel(kvk_nummer)
        if profiel is None:
            return None
        return map_basisprofiel(profiel, self.register.vestigingen(kvk_nummer))

    def get_vestiging(self, vestigingsnummer: str) -> Vestiging | None:
        require_vestigingsnummer(vestigingsnummer)
        profiel = self.register.vestigingsprofiel(vestigingsnummer)
        return map_vestiging(profiel) if profiel is not None else None

    def check(self) -> None:
        """Always available: the data is in the package."""
