"""Who is logged in and which pages are measured: the resident's case list, the work queue,
a filtered queue page and a page deep in the queue (reached by following "next" links)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from forms.load import Client, expect, new_http_client

_NEXT = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')
FILTER_PRODUCT = "parkeervergunning"
DEEP_PAGES = 20
STAFF_SUBJECT = "behandelaar"


@dataclass(frozen=True)
class Scenario:
    name: str
    who: str  # resident | staff
    path: str
    must_contain: str = "HRN-"  # proof the page has cases in it


def sessions(database_url: str, settings: Any, bsn: str, count: int) -> dict[str, list[str]]:
    """`count` sessions of the resident and of the demo behandelaar, made in the database as
    tests/conftest.py's `login` does."""
    from sqlmodel import Session

    from auth.dependencies import session_policy
    from auth.identity import DIGID_LEVELS, Identity
    from auth.sessions import create_session
    from portal.database import make_engine

    identities = {
        "resident": Identity(provider="digid", subject=bsn, bsn=bsn, loa=DIGID_LEVELS[1]),
        "staff": Identity(
            provider="medewerker",
            subject=STAFF_SUBJECT,
            roles=("behandelaar",),
            display_name="Bram Behandelaar",
        ),
    }
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            tokens = {
                who: [
                    create_session(
                        db, identity=identity, id_token="", policy=session_policy(settings)
                    )
                    for _ in range(count)
                ]
                for who, identity in identities.items()
            }
            db.commit()
    finally:
        engine.dispose()
    return tokens


def next_link(page: str) -> str | None:
    found = _NEXT.search(page)
    return html.unescape(found.group(1)) if found else None


def deep_queue_path(base_url: str, cookie: dict[str, str]) -> tuple[str, int]:
    """The queue page reached by following "next" up to DEEP_PAGES times from the first page
    (fewer when the queue ends sooner, as on the small database), and its page number."""
    path, number = "/backoffice/zaken", 1
    with new_http_client(base_url, cookie) as http:
        while number <= DEEP_PAGES:
            answer = http.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code}")
            following = next_link(answer.text)
            if following is None:
                break
            path, number = following, number + 1
    return path, number


def scenarios(deep_path: str, name: str) -> list[Scenario]:
    """The pages measured; the deep page's name is the same on both databases, to pair them.
    `name` is a generated resident's full name: a rare pair of common words."""
    return [
        Scenario("resident: /mijn/zaken", "resident", "/mijn/zaken"),
        Scenario("staff: queue, first page", "staff", "/backoffice/zaken"),
        Scenario(
            "staff: queue, product + overdue",
            "staff",
            f"/backoffice/zaken?product={FILTER_PRODUCT}&termijn=te_laat",
        ),
        Scenario("staff: queue, deep page (keyset)", "staff", deep_path),
        Scenario(
            "staff: queue, name search",
            "staff",
            "/backoffice/zaken?" + urlencode({"q": name}),
            must_contain='id="zaken-resultaten"',
        ),
    ]


def get_page(path: str, must_contain: str) -> Callable[[Client], str | None]:
    """One GET that must answer 200 with `must_contain` in the page."""

    def action(client: Client) -> str | None:
        answer = client.http.get(path)
        problem = expect(answer, 200)
        if problem is None and must_contain not in answer.text:
            return f"GET {path}: 200 without {must_contain!r}"
        return problem

    return action
