"""The WebSub callback with a local hub: intent verified, signed pushes ingested at once, others not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.pipeline.push import SourceBusy, ingest_push
from newsdesk.settings import Settings
from newsdesk.store import transaction
from newsdesk.store.models import Article, Source, utcnow
from newsdesk.store.websub import ACTIVE, DENIED
from newsdesk.testing.websub_hub import PushSite, push_site
from newsdesk.web.websub import PushQueue

FIRST = [("urn:1", "Ferry timetable changes", "The ferry leaves at nine from Monday on.")]
UNKNOWN = "A" * 43  # shaped like a subscription id, but none has it
SECOND = [*FIRST, ("urn:2", "Bridge closed overnight", "Works close the bridge from ten until six.")]


@pytest.fixture
def site(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[PushSite]:
    """A subscribed site; what a task would start after new articles (enrichment, images) does nothing."""
    monkeypatch.setattr("newsdesk.jobs.tasks.enrich_pending", lambda *a, **k: SimpleNamespace(processed=0))
    monkeypatch.setattr("newsdesk.jobs.tasks.assign_and_summarise", lambda *a, **k: set())
    monkeypatch.setattr(
        "newsdesk.jobs.tasks.copy_pending_images", lambda *a, **k: SimpleNamespace(articles=0)
    )
    with push_site(settings) as pushed:
        pushed.serve(FIRST)
        assert pushed.poll().new == 1
        yield pushed


def titles(site: PushSite) -> list[str]:
    with site.store.session() as session:
        return sorted(session.scalars(select(Article.title)))


def test_the_hub_verifies_the_subscription_and_gets_its_challenge_back(site: PushSite) -> None:
    (request,) = site.hub.requests
    subscription = site.subscription()
    assert request["hub.callback"] == f"http://testserver/websub/callback/{subscription.id}"
    assert request["hub.topic"] == site.topic  # the feed's self link, not the address polled
    assert request["hub.secret"] == subscription.secret and len(subscription.secret) == 64
    assert len(subscription.id) >= 40  # unguessable
    assert site.hub.verifications == [("subscribe", 200, True)]
    assert subscription.state == ACTIVE
    assert subscription.lease_seconds == site.hub.max_lease
    assert subscription.lease_expires_at is not None
    assert abs(subscription.lease_expires_at - (utcnow() + timedelta(seconds=3600))) < timedelta(seconds=30)


def test_verification_for_another_topic_or_an_unknown_id_is_refused(site: PushSite) -> None:
    callback = f"/websub/callback/{site.subscription().id}"
    ask = {"hub.mode": "subscribe", "hub.challenge": "c-123", "hub.lease_seconds": "600"}
    echoed = site.client.get(callback, params={**ask, "hub.topic": site.topic})
    assert (echoed.status_code, echoed.text) == (200, "c-123")
    assert echoed.headers["content-type"].startswith("text/plain")  # a safe type: no reflected HTML
    assert site.client.get(callback, params={**ask, "hub.topic": site.feed_url}).status_code == 404
    assert (
        site.client.get(f"/websub/callback/{UNKNOWN}", params={**ask, "hub.topic": site.topic}).status_code
        == 404
    )
    # nobody asked to unsubscribe: an unsubscribe is not confirmed
    unsubscribe = {**ask, "hub.mode": "unsubscribe", "hub.topic": site.topic}
    assert site.client.get(callback, params=unsubscribe).status_code == 404
    assert site.subscription().state == ACTIVE


def test_a_signed_push_is_ingested_at_once_as_a_poll_would_store_it(site: PushSite) -> None:
    body = site.serve(SECOND)
    assert site.hub.publish(site.topic, body) == [202]
    assert titles(site) == ["Bridge closed overnight", "Ferry timetable changes"]
    assert site.subscription().last_push_at is not None
    # polling the same feed afterwards finds nothing new: one path, nothing stored twice
    report = site.poll()
    assert (report.status, report.new, report.unchanged) == ("ok", 0, 2)
    with site.store.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 2


@pytest.mark.parametrize("method", ["sha1", "sha512"])
def test_other_signature_methods_are_accepted(site: PushSite, method: str) -> None:
    assert site.hub.publish(site.topic, site.serve(SECOND), method=method) == [202]
    assert "Bridge closed overnight" in titles(site)


def test_a_push_with_a_wrong_or_missing_signature_is_acknowledged_but_not_ingested(site: PushSite) -> None:
    body = site.serve(SECOND)
    assert site.hub.publish(site.topic, body, secret="not-the-secret") == [202]
    assert site.hub.publish(site.topic, body, method="") == [202]
    assert titles(site) == ["Ferry timetable changes"]
    assert site.subscription().last_error == "a push without a valid X-Hub-Signature was ignored"


def test_a_broken_push_is_recorded_against_the_source_which_is_polled_again(site: PushSite) -> None:
    assert site.hub.publish(site.topic, b"<html><body>Maintenance</body></html>") == [202]
    with site.store.session() as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        assert source.last_error == "pushed content: not a feed: the server sent an HTML page"
        assert source.error_count == 1 and source.failing_since is not None
        assert source.next_poll_at is not None and source.next_poll_at <= utcnow()
        assert source.lease_until is None
    assert site.subscription().last_error == "pushed content: not a feed: the server sent an HTML page"
    assert titles(site) == ["Ferry timetable changes"]


def test_pushes_for_unknown_or_disabled_subscriptions_are_gone(site: PushSite) -> None:
    assert site.client.post(f"/websub/callback/{UNKNOWN}", content=b"<feed/>").status_code == 410
    with site.store.session() as session, session.begin():
        source = session.get(Source, site.source_id)
        assert source is not None
        source.enabled = False
    assert site.hub.publish(site.topic, site.serve(SECOND)) == [410]
    assert titles(site) == ["Ferry timetable changes"]


def test_a_denial_is_kept_on_the_subscription(site: PushSite) -> None:
    callback = f"http://testserver/websub/callback/{site.subscription().id}"
    assert site.hub.deny(callback, site.feed_url, "wrong topic") == 404
    assert site.hub.deny(callback, site.topic, "this hub takes no new subscribers") == 200
    subscription = site.subscription()
    assert subscription.state == DENIED
    assert subscription.last_error == "the hub denied the subscription: this hub takes no new subscribers"


def test_a_push_larger_than_a_feed_may_be_is_refused(site: PushSite) -> None:
    site.client.app.state.max_push_bytes = 1000  # type: ignore[attr-defined]
    callback = f"/websub/callback/{site.subscription().id}"
    assert site.client.post(callback, content=b"x" * 1001).status_code == 413


def test_a_push_while_a_poll_holds_the_source_waits_for_a_retry(site: PushSite) -> None:
    body = site.serve(SECOND)
    with transaction(site.store.sessions) as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        source.lease_until = utcnow() + timedelta(seconds=60)  # a poll runs
    with pytest.raises(SourceBusy):
        ingest_push(
            site.store, site.fetcher, site.subscription().id, body, "application/atom+xml", site.limits
        )
    assert titles(site) == ["Ferry timetable changes"]
    with transaction(site.store.sessions) as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        source.lease_until = None  # the poll is done: the task's retry ingests it
    report = ingest_push(site.store, site.fetcher, site.subscription().id, body, "", site.limits)
    assert (report.status, report.new, report.unchanged) == ("ok", 1, 1)
    with site.store.session() as session:
        source = session.get(Source, site.source_id)
        assert source is not None and source.lease_until is None


def test_the_site_only_queues_a_push_for_the_worker(site: PushSite, settings: Settings) -> None:
    site.client.app.state.enqueue_push = PushQueue(settings)  # type: ignore[attr-defined]
    assert site.hub.publish(site.topic, site.serve(SECOND)) == [202]
    assert titles(site) == ["Ferry timetable changes"]  # nothing extracted in the page process
    huey = make_huey(settings)
    register_tasks(huey, settings)  # a worker's huey: it knows the tasks it reads from the queue
    queued = huey.pending()
    assert [(task.name, task.args[0]) for task in queued] == [("ingest_push", site.subscription().id)]
