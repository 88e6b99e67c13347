"""One settings class for the whole portal, read from `MIJNHAREN_*` environment variables."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import Depends, Request
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105
DEFAULT_ZGW_SECRET = "development-only-zgw-secret-do-not-use"  # noqa: S105
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'mijnharen.db'}"

ProviderName = Literal["digid", "eherkenning", "medewerker"]
PROVIDERS: tuple[ProviderName, ...] = ("digid", "eherkenning", "medewerker")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


@dataclass(frozen=True)
class OIDCProviderSettings:
    """What the login code needs to know about one OpenID provider."""

    name: ProviderName
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    loa_claim: str
    minimum_loa: str
    uses_development_provider: bool
    claims: dict[str, str]


class Settings(BaseSettings):
    """Every setting of Mijn Haren; the README lists each with its meaning."""

    model_config = SettingsConfigDict(env_prefix="MIJNHAREN_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEFAULT_SECRET_KEY
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = PROJECT_ROOT / "var"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    default_language: Literal["nl", "en"] = "nl"
    municipality_name: str = "Gemeente Haren"
    municipality_code: str = "0017"
    municipality_oin: str = "00000001001589623000"
    enable_api_docs: bool = False

    session_idle_minutes: int = Field(default=15, ge=1, le=120)
    session_warning_seconds: int = Field(default=120, ge=30)
    session_absolute_hours: int = Field(default=12, ge=1, le=24)
    login_rate_limit: int = Field(default=20, ge=1, description="logins per client per minute")
    graceful_shutdown_seconds: int = Field(default=20, ge=1)
    draft_lifetime_days: int = Field(default=30, ge=1, le=365)
    # Personal data (issue 6): the access log names the employee only when this is set.
    access_log_shows_staff_name: bool = False
    verification_code_minutes: int = Field(default=15, ge=1, le=60)
    verification_code_max_attempts: int = Field(default=5, ge=1, le=10)
    export_rate_limit: int = Field(default=10, ge=1, description="exports per client per minute")
    http_timeout_seconds: float = Field(default=10.0, gt=0)
    appointment_window_weeks: int = Field(default=8, ge=1, le=52)
    appointment_hold_minutes: int = Field(default=10, ge=1, le=60)
    appointment_reminder_hours: int = Field(default=24, ge=1, le=168)
    appointment_open_limit: int = Field(
        default=3, ge=1, le=20, description="open appointments per person and per e-mail address"
    )
    appointment_rate_limit: int = Field(
        default=30, ge=1, description="booking steps that change data, per client per minute"
    )

    digid_issuer: str | None = None
    digid_client_id: str = "mijn-haren-digid"
    digid_client_secret: str = "development-digid-secret"  # noqa: S105
    digid_scope: str = "openid bsn"
    digid_bsn_claim: str = "bsn"
    digid_loa_claim: str = "acr"
    digid_minimum_loa: str = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"

    eherkenning_issuer: str | None = None
    eherkenning_client_id: str = "mijn-haren-eherkenning"
    eherkenning_client_secret: str = "development-eherkenning-secret"  # noqa: S105
    eherkenning_scope: str = "openid kvk"
    eherkenning_kvk_claim: str = "urn:etoegang:core:LegalSubjectID"
    eherkenning_vestiging_claim: str = "urn:etoegang:1.9:ServiceRestriction:Vestigingsnr"
    eherkenning_acting_subject_claim: str = "urn:etoegang:core:ActingSubjectID"
    eherkenning_loa_claim: str = "acr"
    eherkenning_minimum_loa: str = "urn:etoegang:core:assurance-class:loa2plus"

    medewerker_issuer: str | None = None
    medewerker_client_id: str = "mijn-haren-medewerker"
    medewerker_client_secret: str = "development-medewerker-secret"  # noqa: S105
    medewerker_scope: str = "openid profile"
    medewerker_roles_claim: str = "roles"
    medewerker_name_claim: str = "name"
    medewerker_loa_claim: str = "acr"
    medewerker_minimum_loa: str = ""

    brp_backend: Literal["local", "haalcentraal"] = "local"
    brp_url: str = "http://127.0.0.1:5010/haalcentraal/api/brp"
    brp_api_key: str = ""
    mail_backend: Literal["bestand", "smtp"] = "bestand"
    mail_from: str = "Gemeente Haren <noreply@haren.example>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    kvk_backend: Literal["local", "kvk"] = "local"
    kvk_url: str = "https://api.kvk.nl/test/api"
    kvk_api_key: str = ""

    # The municipality's case system (ZGW Zaken, Catalogi and Documenten APIs), issue 9.
    # "geen": the portal's own cases only; "local": built-in demo data in process memory
    # (development and demos); "http": a real ZGW system such as Open Zaak.
    zgw_backend: Literal["geen", "local", "http"] = "geen"
    zgw_zaken_url: str = "http://127.0.0.1:8010/zaken/api/v1"
    zgw_catalogi_url: str = "http://127.0.0.1:8010/catalogi/api/v1"
    zgw_documenten_url: str = "http://127.0.0.1:8010/documenten/api/v1"
    zgw_client_id: str = "mijn-haren"
    zgw_secret: str = DEFAULT_ZGW_SECRET
    zgw_timeout_seconds: float = Field(default=5.0, gt=0)
    # RSIN of the municipality: bronorganisatie and verantwoordelijkeOrganisatie of new zaken.
    zgw_rsin: str = "002220647"
    # The most confidential vertrouwelijkheidaanduiding a resident may see of cases and documents.
    zgw_max_vertrouwelijkheid: Literal["openbaar", "beperkt_openbaar"] = "beperkt_openbaar"
    # Products whose submissions are registered in the case system: product slug -> zaaktype URL
    # (JSON in the environment, e.g. {"melding-openbare-ruimte": "https://.../zaaktypen/…"}).
    zgw_registratie: dict[str, str] = Field(default_factory=dict)
    # The informatieobjecttype of the documents the portal sends (the PDF and the uploads).
    zgw_informatieobjecttype: str = ""
    # The value the Notificaties API sends in the Authorization header of its callbacks.
    zgw_notificaties_auth: str = ""

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def uses_https(self) -> bool:
        return urlsplit(self.base_url).scheme == "https"

    @property
    def base_origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def provider(self, name: ProviderName) -> OIDCProviderSettings:
        """The settings of one provider, with the development provider filled in when unset."""
        issuer = getattr(self, f"{name}_issuer")
        claims = {
            "digid": {"bsn": self.digid_bsn_claim},
            "eherkenning": {
                "kvk": self.eherkenning_kvk_claim,
                "vestiging": self.eherkenning_vestiging_claim,
                "acting_subject": self.eherkenning_acting_subject_claim,
            },
            "medewerker": {
                "roles": self.medewerker_roles_claim,
                "name": self.medewerker_name_claim,
            },
        }[name]
        return OIDCProviderSettings(
            name=name,
            issuer=issuer or f"{self.base_url.rstrip('/')}/dev-idp/{name}",
            client_id=getattr(self, f"{name}_client_id"),
            client_secret=getattr(self, f"{name}_client_secret"),
            scope=getattr(self, f"{name}_scope"),
            loa_claim=getattr(self, f"{name}_loa_claim"),
            minimum_loa=getattr(self, f"{name}_minimum_loa"),
            uses_development_provider=issuer is None,
            claims=claims,
        )

    @property
    def development_provider_enabled(self) -> bool:
        return any(self.provider(name).uses_development_provider for name in PROVIDERS)

    def _case_system_problems(self) -> list[str]:
        problems = []
        if self.zgw_backend == "local":
            problems.append("MIJNHAREN_ZGW_BACKEND must not be 'local' in production")
        if self.zgw_backend == "http" and (
            self.zgw_secret == DEFAULT_ZGW_SECRET or len(self.zgw_secret) < 16
        ):
            problems.append("MIJNHAREN_ZGW_SECRET must be set (16+ characters) for the ZGW APIs")
        if self.zgw_backend == "http" and len(self.zgw_notificaties_auth) < 16:
            problems.append(
                "MIJNHAREN_ZGW_NOTIFICATIES_AUTH must be set (16+ characters) for notifications"
            )
        return problems

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if not self.is_production:
            return self
        problems = []
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            problems.append("MIJNHAREN_SECRET_KEY must be set to a random value of 32+ characters")
        if not self.uses_https:
            problems.append("MIJNHAREN_BASE_URL must be an https URL")
        for name in PROVIDERS:
            if getattr(self, f"{name}_issuer") is None:
                problems.append(
                    f"MIJNHAREN_{name.upper()}_ISSUER must be set: "
                    "the development identity provider never runs in production"
                )
        if self.brp_backend == "local":
            problems.append("MIJNHAREN_BRP_BACKEND must not be 'local' in production")
        if self.kvk_backend == "local":
            problems.append("MIJNHAREN_KVK_BACKEND must not be 'local' in production")
        if self.mail_backend == "bestand":
            problems.append("MIJNHAREN_MAIL_BACKEND must be 'smtp' in production")
        problems.extend(self._case_system_problems())
        if self.enable_api_docs:
            problems.append("MIJNHAREN_ENABLE_API_DOCS must be off in production")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


async def settings_from_request(request: Request) -> Settings:
    """The settings of the app serving this request (tests run apps with other settings)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_from_request)]
