"""`mijn-haren demo load`: the demo data set that makes a fresh portal look lived-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlmodel import Session

from portal.afspraken.demo import load_afspraken_demo
from portal.database import make_engine
from portal.gegevens.demo import load_gegevens_demo
from portal.prestaties.demo import load_prestaties_demo
from portal.settings import Settings
from portal.zaken.demo import load_zaken_demo

DemoLoader = Callable[[Session, Settings], str]

# Each domain adds its loader here; each loader is idempotent and says what it did.
DEMO_LOADERS: list[DemoLoader] = [
    load_zaken_demo,
    load_afspraken_demo,
    load_prestaties_demo,
    load_gegevens_demo,
]


def load_demo_data(settings: Settings) -> Iterator[str]:
    """Run every loader in one transaction, so a failure leaves the database as it was."""
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as db:
            lines = [loader(db, settings) for loader in DEMO_LOADERS]
            db.commit()
    finally:
        engine.dispose()
    yield from lines
    yield (
        "demo people, companies and staff are served by the development identity provider "
        f"at {settings.base_url}/inloggen"
    )
