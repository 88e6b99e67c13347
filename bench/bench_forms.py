"""Benchmark: form pages over HTTP against a bare FastAPI + Jinja2 page (issue 3).

    .venv/bin/python bench/bench_forms.py [--clients 8,32] [--duration 5] [--warmup 1]
    MIJNHAREN_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mijnharen_bench \\
        .venv/bin/python bench/bench_forms.py          # also on PostgreSQL (a throwaway database)

Serves each app with uvicorn (one worker) in a subprocess on a loopback port and loads it with
N concurrent clients (httpx, one keep-alive connection per client thread, closed loop) in this
process. In one run it measures:

- bare page: a tiny FastAPI app defined here, rendering a small Jinja2 template with a loop
  (the baseline);
- step GET: the step page of a synthetic form with 30 fields of mixed types, as a logged-in
  resident (session row created directly in the database, BRP prefill from the local backend);
- step POST: the same step posted with valid values (server-side validation, draft saved, 303);
- submit: POST of the check-answers page (exactly-once submit into a case, confirmation e-mail
  queued, 303 to the confirmation), each on its own completed draft prepared beforehand.

The portal runs on a temporary SQLite database (created and migrated here) and, when
MIJNHAREN_BENCH_DATABASE_URL is set, also on that database (use a throwaway one: the cases, sent
drafts and queued e-mails stay; unsent drafts and the sessions are removed). Prints requests per
second, p50/p95 latency, throughput as a ratio of the bare page at the same concurrency, the
server's and the load generator's CPU use and the server's CPU time per request (when the load
generator, not the server, limits the bare page, compare those). Checks every answer (200, or
303 to the right page) and that every submit made exactly one case. The result is also written
to bench/results/forms-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import platform
import queue
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment, select_autoescape

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    # Run as a script, only bench/ is on the path; the project's packages are imported lazily.
    sys.path.insert(0, str(PROJECT_ROOT))

FORM_SLUG = "bench-dertig-velden"
STEP_SLUG = "gegevens"
RESIDENT_BSN = "999993653"  # Suzanne Moulin in the local BRP demo data
RESIDENT_NAME = "Suzanne Moulin"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
EXPECTED_FIELDS = 30

FORM_TOML = """\
# Synthetic form for bench/bench_forms.py: one step with 30 fields of mixed types.
title = {nl = "Benchmarkformulier", en = "Benchmark form"}
product = "verhuizing-doorgeven"
login = "digid"
prefill_sources = ["brp"]
intro = "Een formulier met dertig velden, alleen voor de benchmark."
declaration = {nl = "Ik verklaar dat ik dit formulier naar waarheid heb ingevuld.", \
en = "I declare that the information I have given is true."}
confirmation = "We verwerken uw aanvraag binnen 5 werkdagen."

[[steps]]
slug = "gegevens"
title = {nl = "Uw gegevens", en = "Your details"}
intro = {nl = "Vul alle vragen in.", en = "Answer every question."}

[[steps.fields]]
name = "naam"
type = "tekst"
label = {nl = "Naam", en = "Name"}
prefill = "brp.naam"
locked = true

[[steps.fields]]
name = "voornamen"
type = "tekst"
label = {nl = "Voornamen", en = "First names"}
validation = {max_length = 100}

[[steps.fields]]
name = "achternaam"
type = "tekst"
label = {nl = "Achternaam", en = "Surname"}
autocomplete = "family-name"

[[steps.fields]]
name = "email"
type = "email"
label = {nl = "E-mailadres", en = "Email address"}
hint = {nl = "We sturen u een bevestiging.", en = "We send you a confirmation."}

[[steps.fields]]
name = "telefoon"
type = "telefoon"
label = {nl = "Telefoonnummer", en = "Phone number"}

[[steps.fields]]
name = "geboortedatum"
type = "datum"
label = {nl = "Geboortedatum", en = "Date of birth"}
validation = {max = "vandaag"}

[[steps.fields]]
name = "postadres"
type = "adres"
label = {nl = "Postadres", en = "Postal address"}

[[steps.fields]]
name = "nieuw_adres"
type = "adres"
label = {nl = "Nieuw adres", en = "New address"}

[[steps.fields]]
name = "ingangsdatum"
type = "datum"
label = {nl = "Ingangsdatum", en = "Start date"}
validation = {min = "-1y", max = "+4w"}

