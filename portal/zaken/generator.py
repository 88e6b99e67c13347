"""Bulk cases for benchmarks: `mijn-haren demo load --cases N [--residents M]`.

Writes N synthetic cases of M synthetic residents (BSNs that pass the elfproef; about one owner
in twenty is a company) straight into the tables with SQLAlchemy Core executemany, in chunks,
bypassing the services: a million cases take minutes, not hours. The mix looks like a
municipality's: most cases closed with a result, the open ones received, being handled or
waiting for the resident, some overdue, some with the demo behandelaar.

Deterministic and resumable: case number i (submission token "gen-<i>") always gets the same
owner, product and dates for the same `now`; a second run with the same N adds nothing.
References continue the per-year counter, which is moved on so later cases follow.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from portal.producten import service as producten_service
from portal.zaken import zaaktypen
from portal.zaken.models import ReferenceCounter, Zaak, ZaakNaamwoord, ZaakStatus, ZaakVerzoek
from portal.zaken.service import (
    REFERENCE_PREFIX,
    add_working_days,
    local_date,
    name_words,
    working_days_between,
)

CHUNK = 10_000
CHUNKS_PER_TRANSACTION = 10
CLOSED_SHARE = 0.70
FIRST_TIME_RIGHT_SHARE = 0.8  # closed without a request to the resident
COMPANY_EVERY = 20  # one owner in twenty is a company
HISTORY_DAYS = 3 * 365  # closed cases were received in the last three years
OPEN_DAYS = 60  # no open case is older than two months
MAX_NUMBER = 999_999  # HRN-YYYY-NNNNNN
TOKEN_PREFIX = "gen-"  # noqa: S105 (a submission token prefix, not a secret)
BEHANDELAAR = ("behandelaar", "Bram Behandelaar")
OTHER_HANDLER = ("behandelaar-beheerder", "Hanna Hoofd")


def _words(text: str, separator: str = " ") -> tuple[str, ...]:
    return tuple(text.split(separator))


_FIRST = _words(
    "Anna Bram Cor Daan Eva Fleur Gert Hanna Ilse Jan Karin Lars Marit Noor Otto Pien Ruud "
    "Sanne Tom Umut Vera Wim Yara Zoë Ahmed Fatima Jeroen Mila Sem Lotte"
)
_LAST = _words(
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|"
    "van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|Kok|Jacobs|Haan|"
    "Vermeulen|van den Berg|Schouten|Willems|Hoekstra|Koster|Prins|Huisman|Postma|Kuipers|Bouma",
    "|",
)
_TRADE = _words("Bakkerij|Fietsenwinkel|Café|Kapsalon|Bouwbedrijf|Hoveniers|Garage|Lunchroom", "|")
_RESULT_WEIGHTS = {
    "toegekend": 70,
    "deels_toegekend": 5,
    "afgewezen": 10,
    "ingetrokken": 10,
    "geen_besluit": 5,
}
_OPEN_STATUSES = [zaaktypen.RECEIVED, zaaktypen.IN_PROGRESS, zaaktypen.WAITING]
_OPEN_WEIGHTS = [40, 45, 15]


def synthetic_bsn(index: int) -> str:
    """A nine-digit number that passes the elfproef, different for every index below 10**7.

    The stem is 2xxxxxxx; a stem whose check digit would be 10 starts with 3 instead, which
    adds 9 to the weighted sum and makes the check digit 8; the two ranges cannot meet.
    """
    if not 0 <= index < 10_000_000:
        raise ValueError("index out of range")
    stem = 20_000_000 + index
    check = _weighted(stem) % 11
    if check == 10:
        stem += 10_000_000
        check = _weighted(stem) % 11
    return f"{stem}{check}"


def _weighted(stem: int) -> int:
    # The ninth digit counts with weight -1: the number is valid when it equals this sum mod 11.
    return sum(int(d) * w for d, w in zip(str(stem), (9, 8, 7, 6, 5, 4, 3, 2), strict=True))


def synthetic_kvk(index: int) -> str:
    return f"{30_000_000 + index:08d}"


@dataclass(frozen=True)
class Owner:
    name: str
    bsn: str | None
    kvk: str | None


@lru_cache(maxsize=1_000_000)
def owner_of(owner_index: int) -> Owner:
    """Owner number `owner_index`: a resident, or (one in twenty) a company."""
    if owner_index % COMPANY_EVERY == COMPANY_EVERY - 1:
        trade = _TRADE[owner_index % len(_TRADE)]
        name = f"{trade} {_LAST[(owner_index // 7) % len(_LAST)]} B.V."
        return Owner(name=name, bsn=None, kvk=synthetic_kvk(owner_index))
    first = _FIRST[owner_index % len(_FIRST)]
    last = _LAST[(owner_index // len(_FIRST)) % len(_LAST)]
    return Owner(name=f"{first} {last}", bsn=synthetic_bsn(owner_index), kvk=None)


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    norm_days: int
    legal_days: int | None
    results: tuple[str, ...]
    for_companies: bool
    for_residents: bool

    @cached_property
    def result_choices(self) -> tuple[list[str], list[int]]:
        """The case type's results with how often each one happens."""
        codes = [code for code in _RESULT_WEIGHTS if code in self.results]
        return codes, [_RESULT_WEIGHTS[code] for code in codes]


