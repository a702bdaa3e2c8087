"""WebSub push subscriptions in the store: one per source, its secret, state, lease and last error."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from newsdesk.sources.websub import signature_matches
from newsdesk.store.models import Base, Source, utcnow

REQUESTED, ACTIVE, DENIED, FAILED, UNSUBSCRIBING = "requested", "active", "denied", "failed", "unsubscribing"
LEASE_ASKED = 10 * 24 * 3600  # seconds of lease asked of a hub (the hub decides; it says how long)
LEASE_BOUNDS = (60, 365 * 24 * 3600)  # a lease a hub grants, kept within these
RETRY_AFTER = timedelta(hours=6)  # a request that failed, was denied or never verified is made again
RENEW_WAIT = timedelta(hours=1)  # a renewal sent is given this long to be verified before another
RENEW_MARGIN = timedelta(hours=3)  # renewed this long (or a tenth of the lease if longer) before it ends


class PushSubscription(Base):
    """A subscription at a WebSub hub: the hub pushes the topic's new content to /websub/callback/ID."""

    __tablename__ = "push_subscriptions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random: the callback URL's secret part
    # NULL once the source is deleted: the renewal job still unsubscribes at the hub, then drops the row.
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), unique=True, default=None
    )
    hub: Mapped[str] = mapped_column(String(2000))
    topic: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))  # hub.secret: pushes are signed with it (HMAC)
    state: Mapped[str] = mapped_column(String(20), default=REQUESTED)
    lease_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    last_push_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    last_error_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def subscription_of(session: Session, source_id: int) -> PushSubscription | None:
    return session.scalars(select(PushSubscription).where(PushSubscription.source_id == source_id)).first()


def list_subscriptions(session: Session) -> list[PushSubscription]:
    return list(session.scalars(select(PushSubscription).order_by(PushSubscription.created_at)))


def start_subscription(session: Session, source_id: int, hub: str, topic: str) -> PushSubscription:
    """A new subscription of the source (replacing one at another hub or topic), with a fresh id and secret.

    The replaced row's callback then answers 410 Gone, which tells its hub to stop.
    """
    old = subscription_of(session, source_id)
    if old is not None:
        session.delete(old)
        session.flush()
    subscription = PushSubscription(
        id=secrets.token_urlsafe(32),
        source_id=source_id,
        hub=hub[:2000],
        topic=topic[:2000],
        secret=secrets.token_hex(32),
        state=REQUESTED,
        requested_at=utcnow(),
    )
    session.add(subscription)
    session.flush()
    return subscription


def mark_requested(subscription: PushSubscription, now: datetime) -> None:
    """A subscription request goes out (again): a running lease stays active until the hub says more."""
    subscription.requested_at = now
    if subscription.state != ACTIVE:
        subscription.state = REQUESTED


def renewal_margin(subscription: PushSubscription) -> timedelta:
    return max(RENEW_MARGIN, timedelta(seconds=(subscription.lease_seconds or 0) / 10))


def request_is_due(subscription: PushSubscription, now: datetime) -> bool:
    """True when the hub should be asked (again): a lease about to end, or a request that came to nothing."""
    since_request = now - subscription.requested_at
    if subscription.state == ACTIVE:
        ends = subscription.lease_expires_at
        return since_request >= RENEW_WAIT and (ends is None or now >= ends - renewal_margin(subscription))
    if subscription.state == UNSUBSCRIBING:
        return since_request >= RENEW_WAIT
    return since_request >= RETRY_AFTER


def is_pushed(session: Session, source_id: int, now: datetime | None = None) -> bool:
    """True while the source has a verified subscription whose lease runs: polling may slow down."""
    found = subscription_of(session, source_id)
    now = now or utcnow()
    return found is not None and found.state == ACTIVE and (found.lease_expires_at or now) > now


def wanted(session: Session, subscription: PushSubscription) -> bool:
    """True when newsdesk wants this subscription: its source is there and enabled, no unsubscribe runs."""
    if subscription.state == UNSUBSCRIBING or subscription.source_id is None:
        return False
    source = session.get(Source, subscription.source_id)
    return source is not None and source.enabled


def confirm_intent(
    session: Session, subscription_id: str, mode: str, topic: str, lease_seconds: str, now: datetime
) -> bool:
    """Answer a hub's verification of intent: True (echo the challenge) only for what newsdesk asked."""
    subscription = session.get(PushSubscription, subscription_id)
    if subscription is None or topic != subscription.topic:
        return False
    if mode == "unsubscribe":
        if subscription.state != UNSUBSCRIBING:
            return False
        session.delete(subscription)
        return True
    if mode != "subscribe" or not wanted(session, subscription):
        return False
    lease = int(lease_seconds) if lease_seconds.isascii() and lease_seconds.isdigit() else LEASE_ASKED
    lease = min(max(lease, LEASE_BOUNDS[0]), LEASE_BOUNDS[1])
    subscription.state, subscription.verified_at = ACTIVE, now
    subscription.lease_seconds, subscription.lease_expires_at = lease, now + timedelta(seconds=lease)
    subscription.last_error = subscription.last_error_at = None
    return True


def record_denial(session: Session, subscription_id: str, topic: str, reason: str) -> bool:
    """The hub refused the subscription (hub.mode=denied): kept on the row, asked again later."""
    subscription = session.get(PushSubscription, subscription_id)
    if subscription is None or topic != subscription.topic:
        return False
    subscription.state = DENIED
    record_error(subscription, f"the hub denied the subscription: {reason or 'no reason given'}")
    return True


def record_error(subscription: PushSubscription, error: str) -> None:
    subscription.last_error, subscription.last_error_at = error[:2000], utcnow()


@dataclass(frozen=True)
class PushCheck:
    """What a pushed body is: 'gone' (no subscription wants it), 'ignored' (bad signature) or 'accepted'."""

    outcome: str
    source_id: int | None = None


def check_push(session: Session, subscription_id: str, body: bytes, signature: str | None) -> PushCheck:
    """Judge a content distribution request; a missing or wrong signature is recorded on the row."""
    subscription = session.get(PushSubscription, subscription_id)
    if subscription is None or not wanted(session, subscription):
        return PushCheck("gone")
    if not signature_matches(subscription.secret, body, signature):
        record_error(subscription, "a push without a valid X-Hub-Signature was ignored")
        return PushCheck("ignored", subscription.source_id)
    return PushCheck("accepted", subscription.source_id)