[[steps.fields]]
name = "woonsituatie"
type = "radio"
label = {nl = "Hoe gaat u wonen?", en = "How will you live there?"}
options = [
  {value = "koop", label = {nl = "In een koopwoning", en = "In a home I own"}},
  {value = "huur", label = {nl = "In een huurwoning", en = "In a rented home"}, hint = "Sociaal"},
  {value = "inwonend", label = {nl = "Bij iemand in", en = "Living with someone"}},
]

[[steps.fields]]
name = "reden"
type = "keuzelijst"
label = {nl = "Reden", en = "Reason"}
options = [
  {value = "werk", label = "Werk"},
  {value = "studie", label = "Studie"},
  {value = "gezin", label = "Gezin"},
  {value = "zorg", label = "Zorg"},
  {value = "anders", label = "Anders"},
]

[[steps.fields]]
name = "eerder_gewoond"
type = "janee"
label = {nl = "Woonde u eerder in een andere gemeente?", en = "Did you live elsewhere before?"}

[[steps.fields]]
name = "vorige_gemeente"
type = "tekst"
label = {nl = "Vorige gemeente", en = "Previous municipality"}
condition = {field = "eerder_gewoond", equals = "ja"}

[[steps.fields]]
name = "voorzieningen"
type = "checkboxes"
label = {nl = "Welke voorzieningen heeft de woning?", en = "What does the home have?"}
required = false
options = [
  {value = "lift", label = "Lift"},
  {value = "tuin", label = "Tuin"},
  {value = "balkon", label = "Balkon"},
  {value = "parkeerplaats", label = "Parkeerplaats"},
  {value = "berging", label = "Berging"},
]

[[steps.fields]]
name = "kamers"
type = "getal"
label = {nl = "Aantal kamers", en = "Number of rooms"}
validation = {min = 1, max = 20}

[[steps.fields]]
name = "oppervlakte"
type = "getal"
label = {nl = "Oppervlakte in m2", en = "Floor area in m2"}
validation = {min = 10, max = 1000, decimals = 1}

[[steps.fields]]
name = "huur"
type = "bedrag"
label = {nl = "Kale huur per maand", en = "Basic rent per month"}
validation = {min = 0, max = 5000}

[[steps.fields]]
name = "servicekosten"
type = "bedrag"
label = {nl = "Servicekosten per maand", en = "Service charges per month"}

[[steps.fields]]
name = "iban"
type = "iban"
label = {nl = "IBAN", en = "IBAN"}

[[steps.fields]]
name = "rekeninghouder"
type = "tekst"
label = {nl = "Naam rekeninghouder", en = "Account holder"}

[[steps.fields]]
name = "kenteken"
type = "kenteken"
label = {nl = "Kenteken", en = "Licence plate"}
condition = {field = "voorzieningen", in = ["parkeerplaats"]}
required_if = {field = "kamers", greater_than = 2}

[[steps.fields]]
name = "tweede_kenteken"
type = "kenteken"
label = {nl = "Tweede kenteken", en = "Second licence plate"}
required = false

[[steps.fields]]
name = "bsn_partner"
type = "bsn"
label = {nl = "BSN van uw partner", en = "Your partner's citizen service number"}

[[steps.fields]]
name = "kvk_werkgever"
type = "kvk"
label = {nl = "KVK-nummer van uw werkgever", en = "Your employer's KVK number"}

[[steps.fields]]
name = "toelichting"
type = "tekstvak"
label = {nl = "Toelichting", en = "Explanation"}
validation = {max_length = 1000}

[[steps.fields]]
name = "contact_voorkeur"
type = "radio"
label = {nl = "Hoe wilt u bericht krijgen?", en = "How do you want to hear from us?"}
options = [
  {value = "email", label = "E-mail"},
  {value = "post", label = "Post"},
  {value = "telefoon", label = "Telefoon"},
]

[[steps.fields]]
name = "nieuwsbrief"
type = "janee"
label = {nl = "Wilt u de nieuwsbrief?", en = "Do you want the newsletter?"}

[[steps.fields]]
name = "onderwerpen"
type = "checkboxes"
label = {nl = "Over welke onderwerpen?", en = "Which topics?"}
condition = {field = "nieuwsbrief", equals = "ja"}
options = [
  {value = "wonen", label = "Wonen"},
  {value = "verkeer", label = "Verkeer"},
  {value = "afval", label = "Afval"},
  {value = "cultuur", label = "Cultuur"},
]

[[steps.fields]]
name = "startdatum_werk"
type = "datum"
label = {nl = "Startdatum nieuwe baan", en = "Start date of the new job"}