@lru_cache(maxsize=200_000)
@lru_cache(maxsize=200_000)
def _working_days(start: date, end: date) -> int:
    return working_days_between(start, end)


def _figures(
    received: datetime,
    closed_at: datetime | None,
    product: Product,
    result: str | None,
    asked: bool,
) -> dict[str, Any]:
    """The closing figures the portal writes on close (zaken.service.closing_figures)."""
    if closed_at is None:
        return {
            "closed_month": None,
            "lead_working_days": None,
            "norm_met": None,
            "legal_met": None,
            "first_time_right": None,
        }
    closed_on, received_on = local_date(closed_at), local_date(received)
    decided = result != "ingetrokken"
    due_by_law = (
        received.date() + timedelta(days=product.legal_days) if product.legal_days else None
    )
    return {
        "closed_month": f"{closed_on:%Y-%m}",
        "lead_working_days": _working_days(received_on, closed_on),
        "norm_met": closed_on <= _due(received.date(), product.norm_days) if decided else None,
        "legal_met": closed_on <= due_by_law if decided and due_by_law else None,
        "first_time_right": not asked,
    }


def _due(received: date, norm_days: int) -> date:
    return add_working_days(received, norm_days)


class _Numbers:
    """Hands out HRN-YYYY-NNNNNN per year, after what the counter already handed out."""

    def __init__(self, start: dict[int, int]) -> None:
        self.last = dict(start)

    def next(self, year: int) -> str:
        number = self.last.get(year, 0) + 1
        if number > MAX_NUMBER:
            raise OverflowError(f"more than {MAX_NUMBER} cases in {year}")
        self.last[year] = number
        return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


@dataclass
class _Rows:
    zaken: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    requests: list[dict[str, Any]]
    words: list[dict[str, Any]]


