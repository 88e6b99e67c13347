"""The app's routes with their access class, found by walking each route's dependencies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from portal.security import ACCESS_CLASSES


@dataclass(frozen=True)
class ClassifiedRoute:
    name: str
    path: str
    methods: tuple[str, ...]
    access: tuple[str, ...]
    route: APIRoute


def _calls(dependant: Dependant) -> Iterator[object]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def classified_routes(app: FastAPI) -> list[ClassifiedRoute]:
    """Every API route of the app (routers included), with the access classes it depends on."""
    result = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        calls = {c for c in _calls(route.dependant) if c in ACCESS_CLASSES}
        result.append(
            ClassifiedRoute(
                name=route.name,
                path=context.path or route.path,
                methods=tuple(sorted(route.methods or ())),
                access=tuple(sorted(ACCESS_CLASSES[c] for c in calls)),
                route=route,
            )
        )
    return result