[[steps.fields]]
name = "opmerkingen"
type = "tekstvak"
label = {nl = "Opmerkingen", en = "Remarks"}
required = false
"""

BARE_TEMPLATE = """\
<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for item in items %}
<li id="item-{{ loop.index }}">{{ item.name }}: {{ item.value }}</li>{% endfor %}
</ul>
</main></body></html>
"""


def posted_values(today: date) -> dict[str, str | list[str]]:
    """Valid answers for every field of the synthetic step, as a browser would post them."""
    start = today - timedelta(days=7)
    return {
        "voornamen": "Suzanne Maria",
        "achternaam": "Moulin",
        "email": "suzanne@example.nl",
        "telefoon": "06 12345678",
        "geboortedatum-dag": "27",
        "geboortedatum-maand": "3",
        "geboortedatum-jaar": "1985",
        "postadres-postcode": "9751 AN",
        "postadres-huisnummer": "10",
        "postadres-huisletter": "",
        "postadres-toevoeging": "",
        "postadres-straat": "Raadhuisplein",
        "postadres-woonplaats": "Haren",
        "nieuw_adres-postcode": "9752 CD",
        "nieuw_adres-huisnummer": "42",
        "nieuw_adres-huisletter": "a",
        "nieuw_adres-toevoeging": "2",
        "nieuw_adres-straat": "Rijksstraatweg",
        "nieuw_adres-woonplaats": "Haren",
        "ingangsdatum-dag": str(start.day),
        "ingangsdatum-maand": str(start.month),
        "ingangsdatum-jaar": str(start.year),
        "woonsituatie": "huur",
        "reden": "werk",
        "eerder_gewoond": "ja",
        "vorige_gemeente": "Groningen",
        "voorzieningen": ["tuin", "parkeerplaats"],
        "kamers": "4",
        "oppervlakte": "85,5",
        "huur": "€ 1.234,56",
        "servicekosten": "45,-",
        "iban": "NL91 ABNA 0417 1643 00",
        "rekeninghouder": "S. Moulin",
        "kenteken": "12-abc-3",
        "tweede_kenteken": "",
        "bsn_partner": "999990858",
        "kvk_werkgever": "69599084",
        "toelichting": "Ik verhuis vanwege mijn nieuwe baan.\nDe sleutel krijg ik op vrijdag.",
        "contact_voorkeur": "email",
        "nieuwsbrief": "ja",
        "onderwerpen": ["wonen", "afval"],
        "startdatum_werk-dag": "1",
        "startdatum_werk-maand": "9",
        "startdatum_werk-jaar": str(today.year + 1),
        "opmerkingen": "",
    }


# --- servers (run in a subprocess: `bench_forms.py --serve bare|portal ...`) -------------------


def bare_app() -> FastAPI:
    """The baseline: FastAPI + Jinja2, one route rendering a small template with a loop."""
    environment = Environment(
        loader=DictLoader({"page.html": BARE_TEMPLATE}), autoescape=select_autoescape()
    )
    templates = Jinja2Templates(env=environment)
    items = [{"name": f"Regel {i}", "value": i * 7} for i in range(1, 31)]
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "page.html", {"title": "Kale pagina", "items": items}
        )

    return app


def portal_settings(database_url: str, port: int, data_dir: Path, log_level: str) -> Any:
    """Settings as tests/conftest.py's make_settings builds them, served on `port`."""
    from portal.settings import Settings

    return Settings(
        environment="test",
        database_url=database_url,
        base_url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        log_level=log_level,
    )


def serve(arguments: argparse.Namespace) -> None:
    """Run one app under uvicorn with one worker until SIGTERM."""
    app: FastAPI
    if arguments.serve == "bare":
        app = bare_app()
    else:
        from formulieren import load_definitions
        from portal.aanvragen.web import form_definitions
        from portal.main import create_app

        form_definitions().update(load_definitions(Path(arguments.forms_dir)))
        settings = portal_settings(
            arguments.database_url,
            arguments.port,
            Path(arguments.data_dir),
            arguments.log_level,
        )
        app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=arguments.port,
        workers=1,
        log_config=None,
        access_log=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


