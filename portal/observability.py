"""JSON logs without personal data, Prometheus metrics, and the per-request context."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.settings import Settings
from portal.templating import LANGUAGE_COOKIE, LANGUAGES, activate_language

REQUESTS = Counter(
    "mijnharen_http_requests_total", "HTTP requests handled", ["method", "route", "status"]
)
LATENCY = Histogram(
    "mijnharen_http_request_duration_seconds", "Time to answer HTTP requests", ["method", "route"]
)

_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,}(\.[A-Za-z0-9_\-]+){0,2}")
_SECRET_KEYS = re.compile(r"token|secret|password|code|state|nonce|cookie|authorization|bsn", re.I)


def redact_text(text: str) -> str:
    """Remove BSNs (any nine-digit run), e-mail addresses and token-like strings from text."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _LONG_TOKEN.sub("[token]", text)
    return _NINE_DIGITS.sub("[9 cijfers]", text)


def _redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            k: "[redacted]" if _SECRET_KEYS.search(str(k)) else _redact(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(item) for item in value]
    return value


def redact_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: the last line of defence against personal data in logs (ASVS 16.2.5)."""
    for key in list(event_dict):
        if _SECRET_KEYS.search(key):
            event_dict[key] = "[redacted]"
        else:
            event_dict[key] = _redact(event_dict[key])
    return event_dict


def configure_logging(settings: Settings) -> None:
    """JSON lines on stdout (UTC timestamps); the standard library's loggers go the same way."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_event,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    handler.set_name("mijnharen")
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != "mijnharen"] + [handler]
    root.setLevel(settings.log_level.upper())
    # uvicorn's access log prints query strings (OIDC codes and states); we log our own line.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


log = structlog.get_logger("mijnharen.http")


class RequestContextMiddleware:
    """Activates the visitor's language, and logs and counts every request by its route."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        activate_language(_language(scope, self.settings.default_language))
        request_id = uuid.uuid4().hex[:16]
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            route_path = getattr(route, "path", None) or (
                "/static" if scope["path"].startswith("/static/") else "unmatched"
            )
            elapsed = time.perf_counter() - started
            REQUESTS.labels(scope["method"], route_path, str(status)).inc()
            LATENCY.labels(scope["method"], route_path).observe(elapsed)
            if not route_path.startswith("/static"):
                log.info(
                    "request",
                    method=scope["method"],
                    route=route_path,
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                )
            structlog.contextvars.unbind_contextvars("request_id")


def _language(scope: Scope, default: str) -> str:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, chosen = part.strip().partition("=")
                if key == LANGUAGE_COOKIE and chosen in LANGUAGES:
                    return str(chosen)
    return default


def metrics_payload() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST
