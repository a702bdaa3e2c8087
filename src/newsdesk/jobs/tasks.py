"""The background tasks: thin wrappers around plain functions that the CLI calls too."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from huey import Huey, crontab
from huey.api import Task, TaskWrapper
from huey.signals import SIGNAL_INTERRUPTED

from newsdesk.ai import LLMSettings
from newsdesk.ai.llm import llm_settings
from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.jobs.locks import LeaseStore, forget_huey_lock, holding, open_leases, take_once
from newsdesk.jobs.queue import STOPPING
from newsdesk.jobs.stage_times import StageTimes, open_stage_times, timing
from newsdesk.pipeline.hubs import renew_subscriptions
from newsdesk.pipeline.images import copy_pending_images
from newsdesk.pipeline.ingest import PollLimits, PollReport, poll_source
from newsdesk.pipeline.push import ingest_push
from newsdesk.pipeline.understand import assign_and_summarise, enrich_pending
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.enrichment import CLAIM_LEASE, awaiting_story, enrichment_in_flight, oldest_awaiting_story
from newsdesk.store.models import utcnow
from newsdesk.store.sources import due_source_ids

PROCESS_LOCK = "process-pending"
IMAGES_LOCK = "copy-images"
IMAGES_PER_RUN = 50
TICK_MARGIN = 5.0  # seconds a period's lease ends early: the next period's first consumer finds it free

log = logging.getLogger("newsdesk.jobs")


@dataclass
class Runtime:
    """What tasks need: the store and the fetcher, opened once per worker process."""

    settings: Settings
    # Set once this process's models are loaded; a worker clears it while it loads them in the background
    # at start, elsewhere models load when first used.
    models_ready: threading.Event = field(default_factory=lambda: set_event(threading.Event()))

    @cached_property
    def store(self) -> Store:
        return open_store(self.settings.database_url)

    @cached_property
    def fetcher(self) -> Fetcher:
        return make_fetcher(self.settings)

    @cached_property
    def leases(self) -> LeaseStore:
        return open_leases(self.settings)

    @cached_property
    def stage_times(self) -> StageTimes | None:
        return open_stage_times(self.settings)

    @property
    def llm(self) -> LLMSettings | None:
        return llm_settings(self.settings)

    def first_this_period(self, name: str, period: float) -> bool:
        """True for the first consumer of the deployment to ask in this period (scheduled tasks run once)."""
        return take_once(self.leases, f"tick.{name}", period - TICK_MARGIN)

    @property
    def follow_up_delay(self) -> float:
        """Seconds until work another holder took is looked at again: half its lock's or claim's TTL."""
        return min(self.settings.lock_ttl, CLAIM_LEASE.total_seconds()) / 2

    @property
    def limits(self) -> PollLimits:
        s = self.settings
        return PollLimits(
            s.poll_interval_min, s.poll_interval_max, s.max_entries_per_poll, public_url=s.public_url
        )


@dataclass
class Tasks:
    """The task functions registered on one huey instance; each may run twice (after a crash) safely."""

    huey: Huey
    runtime: Runtime

    def __post_init__(self) -> None:
        runtime = self.runtime

        @self.huey.task(name="process_pending")
        def process_pending_task() -> int | None:
            """Enrich claimed batches of new articles (any number of workers at once), then assign stories.

            Story assignment runs in one consumer at a time: a run that finds the lock held leaves the new
            articles to the holder, which looks again for articles awaiting a story after letting go.
            Articles enriched, or None when another consumer held the lock.
            """
            runtime.models_ready.wait()
            with timing(runtime.stage_times, "enrich"):
                report = enrich_pending(runtime.store, llm=runtime.llm, stop=STOPPING.is_set)
            if STOPPING.is_set():  # shutting down after the batch in hand: another worker takes the rest
                process_pending_task()
                return report.processed
            if assignment_can_wait(runtime):
                follow_up(runtime, process_pending_task)  # the worker enriching may have died meanwhile
                return report.processed  # the worker enriching now assigns when it is done, in order
            if assign_stories_in_turn(runtime):
                return report.processed
            follow_up(runtime, process_pending_task)  # in case the lock's holder died before assigning these
            return None

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
            with timing(runtime.stage_times, "poll"):
                report = poll_source(runtime.store, runtime.fetcher, source_id, runtime.limits)
            if report.new or report.updated:
                process_pending_task()
                copy_images_task()
            return report_dict(report)

        @self.huey.task(retries=5, retry_delay=10, name="ingest_push")
        def ingest_push_task(subscription_id: str, body: bytes, content_type: str) -> dict[str, object]:
            """Ingest what a WebSub hub pushed (the callback only checked and queued it)."""
            with timing(runtime.stage_times, "poll"):
                report = ingest_push(
                    runtime.store, runtime.fetcher, subscription_id, body, content_type, runtime.limits
                )
            if report.new or report.updated:
                process_pending_task()
                copy_images_task()
            return report_dict(report)

        @self.huey.periodic_task(crontab(minute="17"), name="renew_push_subscriptions")
        def renew_push_subscriptions() -> None:
            """Renew WebSub leases before they end; unsubscribe from removed or disabled sources' hubs."""
            if runtime.first_this_period("renew_push_subscriptions", 3600):
                renew_subscriptions(runtime.store, runtime.fetcher, runtime.settings.public_url)

        @self.huey.task(name="enqueue_due_sources")
        def enqueue_due_sources() -> int:
            with runtime.store.session() as session:
                ids = due_source_ids(session)
            for source_id in ids:
                poll_source_task(source_id)
            return len(ids)

        @self.huey.periodic_task(crontab(minute="*"), name="poll_due_sources")
        def poll_due_sources() -> int:
            if not runtime.first_this_period("poll_due_sources", 60):
                return 0
            return int(enqueue_due_sources.call_local())

        @self.huey.periodic_task(crontab(minute="*"), name="process_pending_periodic")
        def process_pending_periodic() -> None:
            """Process what no queued task will: a task lost with the queue (Redis restarted), a killed
            worker's batch once its claim ran out. Finding nothing pending costs a few queries."""
            if runtime.first_this_period("process_pending_periodic", 60):
                process_pending_task()

        @self.huey.signal(SIGNAL_INTERRUPTED)
        def requeue_interrupted(signal: str, task: Task, *args: object) -> None:
            """A task cut short by shutdown goes back on the queue (every task is safe to run again)."""
            log.info("requeued %s cut short by shutdown", task.name, extra={"task": task.name})
            self.huey.enqueue(task)

        @self.huey.periodic_task(crontab(minute="*/2"), name="copy_images_periodic")
        def copy_images_periodic() -> None:
            copy_images_task()

        self.poll_source = poll_source_task
        self.ingest_push = ingest_push_task
        self.renew_push_subscriptions = renew_push_subscriptions
        self.copy_images = copy_images_task
        self.enqueue_due_sources = enqueue_due_sources
        self.poll_due_sources = poll_due_sources
        self.process_pending = process_pending_task