@contextmanager
def running_server(
    kind: str, workdir: Path, *, ready_path: str, extra: Sequence[str] = ()
) -> Iterator[Server]:
    """`kind` served by uvicorn in a subprocess on a free loopback port."""
    port = free_port()
    log = workdir / f"server-{kind}-{port}.log"
    command = [sys.executable, __file__, "--serve", kind, "--port", str(port), *extra]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{kind} server stopped:\n{log_tail(log)}")
            try:
                if (
                    httpx.get(server.url + ready_path, timeout=2, trust_env=False).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} server did not start:\n{log_tail(log)}")
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(log: Path, lines: int = 30) -> str:
    """The last `lines` lines of a server's log (0: all of it)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- load -------------------------------------------------------------------------------------


class Exhausted(Exception):
    """No more work for this scenario (every prepared draft is submitted)."""


@dataclass
class Client:
    """One simulated visitor: its own connection, session cookie, CSRF token and draft."""

    http: httpx.Client
    hidden: dict[str, str] = field(default_factory=dict)
    step_url: str = ""

    @property
    def csrf(self) -> str:
        return self.hidden["csrf_token"]


@dataclass
class Measurement:
    database: str
    scenario: str
    clients: int
    requests: int
    errors: int
    elapsed_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_pct: float
    client_cpu_pct: float
    server_cpu_ms_per_request: float
    warmup_requests: int = 0
    ratio_vs_bare: float | None = None
    cpu_ratio_vs_bare: float | None = None
    """Bare page's server CPU per request / this scenario's (independent of the load generator)."""
    notes: list[str] = field(default_factory=list)


Action = Callable[[Client], str | None]
"""Sends one request; returns None when the answer is right, else what was wrong."""


def percentile(ordered: Sequence[float], fraction: float) -> float:
    if not ordered:
        return math.nan
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def run_load(
    clients: Sequence[Client], action: Action, seconds: float, server_pid: int
) -> tuple[list[float], list[str], float, float, float]:
    """Every client sends requests back to back for `seconds` (or until work runs out).

    Returns (latencies of good answers, problems, elapsed, server CPU s, own CPU s).
    """
    latencies: list[list[float]] = [[] for _ in clients]
    problems: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    finished = [0.0] * len(clients)
    deadline = [0.0]

    def loop(index: int, client: Client) -> None:
        barrier.wait()
        mine = latencies[index]
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            try:
                problem = action(client)
            except Exhausted:
                break
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            ended = time.perf_counter()
            if problem is None:
                mine.append(ended - started)
            else:
                with lock:
                    problems.append(problem)
            finished[index] = ended

    threads = [
        threading.Thread(target=loop, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    server_before, own_before = cpu_seconds(server_pid), own_cpu_seconds()
    start = time.perf_counter()
    deadline[0] = start + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = max([*finished, start + 1e-9]) - start
    server_cpu = cpu_seconds(server_pid) - server_before
    own_cpu = own_cpu_seconds() - own_before
    return [x for sub in latencies for x in sub], problems, elapsed, server_cpu, own_cpu


def measure(
    database: str,
    scenario: str,
    clients: Sequence[Client],
    action: Action,
    *,
    seconds: float,
    warmup: float,
    server_pid: int,
    before_measuring: Callable[[float], None] | None = None,
) -> Measurement:
    """Warm up, then measure one scenario at one concurrency."""
    warm_latencies, warm_problems, warm_elapsed, _, _ = run_load(
        clients, action, warmup, server_pid
    )
    if before_measuring is not None:
        before_measuring(len(warm_latencies) / max(warm_elapsed, 1e-9))
    latencies, problems, elapsed, server_cpu, own_cpu = run_load(
        clients, action, seconds, server_pid
    )
    latencies.sort()
    count = len(latencies)
    notes = [f"{len(warm_problems)} errors during warm-up"] if warm_problems else []
    notes += sorted(set(problems))[:3]
    if elapsed < 0.8 * seconds:
        notes.append(f"ran out of work after {elapsed:.1f} s")
    return Measurement(
        database=database,
        scenario=scenario,
        clients=len(clients),
        requests=count,
        errors=len(problems),
        elapsed_s=round(elapsed, 3),
        rps=round(count / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 2),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 2),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 2),
        max_ms=round(latencies[-1] * 1000, 2) if latencies else math.nan,
        server_cpu_pct=round(100 * server_cpu / elapsed, 1) if elapsed else 0.0,
        client_cpu_pct=round(100 * own_cpu / elapsed, 1) if elapsed else 0.0,
        server_cpu_ms_per_request=round(1000 * server_cpu / count, 3) if count else math.nan,
        warmup_requests=len(warm_latencies),
        notes=notes,
    )


def expect(response: httpx.Response, status: int, location_end: str | None = None) -> str | None:
    if response.status_code != status:
        return f"{response.request.method} {response.status_code} (wanted {status})"
    if location_end is not None and not response.headers.get("location", "").endswith(location_end):
        return f"{response.request.method} redirected to {response.headers.get('location')}"
    return None


def new_http_client(base_url: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        cookies=cookies,
        follow_redirects=False,
        timeout=60,
        trust_env=False,  # loopback only, whatever proxy the environment names
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )


# --- the portal: sessions, drafts, scenarios --------------------------------------------------

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def hidden_inputs(page: str) -> dict[str, str]:
    """The hidden inputs of a page, as a browser would send them back."""
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def database_label(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else url.split("+", 1)[0].split(":", 1)[0]


def safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class Portal:
    """What the load needs of one portal server: its settings, database and drafts."""

    def __init__(self, database_url: str, server: Server, settings: Any) -> None:
        from formulieren import dates
        from portal.database import make_engine

        self.database_url = database_url
        self.server = server
        self.settings = settings
        self.engine = make_engine(database_url)
        self.answers: dict[str, Any] = {}
        self.tokens: list[str] = []
        self.submit_queue: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self.since = datetime.now(UTC) - timedelta(seconds=1)  # a reused database has older cases
        self.posted = posted_values(dates.today())  # the engine's today (Europe/Amsterdam)

    def close(self) -> None:
        self.remove_open_drafts()
        self.end_sessions()
        self.engine.dispose()

    def remove_open_drafts(self) -> None:
        """Unsent drafts of the bench form (left by an earlier run, or prepared and not used).

        Otherwise starting the form would resume one of them instead of beginning anew.
        """
        from sqlalchemy import delete
        from sqlmodel import Session, col

        from portal.aanvragen.models import Draft

        with Session(self.engine) as db:
            db.execute(
                delete(Draft).where(
                    col(Draft.form_slug) == FORM_SLUG, col(Draft.submitted_at).is_(None)
                )
            )
            db.commit()

    def end_sessions(self) -> None:
        from sqlmodel import Session

        from auth.sessions import end_session

        with Session(self.engine) as db:
            for token in self.tokens:
                end_session(db, token=token)
            db.commit()

    def step_url(self, draft_id: str) -> str:
        return f"/formulieren/{FORM_SLUG}/{draft_id}/stap/{STEP_SLUG}"

    def check_url(self, draft_id: str) -> str:
        return f"/formulieren/{FORM_SLUG}/{draft_id}/controleren"

    def log_in(self, count: int) -> list[str]:
        """`count` server-side sessions of the resident, as tests/conftest.py's `login` makes."""
        from sqlmodel import Session

        from auth.dependencies import session_policy
        from auth.identity import DIGID_LEVELS, Identity
        from auth.sessions import create_session

        identity = Identity(
            provider="digid", subject=RESIDENT_BSN, bsn=RESIDENT_BSN, loa=DIGID_LEVELS[1]
        )
        with Session(self.engine) as db:
            tokens = [
                create_session(
                    db, identity=identity, id_token="", policy=session_policy(self.settings)
                )
                for _ in range(count)
            ]
            db.commit()
        self.tokens += tokens
        return tokens

    def new_drafts(self, count: int, answers: dict[str, Any]) -> list[tuple[str, str]]:
        """`count` drafts of the resident holding `answers`: (id, submission token) each.

        The rows are what `service.start_draft` and `service.save_answers` write, inserted in
        one batch (a flush per draft would make preparing thousands slow).
        """
        from sqlmodel import Session

        from portal.aanvragen import web
        from portal.aanvragen.models import Draft

        now = datetime.now(UTC)
        drafts = [
            Draft(
                id=secrets.token_hex(16),
                form_slug=FORM_SLUG,
                owner=f"bsn:{RESIDENT_BSN}",
                answers=answers,
                current_step="",
                created_at=now,
                updated_at=now,
                expires_at=now + web.DRAFT_LIFETIME,
                submission_token=secrets.token_urlsafe(32),
            )
            for _ in range(count)
        ]
        made = [(draft.id, draft.submission_token) for draft in drafts]
        with Session(self.engine) as db:
            db.add_all(drafts)
            db.commit()
        return made

    def draft_answers(self, draft_id: str) -> dict[str, Any]:
        from sqlmodel import Session

        from portal.aanvragen.models import Draft

        with Session(self.engine) as db:
            draft = db.get(Draft, draft_id)
            assert draft is not None
            return dict(draft.answers)

    def walk_through_once(self, token: str) -> None:
        """The whole form over HTTP once, checking every page; keeps the saved answers."""
        cookie = session_cookie(self.settings)
        with new_http_client(self.server.url, {cookie: token}) as http:
            start = http.get(f"/formulieren/{FORM_SLUG}")
            assert start.status_code == 200, start.text[:300]
            begun = http.post(f"/formulieren/{FORM_SLUG}", data=hidden_inputs(start.text))
            assert begun.status_code == 303, begun.text[:300]
            step_url = begun.headers["location"]
            assert step_url.endswith(f"/stap/{STEP_SLUG}"), step_url
            step = http.get(step_url)
            assert step.status_code == 200, step.text[:300]
            check_step_page(step.text)
            posted = {**hidden_inputs(step.text), **self.posted}
            saved = http.post(step_url, data=posted)
            assert saved.status_code == 303, error_summary(saved.text)
            check_url = saved.headers["location"]
            assert check_url.endswith("/controleren"), check_url
            check = http.get(check_url)
            assert check.status_code == 200, check.text[:300]
            assert "Rijksstraatweg 42" in check.text, check.text[:300]
            assert "12-ABC-3" in check.text, check.text[:300]
            draft_id = check_url.split("/")[-2]
            self.answers = self.draft_answers(draft_id)
            assert len(self.answers[STEP_SLUG]) >= EXPECTED_FIELDS - 1, self.answers
            fields = {**hidden_inputs(check.text), "verklaring": "ja"}
            sent = http.post(check_url, data=fields)
            assert sent.status_code == 303, sent.text[:300]
            confirmation = http.get(sent.headers["location"])
            assert confirmation.status_code == 200, confirmation.text[:300]
            assert re.search(r"HRN-\d{4}-", confirmation.text), confirmation.text[:300]
        # A cloned draft's check page hands out the token the submit scenario will send.
        (draft_id, submission_token), *_ = self.new_drafts(1, self.answers)
        with new_http_client(self.server.url, {cookie: token}) as http:
            page = http.get(self.check_url(draft_id))
            assert page.status_code == 200, page.text[:300]
            assert hidden_inputs(page.text)["indieningstoken"] == submission_token

    def clients(self, count: int) -> list[Client]:
        """`count` logged-in visitors, each with an empty draft of its own and a CSRF token."""
        cookie = session_cookie(self.settings)
        drafts = self.new_drafts(count, {})
        made = []
        for token, (draft_id, _) in zip(self.log_in(count), drafts, strict=True):
            client = Client(new_http_client(self.server.url, {cookie: token}))
            client.step_url = self.step_url(draft_id)
            page = client.http.get(client.step_url)  # also fills the session's BRP cache
            assert page.status_code == 200, page.text[:300]
            client.hidden = hidden_inputs(page.text)  # csrf_token and the locked name
            made.append(client)
        return made

    def show_step(self, client: Client) -> str | None:
        return expect(client.http.get(client.step_url), 200)

    def save_step(self, client: Client) -> str | None:
        data = {**client.hidden, **self.posted}
        return expect(client.http.post(client.step_url, data=data), 303, "/controleren")

    def submit(self, client: Client) -> str | None:
        try:
            draft_id, submission_token = self.submit_queue.get_nowait()
        except queue.Empty:
            raise Exhausted from None
        data = {"csrf_token": client.csrf, "indieningstoken": submission_token, "verklaring": "ja"}
        response = client.http.post(self.check_url(draft_id), data=data)
        return expect(response, 303, f"/{draft_id}/bevestiging")

    def check_cases(self, expected: int) -> None:
        """Exactly once: one case per successful submit (and one e-mail each)."""
        from sqlalchemy import func
        from sqlmodel import Session, col, select

        from portal.berichten.models import OutboxMessage
        from portal.zaken.models import Zaak

        with Session(self.engine) as db:
            cases = db.exec(
                select(func.count())
                .select_from(Zaak)
                .where(col(Zaak.form_slug) == FORM_SLUG, col(Zaak.received_at) >= self.since)
            ).one()
            mails = db.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(col(OutboxMessage.created_at) >= self.since)
            ).one()
        print(f"  {database_label(self.database_url)}: {cases} cases, {mails} e-mails queued")
        assert cases == expected, f"{cases} cases for {expected} successful submits"

    def fill_submit_queue(self, count: int) -> None:
        for item in self.new_drafts(count, self.answers):
            self.submit_queue.put(item)

    def empty_submit_queue(self) -> None:
        while not self.submit_queue.empty():
            self.submit_queue.get_nowait()


