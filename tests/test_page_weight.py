"""Page weight: the first visit to the home page (its HTML and every stylesheet, script and image
it references, as sent with `Accept-Encoding: gzip`) stays under 100 KB.

The HTML of every page state of the browser harness is measured, compressed, by
tests/browser/test_page_weight.py (reaching those states needs the browser's clicks).
"""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient

FIRST_VISIT_LIMIT = 100 * 1024
GZIP = {"Accept-Encoding": "gzip"}


class _Resources(HTMLParser):
    """The URLs a browser fetches for a page: stylesheets, icons, scripts and images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") in ("stylesheet", "icon"):
            self.urls.append(found["href"] or "")
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"] or "")


def resources_of(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return parser.urls


def sent(client: TestClient, url: str) -> tuple[int, str]:
    """The size of the body as sent (compressed when the response says so) and its encoding."""
    with client.stream("GET", url, headers=GZIP) as response:
        assert response.status_code == 200, url
        size = sum(len(chunk) for chunk in response.iter_raw())
        return size, response.headers.get("content-encoding", "")


def test_first_visit_to_the_home_page_is_under_100_kb(client: TestClient) -> None:
    resources = resources_of(client.get("/").text)
    assert any(url.endswith(".css") for url in resources)
    assert any(url.endswith(".js") for url in resources)
    responses = {url: sent(client, url) for url in ["/", *resources]}
    for url, (_, encoding) in responses.items():
        if url == "/" or url.endswith((".css", ".js")):
            assert encoding == "gzip", url
    total = sum(size for size, _ in responses.values())
    report = "\n".join(f"{size:>8} {url}" for url, (size, _) in responses.items())
    print(f"home page, first visit, gzip: {total} bytes\n{report}")
    assert total < FIRST_VISIT_LIMIT, f"{total} bytes:\n{report}"
