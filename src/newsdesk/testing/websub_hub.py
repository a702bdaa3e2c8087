"""A small WebSub hub (and publisher) on loopback for tests: subscribe, verify intent, publish signed.

It verifies each request before it answers 202 (the answer does not depend on the outcome), so a test
sees the subscription's state right after the subscriber's request returns. It reaches callbacks with
any httpx client: a TestClient calls the site in-process.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import httpx
from fastapi.testclient import TestClient

from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.jobs.queue import make_huey
from newsdesk.jobs.tasks import register_tasks
from newsdesk.pipeline.ingest import PollLimits, PollReport, poll_source
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.models import utcnow
from newsdesk.store.sources import SourceSpec, add_source
from newsdesk.store.websub import PushSubscription, subscription_of
from newsdesk.web.app import create_app


@dataclass
class HubSubscription:
    topic: str
    callback: str
    secret: str
    lease_seconds: int


@dataclass
class LocalHub:
    """The hub at /hub, feeds at any other path (``feeds``: path → (body, Link header))."""

    client: httpx.Client
    max_lease: int = 3600
    feeds: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)  # every subscription request's form
    verifications: list[tuple[str, int, bool]] = field(default_factory=list)  # mode, status, echoed
    subscriptions: dict[str, HubSubscription] = field(default_factory=dict)  # by callback
    refuse_with: int = 0  # answer subscription requests with this status instead (0: accept)

    def __post_init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(2)

    def handle_request(self, form: dict[str, str]) -> int:
        """A subscribe or unsubscribe request: verified at once with the callback, then 202."""
        self.requests.append(form)
        if self.refuse_with:
            return self.refuse_with
        mode, callback = form.get("hub.mode", ""), form.get("hub.callback", "")
        if mode not in ("subscribe", "unsubscribe") or not callback or not form.get("hub.topic"):
            return 400
        lease = min(int(form.get("hub.lease_seconds") or self.max_lease), self.max_lease)
        if self.verify(mode, callback, form["hub.topic"], lease):
            if mode == "subscribe":
                secret = form.get("hub.secret", "")
                self.subscriptions[callback] = HubSubscription(form["hub.topic"], callback, secret, lease)
            else:
                self.subscriptions.pop(callback, None)
        return 202

    def verify(self, mode: str, callback: str, topic: str, lease: int) -> bool:
        """GET the callback with a challenge: verified when it answers 2xx with the challenge itself."""
        challenge = secrets.token_urlsafe(16)
        params = {"hub.mode": mode, "hub.topic": topic, "hub.challenge": challenge}
        if mode == "subscribe":
            params["hub.lease_seconds"] = str(lease)
        response = self.client.get(callback, params=params)
        echoed = response.is_success and response.text == challenge
        self.verifications.append((mode, response.status_code, echoed))
        return echoed

    def publish(
        self, topic: str, body: bytes, *, method: str = "sha256", secret: str | None = None
    ) -> list[int]:
        """Send ``body`` to every subscriber of ``topic``, signed with its secret (or ``secret``);
        method '' sends no signature. The callbacks' statuses."""
        statuses = []
        for sub in [s for s in self.subscriptions.values() if s.topic == topic]:
            headers = {
                "Content-Type": "application/atom+xml",
                "Link": f'<{self.url("/hub")}>; rel="hub", <{topic}>; rel="self"',
            }
            key = (sub.secret if secret is None else secret).encode()
            if method:
                headers["X-Hub-Signature"] = f"{method}={hmac.new(key, body, method).hexdigest()}"
            statuses.append(self.client.post(sub.callback, content=body, headers=headers).status_code)
        return statuses

    def deny(self, callback: str, topic: str, reason: str) -> int:
        """Tell a subscriber its subscription is denied (hub.mode=denied)."""
        params = {"hub.mode": "denied", "hub.topic": topic, "hub.reason": reason}
        return self.client.get(callback, params=params).status_code


def _handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            self._answer(hub.handle_request(form) if self.path == "/hub" else 404, b"", "")

        def do_GET(self) -> None:
            body, links = hub.feeds.get(self.path, (b"", ""))
            self._answer(200 if body else 404, body, links)

        def _answer(self, status: int, body: bytes, links: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/atom+xml")
            if links:
                self.send_header("Link", links)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


def atom(entries: list[tuple[str, str, str]], site: str, hub: str = "", self_url: str = "") -> bytes:
    """An Atom feed of the site's (id, title, text) entries (no pages of their own: the feed's text is
    theirs), naming a hub and a self link when given."""
    links = (
        f'<link rel="alternate" href="{site}"/>'
        + (f'<link rel="hub" href="{hub}"/>' if hub else "")
        + (f'<link rel="self" href="{self_url}"/>' if self_url else "")
    )
    stamp = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")  # within the days polls plan on
    items = "".join(
        f"<entry><id>{key}</id><title>{title}</title><updated>{stamp}</updated>"
        f'<content type="html">&lt;p&gt;{text}&lt;/p&gt;</content></entry>'
        for key, title, text in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Pushed</title>'
        f"<id>urn:pushed</id><updated>{stamp}</updated>{links}{items}</feed>"
    ).encode()


@dataclass
class PushSite:
    """A site with public URL http://testserver, its store, a hub and a feed there that names it."""

    store: Store
    client: TestClient
    hub: LocalHub
    fetcher: Fetcher
    limits: PollLimits
    source_id: int
    feed_url: str
    topic: str

    def poll(self) -> PollReport:
        return poll_source(self.store, self.fetcher, self.source_id, self.limits, force=True)

    def subscription(self) -> PushSubscription:
        with self.store.session() as session:
            found = subscription_of(session, self.source_id)
        assert found is not None, "no push subscription"
        return found

    def serve(self, entries: list[tuple[str, str, str]], links: str = "") -> bytes:
        """Serve the feed with these entries (naming the hub in the feed unless ``links`` names it)."""
        body = atom(entries, self.hub.url("/"), "" if links else self.hub.url("/hub"), self.topic)
        self.hub.feeds[urlsplit(self.feed_url).path] = (body, links)
        return body


@contextmanager
def push_site(settings: Settings) -> Iterator[PushSite]:
    """The site (pushes ingested at once by the real task, huey in immediate mode), the hub, a source."""
    settings = settings.model_copy(update={"public_url": "http://testserver"})
    store = open_store(settings.database_url)
    client = TestClient(create_app(settings, store))
    tasks = register_tasks(make_huey(settings, immediate=True), settings)
    client.app.state.enqueue_push = tasks.ingest_push  # type: ignore[attr-defined]
    hub = LocalHub(client)
    fetcher = make_fetcher(settings)
    feed_url = hub.url("/feed.xml")
    with transaction(store.sessions) as session:
        source, _ = add_source(session, SourceSpec(feed_url=feed_url, name="Pushed Post"))
    limits = replace(tasks.runtime.limits, fetch_pages=False)
    try:
        yield PushSite(store, client, hub, fetcher, limits, source.id, feed_url, hub.url("/topic.xml"))
    finally:
        hub.stop()
        fetcher.close()
        store.close()
