"""`mijn-haren zgw abonneren`: the portal subscribes its callback to the zaken channel."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from portal.cli import main
from portal.settings import get_settings
from tests.integrations.zgw_stub import CLIENT_ID, SECRET, RunningZgw

AUTH = "Token abonnement-test-geheim"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Any:
    monkeypatch.setenv("MIJNHAREN_DATABASE_URL", database_url)
    monkeypatch.setenv("MIJNHAREN_BASE_URL", "https://mijn.haren.example")
    monkeypatch.setenv("MIJNHAREN_ZGW_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("MIJNHAREN_ZGW_SECRET", SECRET)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_the_subscription_names_the_callback_and_its_authorization(
    environment: pytest.MonkeyPatch, zgw_server: RunningZgw
) -> None:
    environment.setenv("MIJNHAREN_ZGW_NOTIFICATIES_AUTH", AUTH)
    get_settings.cache_clear()
    nrc = f"{zgw_server.origin}/notificaties/api/v1"
    result = CliRunner().invoke(main, ["zgw", "abonneren", "--nrc", nrc])
    assert result.exit_code == 0, result.output
    (subscription,) = zgw_server.control.subscriptions
    assert result.output.strip().splitlines()[-1] == f"abonnement: {subscription['url']}"
    assert subscription["callbackUrl"] == "https://mijn.haren.example/zaaksysteem/notificaties"
    assert subscription["auth"] == AUTH
    assert subscription["kanalen"] == [
        {"naam": "zaken", "filters": {"bronorganisatie": "002220647"}}
    ]


def test_without_a_callback_authorization_nothing_is_subscribed(
    environment: pytest.MonkeyPatch, zgw_server: RunningZgw
) -> None:
    nrc = f"{zgw_server.origin}/notificaties/api/v1"
    result = CliRunner().invoke(main, ["zgw", "abonneren", "--nrc", nrc])
    assert result.exit_code != 0
    assert "MIJNHAREN_ZGW_NOTIFICATIES_AUTH" in result.output
    assert zgw_server.control.subscriptions == []
