"""Starlette requests as Authlib's server side sees them (after Authlib's Flask integration)."""

from __future__ import annotations

from collections import defaultdict

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from fastapi import Request
from starlette.datastructures import FormData


class StarletteOAuth2Payload(OAuth2Payload):  # type: ignore[misc]
    """The request parameters: the query string, then the form (as Flask's `request.values`)."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items = items

    @property
    def data(self) -> dict[str, str]:
        first: dict[str, str] = {}
        for key, value in self._items:
            first.setdefault(key, value)
        return first

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        values: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in self._items:
            values[key].append(value)
        return values


class StarletteOAuth2Request(OAuth2Request):  # type: ignore[misc]
    """A Starlette request as Authlib sees it; the form must be read (awaited) beforehand."""

    def __init__(self, request: Request, form: FormData | None = None) -> None:
        # Authlib refuses plain http except on loopback addresses. This provider never runs in
        # production (where the portal itself requires https) but does serve http development
        # hosts and the test client's http://testserver, so it vouches for the transport.
        super().__init__(
            method=request.method,
            uri=str(request.url.replace(scheme="https")),
            headers=request.headers,
        )
        self.uri = str(request.url)
        form_items = [
            (key, value)
            for key, value in (form or FormData()).multi_items()
            if isinstance(value, str)
        ]
        self._args = dict(request.query_params)
        self._form = dict(reversed(form_items))  # the first value of each field wins
        self.payload = StarletteOAuth2Payload(list(request.query_params.multi_items()) + form_items)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form