def set_event(event: threading.Event) -> threading.Event:
    event.set()
    return event


FOLLOW_UP = "follow-up.process_pending"  # one follow-up run queued at a time


def follow_up(runtime: Runtime, task: TaskWrapper) -> None:
    """Queue one more processing run after ``runtime.follow_up_delay`` (one for the deployment at a time).

    A run leaves work to another holder (the processing lock, claimed articles); if that holder was killed,
    its hold runs out and nothing else would look at the work before the next periodic run.
    """
    delay = runtime.follow_up_delay
    if take_once(runtime.leases, FOLLOW_UP, delay):
        task.schedule(delay=delay)


MAX_STORY_WAIT = timedelta(seconds=60)  # an article waits no longer for its story while others are enriched


def assignment_can_wait(runtime: Runtime) -> bool:
    """True while another worker enriches articles (it assigns stories when done, so the stream keeps its
    order as one worker would see it), unless an article has waited for its story longer than MAX_STORY_WAIT.
    """
    with runtime.store.session() as session:
        if not enrichment_in_flight(session):
            return False
        oldest = oldest_awaiting_story(session)
    return oldest is None or utcnow() - oldest < MAX_STORY_WAIT


ASSIGN_ROUNDS = 3  # times a holder takes the lock again for articles that arrived while it assigned


def assign_stories_in_turn(runtime: Runtime) -> bool:
    """Assign stories under the processing lock; False when another consumer holds it.

    After letting go the holder looks for articles still awaiting a story: one enriched by a worker
    whose try for the lock failed meanwhile is never left behind.
    """
    for _ in range(ASSIGN_ROUNDS):
        with holding(runtime.leases, PROCESS_LOCK, runtime.settings.lock_ttl) as held:
            if not held:
                return False
            with timing(runtime.stage_times, "stories"):
                assign_and_summarise(runtime.store, runtime.llm)
        with runtime.store.session() as session:
            if not awaiting_story(session):
                break
    return True


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
