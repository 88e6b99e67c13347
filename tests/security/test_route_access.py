"""Every route is classified (public, resident, company, staff role, ...) exactly once, and the
committed list of routes changes only on purpose."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI

from tests.security.routes import classified_routes

ROUTE_LIST = Path(__file__).with_name("route-list.json")


def current_route_list(app: FastAPI) -> list[dict[str, object]]:
    return [
        {"name": r.name, "path": r.path, "methods": list(r.methods), "access": list(r.access)}
        for r in sorted(classified_routes(app), key=lambda r: (r.path, r.methods))
    ]


def test_every_route_has_exactly_one_access_class(app: FastAPI) -> None:
    unclassified = [f"{r.methods} {r.path}" for r in classified_routes(app) if len(r.access) != 1]
    assert unclassified == [], f"routes without exactly one access class: {unclassified}"


def test_route_list_is_the_committed_one(app: FastAPI) -> None:
    current = current_route_list(app)
    if os.environ.get("MIJNHAREN_UPDATE_ROUTE_LIST") == "1":
        ROUTE_LIST.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    committed = json.loads(ROUTE_LIST.read_text())
    assert current == committed, (
        "the routes changed: review the change, then run "
        "MIJNHAREN_UPDATE_ROUTE_LIST=1 pytest tests/security/test_route_access.py"
    )


def test_every_route_has_a_name_and_a_docstring(app: FastAPI) -> None:
    missing = [
        r.path
        for r in classified_routes(app)
        if ":" not in r.name or not (r.route.endpoint.__doc__ or "").strip()
    ]
    assert missing == []


def test_route_names_are_unique(app: FastAPI) -> None:
    """url_for finds a route by name: a second route with the same name would hide one."""
    paths_by_name: dict[str, set[str]] = {}
    for route in classified_routes(app):
        paths_by_name.setdefault(route.name, set()).add(route.path)
    assert {name: paths for name, paths in paths_by_name.items() if len(paths) > 1} == {}
