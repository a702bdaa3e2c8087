"""WebSub subscriptions: subscribe where a polled feed names a hub, renew leases, unsubscribe."""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from newsdesk.fetch import Fetcher, FetchError
from newsdesk.fetch.forms import post_form
from newsdesk.fetch.guard import Allowed
from newsdesk.sources.websub import PushTopic
from newsdesk.store import Store, transaction
from newsdesk.store.models import utcnow
from newsdesk.store.websub import (
    FAILED,
    LEASE_ASKED,
    REQUESTED,
    UNSUBSCRIBING,
    PushSubscription,
    list_subscriptions,
    mark_requested,
    record_error,
    request_is_due,
    start_subscription,
    subscription_of,
    wanted,
)

log = logging.getLogger("newsdesk.pipeline.hubs")
CALLBACK_PATH = "/websub/callback/"
_told_no_public_url = False


def callback_url(public_url: str, subscription_id: str) -> str:
    return public_url.rstrip("/") + CALLBACK_PATH + subscription_id


def can_subscribe(public_url: str) -> bool:
    """True with a public URL to give hubs; without one, say once (at info level) why nothing is pushed."""
    global _told_no_public_url
    if public_url:
        return True
    if not _told_no_public_url:
        _told_no_public_url = True
        log.info("a feed names a WebSub hub, but no push subscription is made: hubs need NEWSDESK_PUBLIC_URL")
    return False


def keeps_secret_safe(hub: str, allowed: Allowed) -> bool:
    """True when a hub may be given ``hub.secret``: over HTTPS, or a hub on the allow-list (local)."""
    parts = urlsplit(hub)
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return any(isinstance(item, str) and item.lower() == host.lower() for item in allowed)
    return any(not isinstance(item, str) and address in item for item in allowed)


def subscribe_if_advertised(
    store: Store, fetcher: Fetcher, source_id: int, found: PushTopic, public_url: str
) -> str:
    """After a poll found a hub: subscribe, unless a subscription to it runs; what was done (a word)."""
    if not can_subscribe(public_url):
        return "no public URL"
    if not keeps_secret_safe(found.hub, fetcher.policy.allowed):
        log.info(
            "WebSub hub %s is not HTTPS: no push subscription (its secret would travel in clear)", found.hub
        )
        return "hub not https"
    with transaction(store.sessions) as session:
        current = subscription_of(session, source_id)
        same = current is not None and (current.hub, current.topic) == (found.hub, found.topic)
        if current is not None and same and not request_is_due(current, utcnow()):
            return "kept"
        if current is None or not same:
            current = start_subscription(session, source_id, found.hub, found.topic)
        mark_requested(current, utcnow())
        subscription_id = current.id
    return ask_hub(store, fetcher, subscription_id, public_url, "subscribe")


def ask_hub(store: Store, fetcher: Fetcher, subscription_id: str, public_url: str, mode: str) -> str:
    """Send a subscribe or unsubscribe request; the hub then verifies it at the callback. A word back."""
    with store.session() as session:
        subscription = session.get(PushSubscription, subscription_id)
        if subscription is None:
            return "gone"
        hub, topic, secret = subscription.hub, subscription.topic, subscription.secret
    fields = {
        "hub.mode": mode,
        "hub.topic": topic,
        "hub.callback": callback_url(public_url, subscription_id),
    }
    if mode == "subscribe":
        fields |= {"hub.secret": secret, "hub.lease_seconds": str(LEASE_ASKED)}
    try:
        post_form(fetcher, hub, fields)
    except FetchError as exc:
        return _record_refusal(store, subscription_id, mode, exc)
    return "requested"


def _record_refusal(store: Store, subscription_id: str, mode: str, exc: FetchError) -> str:
    """Keep a failed request's error on its row; a hub that knows nothing to unsubscribe ends the row."""
    log.info("WebSub %s request failed", mode, extra={"subscription": subscription_id, "error": str(exc)})
    with transaction(store.sessions) as session:
        subscription = session.get(PushSubscription, subscription_id)
        if subscription is None:
            return "gone"
        if mode == "unsubscribe" and exc.status in (404, 410):
            session.delete(subscription)
            return "unsubscribed"
        if subscription.state == REQUESTED:
            subscription.state = FAILED
        record_error(subscription, f"{mode} request failed: {exc}")
    return "failed"


@dataclass
class RenewReport:
    renewed: int = 0
    unsubscribed: int = 0
    failed: int = 0


def renew_subscriptions(
    store: Store, fetcher: Fetcher, public_url: str, now: datetime | None = None
) -> RenewReport:
    """Renew leases about to end, ask again where a request came to nothing, and unsubscribe from the
    hubs of sources removed or disabled (the periodic job and `newsdesk websub renew`)."""
    report = RenewReport()
    if not public_url:
        return report  # no subscription can have been made, and none can be kept
    now = now or utcnow()
    for subscription_id, mode in _requests_due(store, now):
        outcome = ask_hub(store, fetcher, subscription_id, public_url, mode)
        if outcome == "failed":
            report.failed += 1
        elif mode == "unsubscribe":
            report.unsubscribed += 1
        else:
            report.renewed += 1
    return report


def _requests_due(store: Store, now: datetime) -> list[tuple[str, str]]:
    """(subscription, mode) to send now; a row not wanted whose lease has run out is simply dropped."""
    due = []
    with transaction(store.sessions) as session:
        for subscription in list_subscriptions(session):
            if not wanted(session, subscription):
                if (subscription.lease_expires_at or now) <= now:
                    session.delete(subscription)  # nothing runs at the hub (any more): nothing to end
                    continue
                if subscription.state != UNSUBSCRIBING:
                    subscription.state, subscription.requested_at = UNSUBSCRIBING, now
                    due.append((subscription.id, "unsubscribe"))
                elif request_is_due(subscription, now):
                    subscription.requested_at = now
                    due.append((subscription.id, "unsubscribe"))
            elif request_is_due(subscription, now):
                mark_requested(subscription, now)
                due.append((subscription.id, "subscribe"))
    return due