def session_cookie(settings: Any) -> str:
    from auth.dependencies import session_cookie_name

    return str(session_cookie_name(settings))


def check_step_page(html: str) -> None:
    """The step page renders every one of the 30 fields (the locked name as text)."""
    names = re.findall(r'^name = "([a-z_]+)"$', FORM_TOML, flags=re.MULTILINE)
    assert len(names) == EXPECTED_FIELDS, names
    missing = [n for n in names[1:] if f'name="{n}' not in html]
    assert not missing, f"fields not rendered: {missing}"
    assert RESIDENT_NAME in html, "prefilled name missing"


def error_summary(page: str) -> str:
    found = re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>', page)
    return "; ".join(f"{anchor}: {text.strip()}" for anchor, text in found) or page[:500]


# --- the run ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def bench_bare(
    workdir: Path, concurrency: Sequence[int], seconds: float, warmup: float
) -> list[Measurement]:
    results = []
    with running_server("bare", workdir, ready_path="/") as server:
        pid = server.process.pid
        for count in concurrency:
            clients = [Client(new_http_client(server.url)) for _ in range(count)]
            try:

                def get_page(client: Client) -> str | None:
                    return expect(client.http.get("/"), 200)

                results.append(
                    measure(
                        "-",
                        "bare page",
                        clients,
                        get_page,
                        seconds=seconds,
                        warmup=warmup,
                        server_pid=pid,
                    )
                )
            finally:
                for client in clients:
                    client.http.close()
            print_row(results[-1])
    return results


