"""The running demo and a headless Chromium, shared by every browser test module of the session."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.conftest import skip_or_fail
from newsdesk.testing.demo_run import DemoRun

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


DEMO_RUN = pytest.StashKey[DemoRun]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the demo as soon as the tests are known: it ingests and processes on the other core while the
    tests before the browser tests run, instead of being waited for."""
    if any("demo_run" in getattr(item, "fixturenames", ()) for item in session.items):
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-demo-")) / "d"
        session.config.stash[DEMO_RUN] = DemoRun(folder, niceness=10)


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(DEMO_RUN, None)
    if run is not None:
        run.stop()
        if run.folder.parent.name.startswith("newsdesk-demo-"):  # made by pytest_collection_finish
            shutil.rmtree(run.folder.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The session's demo run, started when collection ended (or now, when a test was asked for by name)."""
    stash = request.config.stash
    if DEMO_RUN not in stash:
        stash[DEMO_RUN] = DemoRun(tmp_path_factory.mktemp("demo") / "d")
    return stash[DEMO_RUN]


@pytest.fixture(scope="session")
def demo(demo_run: DemoRun) -> str:
    """The demo site's base URL, once the demo says it is ready."""
    demo_run.wait_ready(180)
    return demo_run.base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        skip_or_fail(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()
