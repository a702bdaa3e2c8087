"""Long-running processes: the web server (with an embedded consumer) and the standalone worker."""

from __future__ import annotations

import gc
import logging
import socket
from collections.abc import Callable

import uvicorn

from newsdesk.jobs.queue import make_consumer, make_huey
from newsdesk.jobs.tasks import Tasks, register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.app import create_app

log = logging.getLogger("newsdesk")


def run_server(
    settings: Settings,
    host: str,
    port: int,
    *,
    embedded_worker: bool = True,
    store: Store | None = None,
    after_start: Callable[[Tasks], None] | None = None,
) -> None:
    """Serve the site with uvicorn; run a huey consumer in the same process unless told not to."""
    if not settings.public_url:
        settings = settings.model_copy(update={"public_url": derived_public_url(host, port)})
        log.info("links point at %s; set NEWSDESK_PUBLIC_URL to the address readers use", settings.public_url)
    store = store or open_store(settings.database_url)
    huey = make_huey(settings)
    tasks = register_tasks(huey, settings)
    consumer = make_consumer(huey, settings.workers, embedded=True) if embedded_worker else None

    def start() -> None:
        if consumer is not None:
            consumer.start()
        if after_start is not None:
            after_start(tasks)

    def stop() -> None:
        if consumer is not None:
            consumer.stop(graceful=True)

    app = create_app(settings, store, on_startup=start, on_shutdown=stop)
    # What start-up made (modules, templates, catalogues) lives as long as the server: out of the
    # collector's sight, a full collection no longer walks it (it set the slowest requests' latency).
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)


def derived_public_url(host: str, port: int) -> str:
    """http://HOST:PORT of the listening address; a wildcard address stands for this machine's name."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def run_worker(settings: Settings, workers: int) -> None:
    """Run a standalone huey consumer until interrupted (SIGINT/SIGTERM)."""
    open_store(settings.database_url).close()  # apply migrations before tasks touch the store
    huey = make_huey(settings)
    register_tasks(huey, settings)
    log.info("worker started with %d threads", workers)
    make_consumer(huey, workers).run()
