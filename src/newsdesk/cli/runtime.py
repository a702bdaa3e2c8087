"""Long-running processes: the web server (one or several processes, with a worker process) and workers."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

import uvicorn

from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import Tasks, register_tasks
from newsdesk.jobs.worker import WorkerProcesses, run_worker, start_workers
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store

log = logging.getLogger("newsdesk")

WORKER_NICENESS = 10  # the worker beside the server yields the CPU to page rendering whenever both want it
APP_FACTORY = "newsdesk.cli.runtime:served_app"  # each web process's site, its settings from the environment

if TYPE_CHECKING:
    from fastapi import FastAPI


def setup_worker_logging(settings: Settings) -> None:
    """Logging of a worker process the server started (a module-level function: spawn pickles it)."""
    from newsdesk.log import setup_logging

    setup_logging(settings)


def run_server(
    settings: Settings,
    host: str,
    port: int,
    *,
    embedded_worker: bool = True,
    web_workers: int = 1,
    store: Store | None = None,
    after_start: Callable[[Tasks], None] | None = None,
) -> None:
    """Serve the site with uvicorn; run a job consumer in a process of its own unless told not to.

    The consumer never shares an interpreter with page rendering: enrichment would stall the pages.
    Several web processes (``web_workers``) read their settings from the environment.
    """
    configured = settings  # the worker's: WebSub hubs are given only a public URL the operator set
    if not settings.public_url:
        settings = settings.model_copy(update={"public_url": derived_public_url(host, port)})
        os.environ["NEWSDESK_PUBLIC_URL"] = settings.public_url  # for web processes uvicorn starts
        log.info("links point at %s; set NEWSDESK_PUBLIC_URL to the address readers use", settings.public_url)
    store = store or open_store(settings.database_url)  # migrations applied once, before any process starts
    tasks = register_tasks(make_huey(settings), settings)  # this process only adds tasks to the queue
    signal.signal(signal.SIGTERM, exit_when_stopped)  # what uvicorn raises again once it has shut down
    workers = (
        start_workers(configured, 1, settings.workers, setup_worker_logging, niceness=WORKER_NICENESS)
        if embedded_worker
        else None
    )
    try:
        if after_start is not None:
            after_start(tasks)
        serve_site(settings, store, host, port, web_workers)
    finally:
        if workers is not None:
            workers.stop()


def exit_when_stopped(signum: int, _frame: object) -> None:
    """Leave through the callers' ``finally`` blocks (the worker process is stopped there)."""
    raise SystemExit(0)


def serve_site(settings: Settings, store: Store, host: str, port: int, web_workers: int) -> None:
    """uvicorn in this process, or a uvicorn supervisor with ``web_workers`` processes."""
    level = settings.log_level.lower()
    if web_workers > 1:
        store.close()
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            workers=web_workers,
            host=host,
            port=port,
            log_level=level,
            access_log=False,
        )
        return
    from newsdesk.web.app import create_app

    app = create_app(settings, store, on_startup=settle_heap)
    uvicorn.run(app, host=host, port=port, log_level=level, access_log=False)


def served_app() -> FastAPI:
    """The site of one of several web processes (``uvicorn --factory``), settings from the environment."""
    from newsdesk.web.app import create_app

    return create_app(on_startup=settle_heap)


def settle_heap() -> None:
    """Put what start-up made (modules, templates, every language's data) out of the collector's sight:
    it lives as long as the server, and each full collection walked it. Frozen before the warm-up, a
    full collection took 12 ms every 300 cold pages and set the slowest pages' latency."""
    gc.collect()
    gc.freeze()


def derived_public_url(host: str, port: int) -> str:
    """http://HOST:PORT of the listening address; a wildcard address stands for this machine's name."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def run_workers(settings: Settings, concurrency: int, threads: int) -> None:
    """Run ``concurrency`` consumer processes (this one alone when 1) until SIGTERM or SIGINT."""
    if concurrency == 1:
        run_worker(settings, threads)
        return
    open_store(settings.database_url).close()  # migrations once, before the workers start
    workers = WorkerProcesses()
    stop_on_signals(workers)  # before any starts: a signal during start-up stops them all too
    start_workers(settings, concurrency, threads, setup_worker_logging, into=workers)
    if workers.stop_requested:
        workers.stop()
    workers.wait()


def stop_on_signals(workers: WorkerProcesses) -> None:
    """Pass SIGTERM and SIGINT on to the worker processes (each stops gracefully)."""

    def forward(signum: int, _frame: object) -> None:
        workers.stop_requested = True
        for process in workers.processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