class _CaseMaker:
    def __init__(
        self, products: list[Product], numbers: _Numbers, residents: int, now: datetime
    ) -> None:
        self.for_residents = [p for p in products if p.for_residents]
        self.for_companies = [p for p in products if p.for_companies]
        self.numbers = numbers
        self.residents = residents
        self.now = now

    def chunk(self, start: int, stop: int, first_id: int) -> _Rows:
        rng = random.Random(f"mijn-haren-{start}")  # noqa: S311 (test data, not secrets)
        rows = _Rows([], [], [], [])
        for number in range(start, stop):
            self._case(rng, number, first_id + number - start, rows)
        return rows

    def _case(self, rng: random.Random, number: int, zaak_id: int, rows: _Rows) -> None:
        owner = owner_of(number % self.residents)
        product = rng.choice(self.for_companies if owner.kvk else self.for_residents)
        closed = rng.random() < CLOSED_SHARE
        if closed:
            received = self.now - timedelta(days=rng.uniform(OPEN_DAYS / 2, HISTORY_DAYS))
        else:
            # Open cases are young: received within a quarter more than their norm (in
            # calendar days), so about one in five is overdue.
            age = min(OPEN_DAYS, max(1.0, product.norm_days * 7 / 5 * 1.25))
            received = self.now - timedelta(days=rng.uniform(0, age))
        received = received.replace(microsecond=0)
        status, result = (
            (zaaktypen.CLOSED, rng.choices(*product.result_choices)[0])
            if closed
            else (rng.choices(_OPEN_STATUSES, _OPEN_WEIGHTS)[0], None)
        )
        taken = min(self.now, received + timedelta(hours=rng.uniform(2, 72)))
        closed_at = min(self.now, taken + timedelta(days=rng.uniform(1, 40))) if closed else None
        asked = closed and rng.random() > FIRST_TIME_RIGHT_SHARE
        last_changed = closed_at or (taken if status != zaaktypen.RECEIVED else received)
        last_changed = min(last_changed, self.now)
        assigned = self._assignee(rng, status)
        if not closed:
            rows.words.extend(
                {"woord": word, "zaak_id": zaak_id} for word in name_words(owner.name)
            )
        rows.zaken.append(
            {
                "id": zaak_id,
                "reference": self.numbers.next(received.year),
                "zaaktype": product.slug,
                "omschrijving": product.name,
                "form_slug": None,
                "channel": "online" if rng.random() < 0.9 else "telefoon",
                "initiator_kind": "niet_natuurlijk_persoon" if owner.kvk else "natuurlijk_persoon",
                "initiator_bsn": owner.bsn,
                "initiator_kvk": owner.kvk,
                "initiator_vestiging": None,
                "initiator_name": owner.name,
                "search_name": owner.name.lower(),
                "representative_name": "",
                "representative_id": "",
                "contact_email": f"inwoner{number % self.residents}@example.nl",
                "status": status,
                "received_at": received,
                "due_by_norm": _due(received.date(), product.norm_days),
                "due_by_law": received.date() + timedelta(days=product.legal_days)
                if product.legal_days
                else None,
                "closed_at": closed_at,
                "last_changed_at": last_changed,
                "paused_at": taken if status == zaaktypen.WAITING else None,
                "result": result,
                "withdraw_reason": "Niet meer nodig" if result == "ingetrokken" else "",
                "assigned_to": assigned[0] if assigned else None,
                "assigned_name": assigned[1] if assigned else "",
                "version": 1,
                "answers": {"aanvraag": {"toelichting": f"Aanvraag {product.name.lower()}"}},
                "submission_token": f"{TOKEN_PREFIX}{number:07d}",
                **_figures(received, closed_at, product, result, asked),
            }
        )
        if asked:
            rows.requests.append(
                {
                    "zaak_id": zaak_id,
                    "kind": "vraag",
                    "question": "Welk kenteken heeft de auto?",
                    "deadline": taken.date() + timedelta(days=14),
                    "created_at": taken,
                    "created_by": BEHANDELAAR[1],
                    "answer": "AB-123-C",
                    "answered_at": min(self.now, taken + timedelta(days=2)),
                }
            )
        self._history(rows, zaak_id, status, received, taken, closed_at)
        if status == zaaktypen.WAITING:
            rows.requests.append(
                {
                    "zaak_id": zaak_id,
                    "kind": "documenten",
                    "question": "Stuur ons een kopie van uw identiteitsbewijs",
                    "deadline": taken.date() + timedelta(days=14),
                    "created_at": taken,
                    "created_by": BEHANDELAAR[1],
                    "answer": "",
                    "answered_at": None,
                }
            )

    @staticmethod
    def _assignee(rng: random.Random, status: str) -> tuple[str, str] | None:
        if status == zaaktypen.RECEIVED and rng.random() < 0.8:
            return None
        roll = rng.random()
        return BEHANDELAAR if roll < 0.3 else OTHER_HANDLER if roll < 0.8 else None

    @staticmethod
    def _history(
        rows: _Rows,
        zaak_id: int,
        status: str,
        received: datetime,
        taken: datetime,
        closed_at: datetime | None,
    ) -> None:
        steps: list[tuple[str, datetime, str]] = [(zaaktypen.RECEIVED, received, "systeem")]
        if status != zaaktypen.RECEIVED:
            steps.append((zaaktypen.IN_PROGRESS, taken, BEHANDELAAR[1]))
        if status == zaaktypen.WAITING:
            steps.append((zaaktypen.WAITING, taken, BEHANDELAAR[1]))
        if closed_at is not None:
            steps.append((zaaktypen.CLOSED, closed_at, BEHANDELAAR[1]))
        for code, at, by in steps:
            rows.statuses.append(
                {
                    "zaak_id": zaak_id,
                    "status": code,
                    "set_at": at,
                    "set_by": by,
                    "note_for_resident": "",
                    "internal_note": "",
                }
            )


