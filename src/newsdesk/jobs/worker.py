"""Worker processes: one job consumer each, started alone or beside the web server, stopped gracefully."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from newsdesk.jobs.queue import SHUTDOWN_TIMEOUT, make_consumer, make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.settings import Settings
from newsdesk.store import open_store

log = logging.getLogger("newsdesk.jobs")

PARENT_CHECK_EVERY = 1.0  # seconds between two looks at whether the process that started a worker lives


def load_models() -> None:
    """Load every enrichment model now, once for the process, before worker threads could race to."""
    from newsdesk.enrich.categories.categories import load_model
    from newsdesk.models import load_embedder
    from newsdesk.models.e5 import load_classifier

    for load in (load_model, load_classifier, load_embedder):
        try:
            load()
        except Exception as exc:  # a missing model is recorded on each article its enricher fails for
            log.warning("could not load a model: %r", exc, extra={"model": load.__name__})


def load_then_set(ready: threading.Event) -> None:
    started = time.monotonic()
    try:
        load_models()
    finally:
        ready.set()
    log.info("models loaded in %.1f s", time.monotonic() - started)


def run_worker(settings: Settings, threads: int) -> None:
    """Run one job consumer in this process until SIGTERM or SIGINT (running tasks finish or are requeued)."""
    open_store(settings.database_url).close()  # apply migrations before tasks touch the store
    huey = make_huey(settings)
    tasks = register_tasks(huey, settings)
    tasks.runtime.models_ready.clear()
    # Polling starts at once; enrichment waits for the models, loaded once here before any thread asks.
    threading.Thread(target=load_then_set, args=(tasks.runtime.models_ready,), daemon=True).start()
    log.info("worker %d started with %d threads", os.getpid(), threads)
    make_consumer(huey, threads).run()


def stop_when_orphaned(parent: int) -> None:
    """Stop this worker gracefully once the process that started it is gone (killed with kill -9)."""

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(PARENT_CHECK_EVERY)
        log.warning("the process that started worker %d is gone: stopping", os.getpid())
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


Setup = Callable[[Settings], None]


def worker_main(settings: Settings, threads: int, parent: int, setup: Setup | None, niceness: int) -> None:
    """Entry of a spawned worker process: in a process group of its own, it stops when its parent says so."""
    os.setpgid(0, 0)  # a Ctrl-C in the terminal reaches the parent, which stops the worker once, gracefully
    os.nice(niceness)
    if setup is not None:
        setup(settings)
    stop_when_orphaned(parent)
    run_worker(settings, threads)


@dataclass
class WorkerProcesses:
    """Consumer processes started by another process (the server, or `newsdesk worker --concurrency N`)."""

    processes: list[BaseProcess] = field(default_factory=list)
    stop_requested: bool = False  # a signal came while they were being started

    def stop(self, timeout: float = SHUTDOWN_TIMEOUT + 5) -> None:
        """SIGTERM each (running tasks finish or are requeued); kill those still alive after ``timeout``."""
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                log.warning("worker %s did not stop in %.0f s: killed", process.pid, timeout)
                process.kill()
                process.join()

    def wait(self) -> None:
        for process in self.processes:
            process.join()


def start_workers(
    settings: Settings,
    count: int,
    threads: int,
    setup: Setup | None = None,
    niceness: int = 0,
    into: WorkerProcesses | None = None,
) -> WorkerProcesses:
    """Start ``count`` consumer processes of ``threads`` threads each; a fresh interpreter each (spawn).

    ``setup`` runs first in each (logging): it must be a module-level function. ``niceness`` lowers their
    CPU priority (beside a web server, pages come first). They join ``into`` when given.
    """
    context = multiprocessing.get_context("spawn")
    workers = into if into is not None else WorkerProcesses()
    for n in range(count):
        process = context.Process(
            target=worker_main,
            args=(settings, threads, os.getpid(), setup, niceness),
            name=f"newsdesk-worker-{n + 1}",
        )
        process.start()
        workers.processes.append(process)
    return workers
