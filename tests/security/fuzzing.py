"""Shared by the fuzz test (tests/security/test_fuzz.py) and the longer run (bench/bench_fuzz.py):
the portal as Schemathesis sees it, with the demo data loaded, the real keys of that data to
put in paths, and a visitor (anonymous, resident or staff) whose requests pass the CSRF check."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import schemathesis
import schemathesis.engine
from fastapi import FastAPI
from schemathesis.checks import CheckContext
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure
from schemathesis.core.transport import Response
from schemathesis.engine import Status, events
from schemathesis.generation.case import Case
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from auth.dependencies import session_cookie_name, session_policy
from auth.sessions import create_session
from portal.aanvragen import service as aanvragen
from portal.aanvragen.web import draft_lifetime, form_definitions
from portal.afspraken import links
from portal.afspraken.models import Appointment, BookableProduct, Location
from portal.demo import load_demo_data
from portal.main import create_app
from portal.prestaties import service as prestaties
from portal.producten import service as producten
from portal.security import cookie_name, issue_csrf_token, security_headers
from portal.settings import Settings
from portal.zaken.models import Zaak, ZaakDocument, ZaakVerzoek
from tests.conftest import SUZANNE_BSN, LiveServer, identity_for, make_settings

# The three ways the portal is fuzzed: nobody logged in, the demo resident Suzanne Moulin
# (DigiD) and a staff member holding every role.
VISITORS = ("anonymous", "suzanne", "staff:balie,behandelaar,beheerder,kcc")
UNLIMITED = 1_000_000  # rate limits would turn most of a run into 429s


def fuzz_settings(database_url: str, data_dir: Path, base_url: str) -> Settings:
    """Test settings with /openapi.json on and the rate limits out of the way.

    `base_url` is where the portal also answers on loopback (see `serve_identity_providers`):
    the login start fetches the development provider's discovery document from there."""
    return make_settings(
        database_url,
        base_url=base_url,
        data_dir=data_dir,
        enable_api_docs=True,
        # The demo case system, so its pages and the notification callback are fuzzed too.
        zgw_backend="local",
        zgw_notificaties_auth="Token fuzz-notificaties-geheim",
        login_rate_limit=UNLIMITED,
        appointment_rate_limit=UNLIMITED,
        export_rate_limit=UNLIMITED,
    )


def fuzz_app(settings: Settings) -> FastAPI:
    """The portal with the demo data and drafts for Suzanne, so paths can name real objects."""
    list(load_demo_data(settings))
    app = create_app(settings)
    with Session(app.state.engine) as db:
        now = datetime.now(UTC)
        for slug in sorted(form_definitions()):
            aanvragen.start_draft(
                db,
                form_slug=slug,
                owner=f"bsn:{SUZANNE_BSN}",
                now=now,
                lifetime=draft_lifetime(settings),
            )
        # The worker keeps the monthly figures; without them every figures page counts live.
        prestaties.refresh_due(db, now=now)
        db.commit()
    return app


def known_values(engine: Engine, settings: Settings) -> dict[str, list[str]]:
    """Real values for each path parameter name, taken from the loaded demo data."""
    now = datetime.now(UTC)
    with Session(engine) as db:
        zaken = db.exec(
            select(Zaak).order_by(col(Zaak.initiator_bsn) != SUZANNE_BSN, col(Zaak.id)).limit(20)
        ).all()
        zaak_ids = [z.id for z in zaken]
        documents = db.exec(
            select(ZaakDocument.id).where(col(ZaakDocument.zaak_id).in_(zaak_ids))
        ).all()
        verzoeken = db.exec(
            select(ZaakVerzoek.id).where(col(ZaakVerzoek.zaak_id).in_(zaak_ids))
        ).all()
        upcoming = db.exec(
            select(Appointment).where(col(Appointment.ends_at) > now).order_by(col(Appointment.id))
        ).all()
        past = db.exec(
            select(Appointment.reference)
            .where(col(Appointment.bsn) == SUZANNE_BSN)
            .order_by(col(Appointment.id))
            .limit(5)
        ).all()
        locations = db.exec(select(Location.code)).all()
        products = db.exec(select(BookableProduct.code)).all()
        drafts = db.exec(
            select(aanvragen.Draft.id).where(aanvragen.Draft.owner == f"bsn:{SUZANNE_BSN}")
        ).all()
    forms = form_definitions()
    return {
        "reference": [z.reference for z in zaken],
        "document_id": [str(d) for d in documents],
        "verzoek_id": [str(v) for v in verzoeken],
        "kenmerk": [a.reference for a in upcoming] + list(past),
        "token": [links.manage_token(settings, a) for a in upcoming]
        + [links.hold_token(settings, a) for a in upcoming],
        "slug": sorted(forms) + [p.slug for p in producten.list_products()],
        "draft_id": list(drafts),
        "step_slug": sorted({step.slug for form in forms.values() for step in form.steps}),
        "locatie": list(locations),
        "product": list(products),
        "datum": [(now.date() + timedelta(days=days)).isoformat() for days in range(1, 15)],
        "name": ["zaken", "afspraken", "formulieren"],
        "provider": ["digid", "eherkenning", "medewerker"],
        "language": ["nl", "en"],
        "identificatie": [f"ZAAK-{now.year}-0000000{n}" for n in range(101, 107)],
        "key": _case_system_documents(),
        "registratie_id": ["1", "2"],
    }


def _case_system_documents() -> list[str]:
    """The uuids of the demo case system's documents."""
    from portal.integrations.zgw import zgw_api_for
    from portal.integrations.zgw.local import LocalZgwApi

    api = zgw_api_for(make_settings("sqlite://", zgw_backend="local"))
    assert isinstance(api, LocalZgwApi)
    return [d["uuid"] for d in api.store.search("enkelvoudiginformatieobjecten", {})]


