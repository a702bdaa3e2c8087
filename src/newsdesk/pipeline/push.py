"""WebSub push: what a hub pushes is ingested as a poll of its source would be, through the same path."""

from __future__ import annotations

import logging

from newsdesk.fetch import Fetcher
from newsdesk.pipeline.ingest import PollLimits, PollReport, ingest_feed
from newsdesk.sources import FeedError
from newsdesk.sources.bounded import parse_feed_bounded
from newsdesk.store import Store, transaction
from newsdesk.store.models import Source, utcnow
from newsdesk.store.sources import claim_source, keep_source_leased, record_failure, release_source
from newsdesk.store.websub import PushSubscription, record_error

log = logging.getLogger("newsdesk.pipeline.push")


class SourceBusy(RuntimeError):
    """A poll holds the source: the pushed content is ingested when it is done (the task is retried)."""


def ingest_push(
    store: Store, fetcher: Fetcher, subscription_id: str, body: bytes, content_type: str, limits: PollLimits
) -> PollReport:
    """Ingest a pushed body as a poll of its source would: the same entry path, errors kept on the source."""
    with store.session() as session:
        subscription = session.get(PushSubscription, subscription_id)
        source_id = subscription.source_id if subscription is not None else None
        topic = subscription.topic if subscription is not None else ""
    report = PollReport(source_id or 0)
    if source_id is None:
        report.status = "skipped"
        return report
    with store.engine.begin() as connection:
        leased = claim_source(connection, source_id, force=True) is not None
    if not leased:
        return _not_leased(store, source_id, report)
    with keep_source_leased(store.engine, source_id):
        try:
            feed = parse_feed_bounded(body, topic, content_type)
            ingest_feed(store, fetcher, source_id, (topic, feed), limits, report)
        except FeedError as exc:
            return _record_bad_push(store, subscription_id, source_id, exc, report)
        finally:  # a bug must not leave the source leased either
            with store.engine.begin() as connection:
                release_source(connection, source_id)
    with transaction(store.sessions) as session:
        subscription = session.get(PushSubscription, subscription_id)
        if subscription is not None:
            subscription.last_push_at = utcnow()
    return report


def _not_leased(store: Store, source_id: int, report: PollReport) -> PollReport:
    """A disabled source takes no pushes; an enabled one is being polled: try again once it is done."""
    with store.session() as session:
        source = session.get(Source, source_id)
        enabled = source is not None and source.enabled
    if enabled:
        raise SourceBusy(f"source {source_id} is being polled")
    report.status = "skipped"
    return report


def _record_bad_push(
    store: Store, subscription_id: str, source_id: int, exc: FeedError, report: PollReport
) -> PollReport:
    """A pushed body that is not a feed counts as a failed poll of its source, which is polled again now."""
    report.status, report.error = "failed", f"pushed content: {exc}"
    with transaction(store.sessions) as session:
        source = session.get(Source, source_id)
        if source is not None:
            record_failure(session, source, report.error, utcnow())
        subscription = session.get(PushSubscription, subscription_id)
        if subscription is not None:
            record_error(subscription, report.error)
    log.warning("pushed content not read", extra={"source_id": source_id, "error": report.error})
    return report
