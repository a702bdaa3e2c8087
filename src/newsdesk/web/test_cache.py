"""The shared page cache: entries expire, the cache stays bounded, one caller rebuilds while others wait."""

from __future__ import annotations

import threading
import time

from newsdesk.web.cache import TTLCache


def test_page_cache_expires_and_stays_bounded() -> None:
    cache = TTLCache(seconds=60, max_items=4)
    builds: list[str] = []

    def build(key: str) -> str:
        builds.append(key)
        return key.upper()

    assert cache.get("a", lambda: build("a")) == "A"
    assert cache.get("a", lambda: build("a")) == "A" and builds == ["a"]
    for key in "bcdefgh":
        cache.get(key, lambda k=key: build(k))
    assert len(cache._items) <= 4
    expired = TTLCache(seconds=0)
    expired.get("x", lambda: build("x"))
    expired.get("x", lambda: build("x"))
    assert builds.count("x") == 2


def test_a_stale_page_is_served_while_one_caller_rebuilds_it() -> None:
    cache = TTLCache(seconds=0.05, stale_for=60)
    cache.put("home", "old")
    time.sleep(0.06)
    assert cache.peek("home") is None and cache.lookup("home") == ("old", False)
    assert cache.claim_refresh("home") and not cache.claim_refresh("home")  # one rebuilder at a time
    cache.put("home", "new")
    assert cache.lookup("home") == ("new", True) and cache.claim_refresh("home")
    cache.release("home")

    builds: list[int] = []

    def slow_build() -> str:
        builds.append(1)
        time.sleep(0.1)
        return "built"

    fresh = TTLCache(seconds=60)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(fresh.get("k", slow_build))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["built"] * 5 and len(builds) == 1  # the others waited for the one build


def test_a_cheap_page_is_built_on_the_event_loop_and_others_on_a_thread() -> None:
    import asyncio

    from fastapi.responses import HTMLResponse
    from starlette.requests import Request

    from newsdesk.web.shared_pages import page_for

    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "session": {}})
    builders: list[int] = []

    def render() -> HTMLResponse:
        builders.append(threading.get_ident())
        return HTMLResponse("<p>page</p>")

    async def build_both() -> int:
        await page_for(request, TTLCache(10), "cheap", render, on_loop=True)
        await page_for(request, TTLCache(10), "dear", render)
        return threading.get_ident()

    loop_thread = asyncio.run(build_both())
    assert builders == [loop_thread, builders[1]] and builders[1] != loop_thread


def test_only_sqlite_stores_build_cheap_pages_on_the_loop() -> None:
    from types import SimpleNamespace
    from typing import Any

    from newsdesk.web.pages.respond import builds_on_loop

    def store_of(dialect: str) -> Any:
        return SimpleNamespace(dialect=dialect)

    assert builds_on_loop(store_of("sqlite")) and not builds_on_loop(store_of("postgresql"))