def fuzz_config(
    known: dict[str, list[str]], *, seed: int | None, max_examples: int, max_time: int | None = None
) -> SchemathesisConfig:
    """Schemathesis' settings: real keys in most paths, valid and invalid data, the checks."""
    data: dict[str, Any] = {
        "generation": {
            "max-examples": max_examples,
            "mode": "all",
            "database": "none",
            "deterministic": seed is not None,
        },
        # Of the methods an operation does not have, only TRACE (which must be refused, ASVS
        # 13.4.4); all of them would be a third of the requests, each answered 405 alike.
        "phases": {
            "coverage": {"unexpected-methods": ["TRACE"]},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "has_security_headers": {"enabled": True},
        },
        "dictionaries": {name: {"values": values} for name, values in known.items() if values},
        # Path, query and form inputs of these names mostly get real values, sometimes others.
        "parameters": {
            f"{where}{name}": {"dictionary": name, "probability": 0.8}
            for name, values in known.items()
            if values
            for where in ("", "body.")
        },
    }
    if seed is not None:
        data["seed"] = seed
    if max_time is not None:
        data["max-time"] = max_time
    return SchemathesisConfig.from_dict(data)


@dataclass
class Visitor:
    """Someone fuzzing the portal: a browser's CSRF cookie and token, and for a login a session.

    A fuzzed logout ends the session; the next request gets a new one, so the rest of the run
    is still made as the same person."""

    kind: str
    settings: Settings
    engine: Engine
    csrf_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session_token: str | None = None

    def headers(self) -> dict[str, str]:
        if self.kind != "anonymous" and self.session_token is None:
            self.session_token = self._log_in()
        cookies = {cookie_name(self.settings, "mh_csrf"): self.csrf_secret}
        if self.session_token is not None:
            cookies[session_cookie_name(self.settings)] = self.session_token
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "Origin": self.settings.base_origin,
            "X-CSRF-Token": issue_csrf_token(self.settings, self.csrf_secret),
            # The case system's notification callback checks this instead of a session.
            "Authorization": self.settings.zgw_notificaties_auth,
        }

    def saw(self, response: Response) -> None:
        """Forget the session once a response ended it."""
        ended = f"{session_cookie_name(self.settings)}=;"
        if any(value.startswith(ended) for value in _set_cookies(response)):
            self.session_token = None

    def _log_in(self) -> str:
        with Session(self.engine) as db:
            token = create_session(
                db,
                identity=identity_for(self.kind),
                id_token="",
                policy=session_policy(self.settings),
            )
            db.commit()
        return token


def _set_cookies(response: Response) -> Iterator[str]:
    for name, values in response.headers.items():
        if name.lower() == "set-cookie":
            yield from values


@schemathesis.check
def has_security_headers(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every answer, error pages included, carries the portal's security headers."""
    settings: Settings = case.operation.schema.app.state.settings
    missing = [
        name.decode()
        for name, _ in security_headers(settings)
        if name.decode() not in {key.lower() for key in response.headers}
    ]
    if missing:
        raise Failure(
            operation=case.operation.label,
            title="Security headers missing",
            message=f"{response.status_code} without {', '.join(missing)}",
        )
    return None


@dataclass
class FuzzReport:
    """What one run did: requests per operation and the failures, each with its request."""

    examples: dict[str, int] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.examples.values())


def fuzz(app: FastAPI, config: SchemathesisConfig, visitor: Visitor) -> FuzzReport:
    """Run Schemathesis' phases over every operation of the schema as `visitor`."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    report = FuzzReport({operation.label: 0 for operation in _operations(schema)})

    def before_call(ctx: Any, case: Case, kwargs: dict[str, Any]) -> None:
        case.headers = {**(case.headers or {}), **visitor.headers()}

    def after_call(ctx: Any, case: Case, response: Response) -> None:
        report.examples[case.operation.label] = report.examples.get(case.operation.label, 0) + 1
        report.statuses[response.status_code] += 1
        report.seconds[case.operation.label] += response.elapsed
        visitor.saw(response)

    schemathesis.hook(before_call)
    schemathesis.hook(after_call)
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            _record(report, event)
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)
        GLOBAL_HOOK_DISPATCHER.unregister(after_call)
    return report


def _operations(schema: OpenApiSchema) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def _record(report: FuzzReport, event: Any) -> None:
    if isinstance(event, events.ScenarioFinished):
        recorder = event.recorder
        for case_id, checks in recorder.checks.items():
            for check in checks:
                if check.status == Status.FAILURE:
                    report.failures.append(_describe(recorder, case_id, check))
    elif isinstance(event, events.NonFatalError | events.FatalError):
        report.errors.append(f"{getattr(event, 'label', '')}: {getattr(event, 'info', event)}")


def _describe(recorder: Any, case_id: str, check: Any) -> str:
    """The failure with the request that caused it (as curl, without the visitor's cookies)."""
    interaction = recorder.interactions.get(case_id)
    status = interaction.response.status_code if interaction and interaction.response else "-"
    info = check.failure_info
    message = f"{info.failure.title}: {info.failure.message}" if info else check.name
    sample = info.code_sample if info else ""
    return f"{recorder.label} -> {status}: {message}\n{sample}"


@contextmanager
def serve_identity_providers(settings: Settings) -> Iterator[None]:
    """The portal on its loopback base URL, for the development identity provider's discovery
    document and keys, which the login start and callback fetch over HTTP."""
    port = int(settings.base_url.rsplit(":", 1)[1])
    server = LiveServer(create_app(settings), port)
    server.start()
    try:
        yield
    finally:
        server.stop()
        server.app.state.engine.dispose()
