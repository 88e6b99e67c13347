"""The two databases: built once with the generator in a cache folder, reused afterwards."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Size:
    label: str
    cases: int
    residents: int

    @property
    def filename(self) -> str:
        return f"zaken-{self.cases}-{self.residents}.db"


def ensure_database(cache_dir: Path, size: Size) -> str:
    """The URL of a SQLite database with `size.cases` generated cases, built if missing.

    A database from an earlier run is reused when it has all its cases (the generator only adds
    what is missing, so an interrupted build continues).
    """
    from portal.database import make_engine, upgrade_database
    from portal.zaken.generator import generate_cases

    cache_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{cache_dir / size.filename}"
    upgrade_database(url)
    engine = make_engine(url)
    started = time.perf_counter()
    try:
        added = generate_cases(
            engine,
            cases=size.cases,
            residents=size.residents,
            progress=lambda line: print(f"  {size.label}: {line}", file=sys.stderr),
        )
    finally:
        engine.dispose()
    if added:
        print(f"  {size.label}: built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return url


def resident_with_cases(database_url: str) -> tuple[str, int]:
    """A generated resident (owner 0) and how many cases they have."""
    from sqlalchemy import func, select

    from portal.database import make_engine
    from portal.zaken.generator import owner_of
    from portal.zaken.models import Zaak

    bsn = owner_of(0).bsn
    assert bsn is not None
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            table = Zaak.__table__  # type: ignore[attr-defined]
            count = connection.execute(
                select(func.count()).select_from(table).where(table.c.initiator_bsn == bsn)
            ).scalar_one()
    finally:
        engine.dispose()
    return bsn, int(count)


def resident_name() -> str:
    """The full name of the resident whose case list is measured."""
    from portal.zaken.generator import owner_of

    return owner_of(0).name
