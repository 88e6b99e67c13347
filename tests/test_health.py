"""Health endpoints for the load balancer and Prometheus; none leaks data or versions."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.text == "ok"


def test_ready_when_database_is_migrated(client: TestClient) -> None:
    assert client.get("/health/ready").text == "ready"


def test_not_ready_when_database_is_unreachable(app: FastAPI) -> None:
    from portal.database import make_engine

    app.state.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    with TestClient(app) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert "database" in response.text
    assert "postgres" not in response.text.lower()


def test_not_ready_while_draining(app: FastAPI) -> None:
    with TestClient(app) as client:
        app.state.draining = True
        assert client.get("/health/ready").status_code == 503


def test_metrics_count_requests_by_route(client: TestClient) -> None:
    client.get("/contact")
    body = client.get("/metrics").text
    assert 'mijnharen_http_requests_total{method="GET",route="/contact",status="200"}' in body
    assert "mijnharen_http_request_duration_seconds_bucket" in body
