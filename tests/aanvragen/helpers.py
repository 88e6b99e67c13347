"""Filling in forms through the portal as a browser without JavaScript would."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response


def page(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def hidden_fields(response: Response) -> dict[str, str]:
    form = page(response).select_one("main form[method=post]")
    assert form is not None, response.text[:500]
    return {
        str(i["name"]): str(i.get("value", ""))
        for i in form.select("input[type=hidden]")
        if i.get("name")
    }


def begin(client: TestClient, slug: str) -> str:
    """Press Start; returns the URL of the first step."""
    start = client.get(f"/formulieren/{slug}")
    assert start.status_code == 200, start.text[:300]
    response = client.post(f"/formulieren/{slug}", data=hidden_fields(start))
    assert response.status_code == 303, response.text[:300]
    return str(response.headers["location"])


def post_step(client: TestClient, url: str, values: dict[str, Any]) -> Response:
    current = client.get(url)
    assert current.status_code == 200, current.text[:300]
    return client.post(url, data={**hidden_fields(current), **values})
