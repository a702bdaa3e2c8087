"""The background tasks: thin wrappers around plain functions that the CLI calls too."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from huey import Huey, crontab

from newsdesk.ai import LLMSettings
from newsdesk.ai.llm import llm_settings
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.jobs.locks import LeaseStore, forget_huey_lock, holding, open_leases
from newsdesk.pipeline.images import copy_pending_images
from newsdesk.pipeline.ingest import PollLimits, PollReport, poll_source
from newsdesk.pipeline.understand import process_pending
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.sources import due_source_ids

PROCESS_LOCK = "process-pending"
IMAGES_LOCK = "copy-images"
IMAGES_PER_RUN = 50

log = logging.getLogger("newsdesk.jobs")


@dataclass
class Runtime:
    """What tasks need: the store and the fetcher, opened once per worker process."""

    settings: Settings

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings.database_url)

    @cached_property
    def fetcher(self) -> Fetcher:
        return make_fetcher(self.settings)

    @cached_property
    def leases(self) -> LeaseStore:
        return open_leases(self.settings)

    @property
    def llm(self) -> LLMSettings | None:
        return llm_settings(self.settings)

    @property
    def limits(self) -> PollLimits:
        s = self.settings
        return PollLimits(s.poll_interval_min, s.poll_interval_max, s.max_entries_per_poll)


@dataclass
class Tasks:
    """The task functions registered on one huey instance."""

    huey: Huey
    runtime: Runtime

    def __post_init__(self) -> None:
        runtime = self.runtime

        @self.huey.task(name="process_pending")
        def process_pending_task() -> int | None:
            """Understand new articles one batch at a time; one consumer at once keeps story order.

            None when another consumer holds the lock: it (or the next periodic run) takes the new articles.
            """
            with holding(runtime.leases, PROCESS_LOCK, runtime.settings.lock_ttl) as held:
                return process_pending(runtime.store, llm=runtime.llm).processed if held else None

        @self.huey.task(name="copy_images")
        def copy_images_task() -> int | None:
            """Copy new articles' images (resized, served by the site); None when another consumer does."""
            with holding(runtime.leases, IMAGES_LOCK, runtime.settings.lock_ttl) as held:
                if not held:
                    return None
                s = runtime.settings
                report = copy_pending_images(
                    runtime.store, runtime.fetcher, IMAGES_PER_RUN, s.max_image_pixels
                )
            if report.articles == IMAGES_PER_RUN:
                copy_images_task()  # more are waiting: the next batch, after other queued work
            return report.articles

        @self.huey.task(retries=2, retry_delay=30, name="poll_source")
        def poll_source_task(source_id: int) -> dict[str, object]:
            report = poll_source(runtime.store, runtime.fetcher, source_id, runtime.limits)
            if report.new or report.updated:
                process_pending_task()
                copy_images_task()
            return report_dict(report)

        @self.huey.task(name="enqueue_due_sources")
        def enqueue_due_sources() -> int:
            with runtime.store.session() as session:
                ids = due_source_ids(session)
            for source_id in ids:
                poll_source_task(source_id)
            return len(ids)

        @self.huey.periodic_task(crontab(minute="*"), name="poll_due_sources")
        def poll_due_sources() -> int:
            return int(enqueue_due_sources.call_local())

        @self.huey.periodic_task(crontab(minute="*/5"), name="process_pending_periodic")
        def process_pending_periodic() -> None:
            process_pending_task()

        @self.huey.periodic_task(crontab(minute="*/2"), name="copy_images_periodic")
        def copy_images_periodic() -> None:
            copy_images_task()

        self.poll_source = poll_source_task
        self.copy_images = copy_images_task
        self.enqueue_due_sources = enqueue_due_sources
        self.poll_due_sources = poll_due_sources
        self.process_pending = process_pending_task


def report_dict(report: PollReport) -> dict[str, object]:
    return {
        "source_id": report.source_id,
        "status": report.status,
        "new": report.new,
        "updated": report.updated,
        "dropped_entries": report.dropped,
        "pages_pending": report.pending,
        "error": report.error,
    }


def register_tasks(huey: Huey, settings: Settings) -> Tasks:
    """Register newsdesk's tasks on ``huey`` and return them."""
    forget_huey_lock(huey, PROCESS_LOCK)
    return Tasks(huey, Runtime(settings))
