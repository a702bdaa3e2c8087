"""The WebSub callback: hubs verify subscriptions here and push new content, which a job ingests."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import Tasks, register_tasks
from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.models import utcnow
from newsdesk.store.websub import PushCheck, check_push, confirm_intent, record_denial

log = logging.getLogger("newsdesk.web.websub")
router = APIRouter(include_in_schema=False)
MAX_CHALLENGE = 1000
SUBSCRIPTION_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")  # what store.websub gives (secrets.token_urlsafe)
NO_STORE = {"Cache-Control": "no-store"}
EnqueuePush = Callable[[str, bytes, str], object]
T = TypeVar("T")


class PushQueue:
    """Hands pushed bodies to the `ingest_push` task; the queue is opened on the first push."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def tasks(self) -> Tasks:
        return register_tasks(make_huey(self.settings), self.settings)

    def __call__(self, subscription_id: str, body: bytes, content_type: str) -> object:
        return self.tasks.ingest_push(subscription_id, body, content_type)


def add_websub_routes(app: FastAPI, settings: Settings) -> None:
    """Answer hubs at /websub/callback/ID; pushes are queued for `ingest_push` (tests may swap the queue)."""
    app.state.enqueue_push = PushQueue(settings)
    app.state.max_push_bytes = settings.max_feed_bytes
    app.include_router(router)


@router.get("/websub/callback/{subscription_id}")
async def verify_intent(request: Request, subscription_id: str) -> Response:
    """Echo hub.challenge for a subscribe or unsubscribe newsdesk asked for, with its topic; else 404."""
    store: Store = request.app.state.store
    params = request.query_params
    mode, topic = params.get("hub.mode", ""), params.get("hub.topic", "")
    if not SUBSCRIPTION_ID.fullmatch(subscription_id):
        return Response(status_code=404, headers=NO_STORE)
    if mode == "denied":
        reason = params.get("hub.reason", "")[:500]
        denied = await run_in_threadpool(
            _in_transaction, store, record_denial, subscription_id, topic, reason
        )
        return Response(status_code=200 if denied else 404, headers=NO_STORE)
    challenge = params.get("hub.challenge", "")
    if mode not in ("subscribe", "unsubscribe") or not challenge or len(challenge) > MAX_CHALLENGE:
        return Response(status_code=404, headers=NO_STORE)
    lease = params.get("hub.lease_seconds", "")
    agreed = await run_in_threadpool(
        _in_transaction, store, confirm_intent, subscription_id, mode, topic, lease, utcnow()
    )
    log.info(
        "WebSub %s %s", mode, "verified" if agreed else "refused", extra={"subscription": subscription_id}
    )
    if not agreed:
        return Response(status_code=404, headers=NO_STORE)
    return PlainTextResponse(challenge, headers=NO_STORE)


@router.post("/websub/callback/{subscription_id}")
async def receive_push(request: Request, subscription_id: str) -> Response:
    """Check a pushed body's signature and queue it: 202 (a bad signature too, as WebSub allows), 410 when
    no subscription wants it (the hub may stop), 413 when it is larger than a feed may be."""
    if not SUBSCRIPTION_ID.fullmatch(subscription_id):
        return Response(status_code=410, headers=NO_STORE)
    limit: int = request.app.state.max_push_bytes
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return Response(status_code=413, headers=NO_STORE)
    store: Store = request.app.state.store
    signature = request.headers.get("x-hub-signature")
    check: PushCheck = await run_in_threadpool(
        _in_transaction, store, check_push, subscription_id, bytes(body), signature
    )
    if check.outcome == "gone":
        return Response(status_code=410, headers=NO_STORE)
    if check.outcome == "accepted":
        content_type = request.headers.get("content-type", "")[:200]
        enqueue: EnqueuePush = request.app.state.enqueue_push
        await run_in_threadpool(enqueue, subscription_id, bytes(body), content_type)
    else:
        log.warning("WebSub push ignored: no valid signature", extra={"source_id": check.source_id})
    return Response(status_code=202, headers=NO_STORE)


def _in_transaction(store: Store, action: Callable[..., T], *args: object) -> T:
    with transaction(store.sessions) as session:
        return action(session, *args)
