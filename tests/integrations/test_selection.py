"""The settings choose the implementation, and the http clients take their settings."""

from __future__ import annotations

from typing import Any

import pytest

from portal.integrations.brp import brp_for, get_brp
from portal.integrations.brp.http import HaalCentraalBRP
from portal.integrations.brp.local import LocalBRP
from portal.integrations.kvk import get_kvk, kvk_for
from portal.integrations.kvk.http import KVKBasisprofiel
from portal.integrations.kvk.local import LocalKVK
from portal.settings import Settings


def settings(**values: Any) -> Settings:
    return Settings(environment="test", **values)


def test_local_is_the_default() -> None:
    assert isinstance(get_brp(settings()), LocalBRP)
    assert isinstance(get_kvk(settings()), LocalKVK)
    assert get_brp(settings()) is get_brp(settings()), "the demo data is loaded once"


def test_haalcentraal_backend_uses_the_settings() -> None:
    chosen = brp_for(
        settings(
            brp_backend="haalcentraal",
            brp_url="https://brp.example/haalcentraal/api/brp/",
            brp_api_key="secret-key",
            municipality_oin="00000001234567890000",
            http_timeout_seconds=3.5,
        )
    )
    assert isinstance(chosen, HaalCentraalBRP)
    assert chosen.url == "https://brp.example/haalcentraal/api/brp/personen"
    assert chosen.headers["x-origin-oin"] == "00000001234567890000"
    assert chosen.headers["X-API-Key"] == "secret-key"
    assert chosen.timeout == 3.5
    assert chosen.gemeente_van_inschrijving is None


def test_kvk_backend_uses_the_settings() -> None:
    chosen = kvk_for(
        settings(kvk_backend="kvk", kvk_url="https://api.kvk.nl/test/api", kvk_api_key="k3y")
    )
    assert isinstance(chosen, KVKBasisprofiel)
    assert chosen.base_url == "https://api.kvk.nl/test/api"
    assert chosen.headers == {"Accept": "application/hal+json", "apikey": "k3y"}


@pytest.mark.parametrize("cls", [HaalCentraalBRP, KVKBasisprofiel, LocalBRP, LocalKVK])
def test_every_implementation_builds_from_settings(cls: Any) -> None:
    implementation = cls.from_settings(settings())
    assert implementation.__doc__, "each implementation says what it stands in for"
    if hasattr(implementation, "close"):
        implementation.close()
