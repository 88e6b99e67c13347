"""Schemathesis over every operation of the portal's OpenAPI schema (S6, ASVS 16.5.3): valid and
invalid paths, queries and forms, sent in-process to the ASGI app anonymously, as the resident
Suzanne Moulin and as staff with every role, with the CSRF token so that state-changing requests
reach their handlers. No answer may be a server error, and every answer carries the security
headers. A fixed seed and derandomized generation: the same requests on every run
(bench/bench_fuzz.py runs longer, with a random seed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from portal.registry import import_all_models
from tests.conftest import free_port
from tests.security.fuzzing import (
    VISITORS,
    Visitor,
    fuzz,
    fuzz_app,
    fuzz_config,
    fuzz_settings,
    known_values,
    serve_identity_providers,
)
from tests.security.routes import classified_routes

SEED = 20261129
# Generated examples per operation, on top of Schemathesis' examples and coverage phases
# (boundaries, missing and malformed inputs): about 17 requests per operation and visitor,
# about 5,800 in all, two to three minutes on two cores.
EXAMPLES_PER_OPERATION = 5


@pytest.fixture(scope="module", autouse=True)
def _clean_database(db_engine: Any) -> Iterator[None]:
    """One demo data set for the whole module (loading it takes seconds); emptied at its end."""
    yield
    with db_engine.begin() as connection:
        for table in reversed(import_all_models().metadata.sorted_tables):
            connection.execute(text(f'DELETE FROM "{table.name}"'))


@pytest.fixture(scope="module")
def portal(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    settings = fuzz_settings(
        database_url, tmp_path_factory.mktemp("fuzz-data"), f"http://127.0.0.1:{free_port()}"
    )
    app = fuzz_app(settings)
    with serve_identity_providers(settings):
        yield app
    app.state.engine.dispose()


def test_every_route_is_in_the_schema(portal: FastAPI) -> None:
    """What is not in /openapi.json is not fuzzed."""
    schema = portal.openapi()
    described = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    routes = {
        (method, route.path)
        for route in classified_routes(portal)
        for method in route.methods
        if method != "HEAD"
    }
    assert routes - described == set()


@pytest.mark.parametrize("kind", VISITORS)
def test_no_operation_answers_a_server_error(portal: FastAPI, kind: str) -> None:
    settings, engine = portal.state.settings, portal.state.engine
    config = fuzz_config(
        known_values(engine, settings), seed=SEED, max_examples=EXAMPLES_PER_OPERATION
    )

    report = fuzz(portal, config, Visitor(kind, settings, engine))

    assert report.errors == [], "\n\n".join(report.errors)
    assert report.failures == [], "\n\n".join(report.failures)
    assert all(report.examples.values()), "operations never called: " + ", ".join(
        label for label, count in report.examples.items() if not count
    )