def _products(engine: Engine, now: datetime) -> list[Product]:
    """Every catalogue product with its case type (created through the service if new)."""
    from sqlmodel import Session

    products: list[Product] = []
    with Session(engine) as db:
        for product in producten_service.list_products():
            case_type = zaaktypen.ensure_zaaktype(db, product.slug, now=now)
            products.append(
                Product(
                    slug=product.slug,
                    name=product.naam,
                    norm_days=case_type.norm_days,
                    legal_days=case_type.legal_days,
                    results=tuple(case_type.results),
                    for_companies=product.doelgroep in ("ondernemers", "beide"),
                    for_residents=product.doelgroep in ("inwoners", "beide"),
                )
            )
        db.commit()
    return products


def _table(model: Any) -> Any:
    return model.__table__


def existing_generated(connection: Connection) -> int:
    zaak = _table(Zaak)
    query = select(func.count()).where(zaak.c.submission_token.like(f"{TOKEN_PREFIX}%"))
    return int(connection.execute(query).scalar_one())


def generate_cases(
    engine: Engine,
    *,
    cases: int,
    residents: int | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _line: None,
) -> int:
    """Make sure there are `cases` generated cases; returns how many were added."""
    now = now or datetime.now(UTC)
    residents = max(1, residents if residents is not None else cases // 10)
    products = _products(engine, now)
    zaak, counter = _table(Zaak), _table(ReferenceCounter)
    with engine.connect() as connection:
        start = existing_generated(connection)
        first_id = int(connection.execute(select(func.max(zaak.c.id))).scalar_one() or 0) + 1
        stored = connection.execute(select(counter.c.year, counter.c.last_number)).all()
        counters: dict[int, int] = {int(year): int(last) for year, last in stored}
    if start >= cases:
        progress(f"{start} generated cases already there")
        return 0
    numbers = _Numbers(counters)
    maker = _CaseMaker(products, numbers, residents, now)
    added = 0
    for batch_start, batch in _batches(start, cases):
        with engine.begin() as connection:
            _tune_for_bulk(connection)
            for chunk_start, chunk_stop in batch:
                rows = maker.chunk(chunk_start, chunk_stop, first_id + chunk_start - start)
                connection.execute(insert(zaak), rows.zaken)
                connection.execute(insert(_table(ZaakStatus)), rows.statuses)
                connection.execute(insert(_table(ZaakNaamwoord)), rows.words)
                if rows.requests:
                    connection.execute(insert(_table(ZaakVerzoek)), rows.requests)
                added += len(rows.zaken)
            _save_counters(connection, numbers.last)
        progress(f"{start + added:,} of {cases:,} cases ({batch_start:,} ...)")
    with engine.begin() as connection:
        continue_id_sequence(connection)
    years = sorted(year for year in numbers.last if numbers.last[year] != counters.get(year))
    progress(f"added {added:,} cases of {residents:,} owners, received in {years}")
    return added


def _batches(start: int, stop: int) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """Transactions of CHUNKS_PER_TRANSACTION chunks of CHUNK cases each."""
    chunks = [(s, min(s + CHUNK, stop)) for s in range(start, stop, CHUNK)]
    for index in range(0, len(chunks), CHUNKS_PER_TRANSACTION):
        group = chunks[index : index + CHUNKS_PER_TRANSACTION]
        yield group[0][0], group


def _save_counters(connection: Connection, last: dict[int, int]) -> None:
    """Move each year's counter to the last number handed out (create it if missing)."""
    counter = _table(ReferenceCounter)
    for year, number in last.items():
        changed = connection.execute(
            update(counter)
            .where(counter.c.year == year, counter.c.last_number < number)
            .values(last_number=number)
        )
        if changed.rowcount == 0:
            exists = connection.execute(select(counter.c.year).where(counter.c.year == year))
            if exists.first() is None:
                connection.execute(insert(counter).values(year=year, last_number=number))


def _tune_for_bulk(connection: Connection) -> None:
    """SQLite: a page cache (1 GB) that holds the indexes being filled; with the default 2 MB
    nearly every index insert reads a page back from the file."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size = -1000000")


def continue_id_sequence(connection: Connection) -> None:
    """PostgreSQL: the id sequence continues after the ids given explicitly."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text("SELECT setval(pg_get_serial_sequence('zaak', 'id'), (SELECT max(id) FROM zaak))")
    )
