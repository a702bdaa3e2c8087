"""/healthz: the job locks held, and "degraded" when one outlived its holder."""

from __future__ import annotations

import time

import pytest
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


def test_ready_when_store_queue_and_schema_are(settings: Settings) -> None:
    client = TestClient(create_app(settings))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"store": "ok", "migrations": "ok", "queue": "ok"},
    }


def test_not_ready_when_the_queue_is_unreachable(settings: Settings) -> None:
    from pydantic import SecretStr

    from newsdesk.demo.publisher import free_port

    unreachable = settings.model_copy(update={"redis_url": SecretStr(f"redis://127.0.0.1:{free_port()}/0")})
    response = TestClient(create_app(unreachable)).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"store": "ok", "migrations": "ok", "queue": "ConnectionError"}


def test_not_ready_when_the_schema_is_behind(settings: Settings) -> None:
    from newsdesk.store import open_store

    store = open_store(settings.database_url)
    client = TestClient(create_app(settings, store))
    with store.engine.begin() as connection:  # as if this code were newer than the database's schema
        connection.exec_driver_sql("update alembic_version set version_num = '0009'")
    body = client.get("/readyz").json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"].startswith("at 0009, expected ")


def test_the_app_factory_reads_its_settings_from_the_environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.settings import get_settings

    monkeypatch.setenv("NEWSDESK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("NEWSDESK_QUEUE_PATH", settings.queue_path)
    get_settings.cache_clear()
    try:
        client = TestClient(create_app())  # what `uvicorn --factory newsdesk.web.app:create_app` calls
        assert client.get("/readyz").status_code == 200
        assert client.app.state.settings.database_url == settings.database_url  # type: ignore[attr-defined]
    finally:
        get_settings.cache_clear()
