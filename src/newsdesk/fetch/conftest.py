"""Fixtures for the fetch tests: scripted loopback servers (newsdesk.testing.scripted_server), fetchers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from newsdesk.fetch import Fetcher, FetchPolicy
from newsdesk.testing.scripted_server import LOOPBACK, GzipBomb, ScriptedServer, make_gzip_bomb


@pytest.fixture(scope="session")
def gzip_bomb() -> GzipBomb:
    """About 1 MB of gzip that decodes to 1 GiB of zeros."""
    return make_gzip_bomb(1 << 30)


# -- servers and fetchers ------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer("127.0.0.1")
    yield srv
    srv.stop()


@pytest.fixture
def other_server() -> Iterator[ScriptedServer]:
    """A second server on 127.0.0.2: loopback too, but outside the fetchers' 127.0.0.1/32 allow-list."""
    try:
        srv = ScriptedServer("127.0.0.2")
    except OSError as exc:  # pragma: no cover - loopback is 127.0.0.0/8 on Linux
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    yield srv
    srv.stop()


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    """Build Fetchers with fast test defaults that may reach 127.0.0.1 only; all closed afterwards."""
    made: list[Fetcher] = []

    def factory(**overrides: object) -> Fetcher:
        settings: dict[str, object] = {
            "allowed": LOOPBACK,
            "connect_timeout": 2.0,
            "read_timeout": 5.0,
            "total_timeout": 5.0,
            "per_host_delay": 0.0,
            "retries": 0,
            "backoff": 0.01,
            "obey_robots": False,  # robots.txt has its own tests; the others count requests exactly
        }
        settings.update(overrides)
        fetcher = Fetcher(FetchPolicy(**settings))  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield factory
    for fetcher in made:
        fetcher.close()