def bench_portal(
    database_url: str,
    workdir: Path,
    concurrency: Sequence[int],
    seconds: float,
    warmup: float,
    log_level: str,
) -> list[Measurement]:
    from portal.database import upgrade_database

    upgrade_database(database_url)
    label = database_label(database_url)
    data_dir = workdir / f"data-{label}"
    data_dir.mkdir(exist_ok=True)
    forms_dir = workdir / "forms"
    port_args = [
        "--database-url",
        database_url,
        "--forms-dir",
        str(forms_dir),
        "--data-dir",
        str(data_dir),
        "--log-level",
        log_level,
    ]
    results: list[Measurement] = []
    with running_server("portal", workdir, ready_path="/health/live", extra=port_args) as server:
        # The server picked its own port; the settings here must match its base URL.
        port = int(server.url.rsplit(":", 1)[1])
        portal = Portal(database_url, server, portal_settings(database_url, port, data_dir, "INFO"))
        try:
            portal.remove_open_drafts()
            portal.walk_through_once(portal.log_in(1)[0])
            everyone = portal.clients(max(concurrency))
            try:
                scenarios: list[tuple[str, Action]] = [
                    ("step GET (30 fields)", portal.show_step),
                    ("step POST (valid, 303)", portal.save_step),
                    ("submit (303)", portal.submit),
                ]
                for name, action in scenarios:
                    for count in concurrency:
                        prepare = None
                        if action == portal.submit:
                            portal.empty_submit_queue()
                            portal.fill_submit_queue(20 * count + int(100 * warmup))

                            def prepare(rate: float, count: int = count) -> None:
                                portal.empty_submit_queue()
                                wanted = int(rate * seconds * 1.5) + 4 * count
                                portal.fill_submit_queue(min(max(wanted, 20 * count), 30000))

                        results.append(
                            measure(
                                label,
                                name,
                                everyone[:count],
                                action,
                                seconds=seconds,
                                warmup=warmup,
                                server_pid=server.process.pid,
                                before_measuring=prepare,
                            )
                        )
                        print_row(results[-1])
                submitted = sum(
                    m.requests + m.warmup_requests
                    for m in results
                    if m.scenario.startswith("submit")
                )
                portal.check_cases(1 + submitted)
            finally:
                for client in everyone:
                    client.http.close()
        finally:
            portal.close()
    problems = [line for line in log_tail(server.log, 0).splitlines() if '"error"' in line]
    if problems:
        print(f"  server log has {len(problems)} error lines, e.g. {problems[-1][:300]}")
    return results


