"""The resident's pages of the case system: the htmx block on /mijn/zaken, the list, one case
and its documents, with the same access rules as the portal's own cases, and a clear message
(never a blocked page) when the case system is down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from auth.dependencies import session_cookie_name, session_policy
from auth.sessions import create_session
from portal.integrations import IntegrationUnavailable
from portal.integrations.zgw.local import ZgwStore
from portal.main import create_app
from portal.settings import Settings
from tests.conftest import identity_for, make_settings

YEAR = datetime.now(UTC).year
MELDING, KAP, GEHEIM, LANCE = (f"ZAAK-{YEAR}-0000000{n}" for n in ("101", "102", "103", "105"))
UNAVAILABLE = "niet bereikbaar"


class _DownApi:
    """A case system that does not answer; counts how often it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            raise IntegrationUnavailable("zgw", "timeout")

        return fail


@pytest.fixture
def down(monkeypatch: pytest.MonkeyPatch) -> _DownApi:
    api = _DownApi()
    monkeypatch.setattr("portal.integrations.zgw._local_api", lambda: api)
    return api


def _document_key(store: ZgwStore, identificatie: str, title: str) -> str:
    (zaak,) = store.search("zaken", {"identificatie": identificatie})
    for link in store.search("zaakinformatieobjecten", {"zaak": zaak["url"]}):
        document = store.get(link["informatieobject"])
        if document and document["titel"] == title:
            return str(document["uuid"])
    raise AssertionError(title)


def test_the_case_list_loads_into_my_cases_with_htmx_and_without(
    client: TestClient, login: Callable[[str], Any]
) -> None:
    login("suzanne")
    overview = BeautifulSoup(client.get("/mijn/zaken").text, "html.parser")
    block = overview.select_one("[hx-get='/mijn/zaken/zaaksysteem']")
    assert block is not None
    assert block.get("hx-trigger") == "load"
    fallback = block.select_one("a[href='/mijn/zaken/zaaksysteem']")
    assert fallback is not None  # without JavaScript: a link to the full page
    partial = client.get("/mijn/zaken/zaaksysteem", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text
    full = client.get("/mijn/zaken/zaaksysteem")
    assert "<html" in full.text
    for text in (partial.text, full.text):
        assert MELDING in text
        assert KAP in text
        assert GEHEIM not in text
        assert LANCE not in text


def test_one_case_shows_its_steps_result_and_only_the_documents_for_the_resident(
    client: TestClient, login: Callable[[str], Any]
) -> None:
    login("suzanne")
    melding = client.get(f"/mijn/zaken/zaaksysteem/{MELDING}")
    assert melding.status_code == 200
    html = BeautifulSoup(melding.text, "html.parser")
    steps = [li.strong.get_text() for li in html.select(".haren-timeline li") if li.strong]
    assert steps == ["Ontvangen", "Ingepland", "Afgehandeld"]
    current = html.select_one(".haren-timeline [aria-current=step] strong")
    assert current is not None
    assert current.get_text() == "Ingepland"
    documents = [a.get_text(strip=True) for a in html.select("#documenten ~ ul a")]
    assert documents == ["Ontvangstbevestiging melding"]  # not the intern or draft ones
    closed = client.get(f"/mijn/zaken/zaaksysteem/{KAP}")
    assert "Verleend" in closed.text
    assert "Volgende stap" not in closed.text


def test_a_document_downloads_and_a_hidden_one_does_not(
    client: TestClient, login: Callable[[str], Any], store: ZgwStore
) -> None:
    login("suzanne")
    shown = _document_key(store, MELDING, "Ontvangstbevestiging melding")
    response = client.get(f"/mijn/zaken/zaaksysteem/{MELDING}/documenten/{shown}")
    assert response.status_code == 200
    assert response.content.startswith(b"Ontvangstbevestiging melding")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "private, no-store"
    for hidden in ("Werkbon buitendienst", "Conceptbrief"):
        key = _document_key(store, MELDING, hidden)
        url = f"/mijn/zaken/zaaksysteem/{MELDING}/documenten/{key}"
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["lance", "dagobert"])
def test_someone_elses_case_and_document_answer_404(
    client: TestClient, login: Callable[[str], Any], store: ZgwStore, who: str
) -> None:
    login(who)
    key = _document_key(store, MELDING, "Ontvangstbevestiging melding")
    assert client.get(f"/mijn/zaken/zaaksysteem/{MELDING}").status_code == 404
    assert client.get(f"/mijn/zaken/zaaksysteem/{MELDING}/documenten/{key}").status_code == 404
    assert MELDING not in client.get("/mijn/zaken/zaaksysteem").text


def test_a_confidential_or_unknown_case_answers_404(
    client: TestClient, login: Callable[[str], Any]
) -> None:
    login("suzanne")
    assert client.get(f"/mijn/zaken/zaaksysteem/{GEHEIM}").status_code == 404
    assert client.get("/mijn/zaken/zaaksysteem/ZAAK-1-0").status_code == 404
    assert client.get("/mijn/zaken/zaaksysteem/..%2Fzaken").status_code == 404


def test_when_the_case_system_is_down_my_cases_still_render_and_say_so(
    client: TestClient, login: Callable[[str], Any], down: _DownApi
) -> None:
    login("suzanne")
    overview = client.get("/mijn/zaken")
    assert overview.status_code == 200
    assert down.calls == 0  # the page itself never waits for the case system
    partial = client.get("/mijn/zaken/zaaksysteem", headers={"HX-Request": "true"})
    assert partial.status_code == 200  # htmx swaps it in: the message takes the list's place
    assert UNAVAILABLE in partial.text
    full = client.get("/mijn/zaken/zaaksysteem")
    assert full.status_code == 503
    assert UNAVAILABLE in full.text
    assert client.get(f"/mijn/zaken/zaaksysteem/{MELDING}").status_code == 503


def test_without_a_case_system_there_is_no_block_and_no_page(database_url: str) -> None:
    app = create_app(make_settings(database_url))
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as plain:
        settings: Settings = app.state.settings
        assert settings.zgw_backend == "geen"
        with Session(app.state.engine) as db:
            token = create_session(
                db, identity=identity_for("suzanne"), id_token="", policy=session_policy(settings)
            )
            db.commit()
        plain.cookies.set(session_cookie_name(settings), token)
        assert "zaaksysteem" not in plain.get("/mijn/zaken").text
        assert plain.get("/mijn/zaken/zaaksysteem").status_code == 404
        assert plain.post("/zaaksysteem/notificaties", json={}).status_code == 401
