"""Every address reaches its own route: the pages, tried early, shadow no route after them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.routing import BaseRoute, Match, Route

from newsdesk.store import open_store
from newsdesk.web.app import create_app

PARAMETER = re.compile(r"\{[^}]+\}")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder: Path = tmp_path_factory.mktemp("routes")
    return create_app(store=open_store(f"sqlite:///{folder / 'routes.db'}"))


def flat_routes(routes: list[BaseRoute]) -> list[Route]:
    """The routes in the order a request tries them (FastAPI keeps included routers as branches)."""
    flat: list[Route] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            flat += flat_routes(included.routes)
        elif isinstance(route, Route):
            flat.append(route)
    return flat


def first_full_match(routes: list[Route], path: str, method: str) -> str:
    scope = {"type": "http", "path": path, "method": method, "root_path": ""}
    for route in routes:
        if route.matches(scope)[0] == Match.FULL:
            return route.path
    return ""


def test_routes_are_found_in_a_known_order(app: FastAPI) -> None:
    paths = [route.path for route in flat_routes(app.router.routes)]
    first_page = paths.index("/{lang}/")
    assert paths.index("/feeds/latest.{fmt}") < first_page < paths.index("/api/v1/search")
    assert paths.index("/{lang}/article/{article_id}") < 25  # the most asked-for page is found quickly


def test_no_route_is_shadowed_by_one_tried_before_it(app: FastAPI) -> None:
    shadowed = []
    routes = flat_routes(app.router.routes)
    for route in routes:
        path = PARAMETER.sub("x", route.path)
        for method in sorted(route.methods or {"GET"}):
            found = first_full_match(routes, path, method)
            if found != route.path and PARAMETER.sub("x", found) != path:
                shadowed.append(f"{method} {path}: {found} answers, not {route.path}")
    assert shadowed == []
