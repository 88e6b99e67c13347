"""Settings: defaults run locally; production refuses every unsafe default."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from portal.settings import DEFAULT_SECRET_KEY, DEFAULT_ZGW_SECRET, Settings

SAFE_PRODUCTION = {
    "environment": "production",
    "base_url": "https://mijn.haren.nl",
    "secret_key": "k" * 48,
    "digid_issuer": "https://broker.example/digid",
    "eherkenning_issuer": "https://broker.example/eherkenning",
    "medewerker_issuer": "https://login.example/haren",
    "brp_backend": "haalcentraal",
    "kvk_backend": "kvk",
    "mail_backend": "smtp",
}


def test_defaults_use_the_development_provider_and_local_sources() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.provider("digid").uses_development_provider
    assert settings.provider("digid").issuer == "http://127.0.0.1:8000/dev-idp/digid"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/mijnharen.db")


def test_environment_variables_are_read_with_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIJNHAREN_DIGID_BSN_CLAIM", "nin")
    monkeypatch.setenv("MIJNHAREN_SESSION_IDLE_MINUTES", "10")
    settings = Settings()
    assert settings.provider("digid").claims["bsn"] == "nin"
    assert settings.session_idle_minutes == 10


ZGW = {
    "zgw_backend": "http",
    "zgw_secret": "een-lang-geheim-van-het-zaaksysteem",
    "zgw_notificaties_auth": "Token een-lang-geheim-voor-notificaties",
}


def test_a_safe_production_configuration_starts() -> None:
    assert Settings(**SAFE_PRODUCTION).is_production  # type: ignore[arg-type]
    assert Settings(**SAFE_PRODUCTION, **ZGW).is_production  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"secret_key": DEFAULT_SECRET_KEY}, "MIJNHAREN_SECRET_KEY"),
        ({"secret_key": "short"}, "MIJNHAREN_SECRET_KEY"),
        ({"base_url": "http://mijn.haren.nl"}, "MIJNHAREN_BASE_URL"),
        ({"digid_issuer": None}, "MIJNHAREN_DIGID_ISSUER"),
        ({"eherkenning_issuer": None}, "MIJNHAREN_EHERKENNING_ISSUER"),
        ({"medewerker_issuer": None}, "MIJNHAREN_MEDEWERKER_ISSUER"),
        ({"brp_backend": "local"}, "MIJNHAREN_BRP_BACKEND"),
        ({"kvk_backend": "local"}, "MIJNHAREN_KVK_BACKEND"),
        ({"enable_api_docs": True}, "MIJNHAREN_ENABLE_API_DOCS"),
        ({"mail_backend": "bestand"}, "MIJNHAREN_MAIL_BACKEND"),
        ({"zgw_backend": "local"}, "MIJNHAREN_ZGW_BACKEND"),
        ({**ZGW, "zgw_secret": DEFAULT_ZGW_SECRET}, "MIJNHAREN_ZGW_SECRET"),
        ({**ZGW, "zgw_secret": "kort"}, "MIJNHAREN_ZGW_SECRET"),
        ({**ZGW, "zgw_notificaties_auth": ""}, "MIJNHAREN_ZGW_NOTIFICATIES_AUTH"),
    ],
)
def test_production_refuses_unsafe_settings(change: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(**{**SAFE_PRODUCTION, **change})  # type: ignore[arg-type]