HEADER = (
    f"{'database':<10} {'scenario':<24} {'clients':>7} {'requests':>8} {'errors':>6} "
    f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs bare':>8} {'srv CPU':>8} {'cli CPU':>8} "
    f"{'CPU ms/req':>10} {'CPU vs bare':>11}"
)


def print_row(m: Measurement) -> None:
    ratio = "" if m.ratio_vs_bare is None else f"{m.ratio_vs_bare:.3f}"
    cpu_ratio = "" if m.cpu_ratio_vs_bare is None else f"{m.cpu_ratio_vs_bare:.3f}"
    print(
        f"{m.database:<10} {m.scenario:<24} {m.clients:>7} {m.requests:>8} {m.errors:>6} "
        f"{m.rps:>8.1f} {m.p50_ms:>8.2f} {m.p95_ms:>8.2f} {ratio:>8} "
        f"{m.server_cpu_pct:>7.0f}% {m.client_cpu_pct:>7.0f}% {m.server_cpu_ms_per_request:>10.2f} "
        f"{cpu_ratio:>11}" + (f"  ({'; '.join(m.notes)})" if m.notes else ""),
        flush=True,
    )


def without_nan(value: Any) -> Any:
    """JSON has no NaN: an empty measurement's percentiles become null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="8,32", help="concurrency levels, comma-separated")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up before each")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MIJNHAREN_BENCH_DATABASE_URL", ""),
        help="also run on this database (default: $MIJNHAREN_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--log-level", default="INFO", help="the portal's log level")
    parser.add_argument("--serve", choices=["bare", "portal"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--forms-dir", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments)
        return

    concurrency = [int(c) for c in arguments.clients.split(",") if c.strip()]
    wall_start = time.monotonic()
    info = machine()
    started = datetime.now(UTC)
    print(
        f"Mijn Haren form benchmark, {started:%Y-%m-%d %H:%M} UTC\n"
        f"machine: {info['nproc']} CPUs, {info['cpu_model']}, Python {info['python']}, "
        f"{info['platform']}; load average {info['load_average'][0]:.2f}\n"
        f"server: uvicorn, 1 worker, subprocess on 127.0.0.1; load: httpx, one keep-alive "
        f"connection per client thread, closed loop; {arguments.duration:g} s per measurement "
        f"after {arguments.warmup:g} s warm-up; portal log level {arguments.log_level}\n",
        flush=True,
    )
    if info["load_average"][0] > 0.5 * (info["nproc"] or 1):
        print("note: this machine is busy with other work; expect noisy numbers\n")
    print(HEADER, flush=True)
    results: list[Measurement] = []
    databases: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mh-bench-forms-") as temp:
        workdir = Path(temp)
        forms_dir = workdir / "forms"
        forms_dir.mkdir()
        (forms_dir / f"{FORM_SLUG}.toml").write_text(FORM_TOML)
        from formulieren import load_definitions

        form = load_definitions(forms_dir)[FORM_SLUG]
        assert sum(len(step.fields) for step in form.steps) == EXPECTED_FIELDS

        results += bench_bare(workdir, concurrency, arguments.duration, arguments.warmup)
        databases.append(f"sqlite:///{workdir / 'bench.db'}")
        if arguments.database_url:
            databases.append(arguments.database_url)
        for url in databases:
            results += bench_portal(
                url, workdir, concurrency, arguments.duration, arguments.warmup, arguments.log_level
            )

    bare = {m.clients: m for m in results if m.scenario == "bare page"}
    for m in results:
        baseline = bare.get(m.clients)
        if baseline is not None and baseline.rps:
            m.ratio_vs_bare = round(m.rps / baseline.rps, 4)
        if baseline is not None and m.server_cpu_ms_per_request:
            m.cpu_ratio_vs_bare = round(
                baseline.server_cpu_ms_per_request / m.server_cpu_ms_per_request, 4
            )
    print("\nSummary\n" + HEADER)
    for m in results:
        print_row(m)
    total_errors = sum(m.errors for m in results)
    print(
        "\nvs bare: req/s as a fraction of the bare page's at the same concurrency. srv/cli CPU: "
        "the server's and the load generator's CPU use (100% = one core).\nCPU ms/req: server "
        "CPU time per answered request; CPU vs bare: the bare page's CPU ms/req divided by this "
        "one's (the throughput ratio once the server, not the load generator, is the limit)."
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"forms-{started:%Y%m%dT%H%M%SZ}.json"
    payload = {
        "benchmark": "forms",
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "wall_s": round(time.monotonic() - wall_start, 1),
        "machine": info,
        "parameters": {
            "clients": concurrency,
            "duration_s": arguments.duration,
            "warmup_s": arguments.warmup,
            "log_level": arguments.log_level,
            "databases": [
                database_label(u) if u.startswith("sqlite") else safe_url(u) for u in databases
            ],
            "form_fields": EXPECTED_FIELDS,
        },
        "results": [asdict(m) for m in results],
    }
    path.write_text(json.dumps(without_nan(payload), indent=2) + "\n")
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"whole run {payload['wall_s']:.0f} s; written to {shown}")
    if total_errors:
        print(f"{total_errors} requests failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
