"""Static files: content-hashed names cached for a year, plain names revalidated, gzip once."""

from __future__ import annotations

import gzip
import hashlib
import re

from fastapi.testclient import TestClient

from portal.static_files import IMMUTABLE, STATIC_DIR, static_assets

HAREN_CSS = STATIC_DIR / "css" / "haren.css"


def hashed(path: str) -> str:
    return static_assets().url(path)


def test_the_hash_is_of_the_content() -> None:
    digest = hashlib.sha256(HAREN_CSS.read_bytes()).hexdigest()[:12]
    assert hashed("css/haren.css") == f"/static/css/haren.{digest}.css"
    assert hashed("vendor/htmx/htmx.min.js").startswith("/static/vendor/htmx/htmx.min.")


def test_pages_link_the_hashed_names(client: TestClient) -> None:
    html = client.get("/").text
    assert f'href="{hashed("css/haren.css")}"' in html
    assert f'src="{hashed("vendor/htmx/htmx.min.js")}"' in html
    assert 'href="/static/css/haren.css"' not in html


def test_a_hashed_name_is_served_with_a_years_immutable_cache(client: TestClient) -> None:
    response = client.get(hashed("css/haren.css"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/css")
    assert response.content == HAREN_CSS.read_bytes()


def test_the_plain_name_still_works_and_is_revalidated(client: TestClient) -> None:
    response = client.get("/static/css/haren.css", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.content == HAREN_CSS.read_bytes()
    again = client.get(
        "/static/css/haren.css",
        headers={"If-None-Match": response.headers["etag"], "Accept-Encoding": "identity"},
    )
    assert again.status_code == 304


def test_css_and_js_are_sent_gzipped_to_who_accepts_it(client: TestClient) -> None:
    url = hashed("vendor/utrecht/component-library.css")
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        sent = b"".join(response.iter_raw())
        headers = response.headers
    original = (STATIC_DIR / "vendor" / "utrecht" / "component-library.css").read_bytes()
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/css")
    assert int(headers["content-length"]) == len(sent) < len(original) / 10
    assert gzip.decompress(sent) == original
    # The compressed copy has its own (weak) ETag, which also answers a revalidation.
    assert headers["etag"].startswith('W/"')
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert again.status_code == 304
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == original


def test_an_unknown_or_old_hash_is_not_found(client: TestClient) -> None:
    assert client.get("/static/css/haren.000000000000.css").status_code == 404
    assert client.get("/static/css/nergens.0123456789ab.css").status_code == 404
    assert client.get("/static/css/nergens.css").status_code == 404


def test_paths_outside_the_static_folder_are_refused(client: TestClient) -> None:
    for path in (
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/css/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static//etc/passwd",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "mijn-haren" not in response.text, path


def test_css_references_no_files_that_renaming_would_break() -> None:
    """Hashed names would break a relative url() in CSS; every url() is inline data today."""
    for css in STATIC_DIR.rglob("*.css"):
        for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", css.read_text(encoding="utf-8")):
            assert target.startswith("data:"), f"{css}: url({target}) needs a hashed name"
        assert "@import" not in css.read_text(encoding="utf-8"), css
