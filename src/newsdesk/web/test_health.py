"""/healthz: the job locks held, and "degraded" when one outlived its holder."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from newsdesk import __version__
from newsdesk.jobs.locks import Lease, open_leases, this_holder
from newsdesk.jobs.queue import make_huey
from newsdesk.settings import Settings
from newsdesk.web.app import create_app


def test_health_reports_held_locks_and_is_degraded_by_a_stale_one(settings: Settings) -> None:
    client = TestClient(create_app(settings))
    assert client.get("/healthz").json() == {"version": __version__, "status": "ok", "locks": []}
    make_huey(settings)
    leases = open_leases(settings)
    held = Lease("process-pending", this_holder(), "t1", time.time())
    assert leases.take(held, ttl=30)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert [(lock["name"], lock["holder"], lock["stale"]) for lock in body["locks"]] == [
        ("process-pending", this_holder(), False)
    ]
    assert leases.take(Lease("dead-worker", "elsewhere:4242", "t2", time.time() - 60), ttl=0.01)
    time.sleep(0.05)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert {lock["holder"]: lock["stale"] for lock in body["locks"]} == {
        this_holder(): False,
        "elsewhere:4242": True,
    }
    assert body["locks"][0]["since"].endswith("Z") or "+00:00" in body["locks"][0]["since"]


def test_health_is_degraded_when_the_locks_cannot_be_read(settings: Settings) -> None:
    from pydantic import SecretStr

    from newsdesk.demo.publisher import free_port

    unreachable = settings.model_copy(update={"redis_url": SecretStr(f"redis://127.0.0.1:{free_port()}/0")})
    body = TestClient(create_app(unreachable)).get("/healthz").json()
    assert body == {
        "version": __version__,
        "status": "degraded",
        "locks": [],
        "locks_error": "ConnectionError",
    }
