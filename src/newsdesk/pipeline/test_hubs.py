"""WebSub subscriptions with a local hub: made after a poll, renewed in time, ended when unwanted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsdesk.pipeline.hubs import RenewReport, renew_subscriptions
from newsdesk.settings import Settings
from newsdesk.store import transaction
from newsdesk.store.models import Source, utcnow
from newsdesk.store.sources import delete_source
from newsdesk.store.websub import ACTIVE, FAILED, PushSubscription
from newsdesk.testing.websub_hub import PushSite, push_site

ENTRIES = [
    ("urn:1", "Ferry timetable changes", "The ferry leaves at nine from Monday on."),
    ("urn:2", "Bridge closed overnight", "Works close the bridge from ten until six."),
]


@pytest.fixture
def site(settings: Settings) -> Iterator[PushSite]:
    with push_site(settings) as pushed:
        yield pushed


def poll_interval(site: PushSite) -> int | None:
    with site.store.session() as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        return source.poll_interval


def renew(site: PushSite, **shift: timedelta) -> RenewReport:
    """Move the subscription's times back or forth (by now + delta), then run the renewal job."""
    if shift:
        with transaction(site.store.sessions) as session:
            subscription = session.get(PushSubscription, site.subscription().id)
            assert subscription is not None
            for name, delta in shift.items():
                setattr(subscription, name, utcnow() + delta)
    return renew_subscriptions(site.store, site.fetcher, "http://testserver")


def test_a_source_pushed_to_is_polled_at_its_longest_interval_only(site: PushSite) -> None:
    site.serve(ENTRIES)
    assert site.poll().new == 2
    assert (
        poll_interval(site) == site.limits.interval_min
    )  # it publishes often; the push was not verified yet
    assert site.subscription().state == ACTIVE
    site.serve([*ENTRIES, ("urn:3", "Market moves", "The market moves to the square.")])
    assert site.poll().new == 1  # still polled: the fallback
    assert poll_interval(site) == site.limits.interval_max


def test_link_headers_name_the_hub_and_topic(site: PushSite) -> None:
    site.serve(ENTRIES, links=f'<{site.hub.url("/hub")}>; rel="hub", </header-topic.xml>; rel="self"')
    site.poll()
    assert site.subscription().topic == site.hub.url("/header-topic.xml")
    assert site.hub.requests[0]["hub.topic"] == site.hub.url("/header-topic.xml")


def test_a_public_hub_without_https_is_not_given_a_secret(site: PushSite) -> None:
    # WebSub: hub.secret only over HTTPS. A hub of one's own network (the allow-list) may be plain HTTP.
    site.serve(ENTRIES, links='<http://hub.example/hub>; rel="hub", </feed.xml>; rel="self"')
    assert site.poll().new == 2  # polled as before
    with site.store.session() as session:
        assert session.scalars(select(PushSubscription)).all() == []
    assert site.hub.requests == []


def test_a_second_poll_keeps_the_running_subscription(site: PushSite) -> None:
    site.serve(ENTRIES)
    site.poll()
    first = site.subscription().id
    site.serve(ENTRIES[:1])
    site.poll()
    assert (len(site.hub.requests), site.subscription().id) == (1, first)


def test_without_a_public_url_nothing_is_subscribed_and_that_is_said_once(
    site: PushSite, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsdesk.pipeline.hubs._told_no_public_url", False)
    site.limits = replace(site.limits, public_url="")
    site.serve(ENTRIES)
    with caplog.at_level(logging.INFO, logger="newsdesk.pipeline.hubs"):
        assert site.poll().status == "ok"
        site.serve(ENTRIES[:1])
        site.poll()
    told = [r for r in caplog.records if "NEWSDESK_PUBLIC_URL" in r.getMessage()]
    assert len(told) == 1 and told[0].levelno == logging.INFO
    assert site.hub.requests == []
    with site.store.session() as session:
        assert session.scalars(select(PushSubscription)).first() is None


def test_a_hub_that_refuses_leaves_its_reason_on_the_subscription(site: PushSite) -> None:
    site.hub.refuse_with = 400
    site.serve(ENTRIES)
    assert site.poll().status == "ok"  # the poll itself went well
    subscription = site.subscription()
    assert subscription.state == FAILED
    assert subscription.last_error == "subscribe request failed: HTTP 400 from 127.0.0.1"


def test_a_lease_about_to_end_is_renewed_once(site: PushSite) -> None:
    site.serve(ENTRIES)
    site.poll()
    report = renew(site, lease_expires_at=timedelta(minutes=10), requested_at=timedelta(hours=-2))
    assert (report.renewed, report.failed) == (1, 0)
    assert [r["hub.mode"] for r in site.hub.requests] == ["subscribe", "subscribe"]
    assert site.hub.verifications[-1] == ("subscribe", 200, True)
    subscription = site.subscription()
    assert subscription.state == ACTIVE and subscription.lease_expires_at is not None
    assert subscription.lease_expires_at > utcnow() + timedelta(minutes=55)
    assert renew(site).renewed == 0  # just renewed: nothing to do
    assert len(site.hub.requests) == 2


@pytest.mark.parametrize("how", ["disabled", "deleted"])
def test_the_hub_is_told_to_unsubscribe_when_the_source_goes(site: PushSite, how: str) -> None:
    site.serve(ENTRIES)
    site.poll()
    callback = f"/websub/callback/{site.subscription().id}"
    with transaction(site.store.sessions) as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        if how == "disabled":
            source.enabled = False
        else:
            delete_source(session, source)
    assert renew(site).unsubscribed == 1
    assert site.hub.requests[-1]["hub.mode"] == "unsubscribe"
    assert site.hub.verifications[-1] == ("unsubscribe", 200, True)
    assert site.hub.subscriptions == {}
    with site.store.session() as session:
        assert session.scalars(select(PushSubscription)).first() is None
    assert site.client.post(callback, content=b"<feed/>").status_code == 410


def test_an_unwanted_subscription_whose_lease_ran_out_is_dropped_without_a_request(site: PushSite) -> None:
    site.serve(ENTRIES)
    site.poll()
    with transaction(site.store.sessions) as session:
        source = session.get(Source, site.source_id)
        assert source is not None
        source.enabled = False
    renew(site, lease_expires_at=timedelta(minutes=-1))
    assert [r["hub.mode"] for r in site.hub.requests] == ["subscribe"]
    with site.store.session() as session:
        assert session.scalars(select(PushSubscription)).first() is None
