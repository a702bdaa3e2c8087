"""/healthz (is the process up, and no job lock stuck) and /readyz (store, queue and schema ready)."""

from __future__ import annotations

import sqlite3

import redis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from newsdesk import __version__
from newsdesk.jobs.locks import lock_health, lock_status
from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store.db import current_revision, head_revision


def check_store(store: Store) -> str:
    """ "ok" when the store answers a query, else the error's name."""
    try:
        with store.engine.connect() as connection:
            connection.execute(text("select 1"))
    except SQLAlchemyError as exc:
        return exc.__class__.__name__
    return "ok"


def check_migrations(store: Store, head: str) -> str:
    """ "ok" when the store's schema is at the newest migration this code knows."""
    try:
        revision = current_revision(store.engine)
    except SQLAlchemyError as exc:
        return exc.__class__.__name__
    return "ok" if revision == head else f"at {revision}, expected {head}: run newsdesk db upgrade"


def check_queue(settings: Settings) -> str:
    """ "ok" when the job queue (Redis, or the SQLite queue file) can be read."""
    try:
        lock_status(settings)
    except (redis.RedisError, sqlite3.Error) as exc:
        return exc.__class__.__name__
    return "ok"


def add_health_routes(app: FastAPI, settings: Settings, store: Store) -> None:
    head = head_revision()

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, object]:
        # "degraded" when a job lock outlived its holder (a killed worker) or the locks cannot be read
        return {"version": __version__, **lock_health(settings)}

    @app.get("/readyz", include_in_schema=False)
    def ready() -> JSONResponse:
        """200 when this process can serve: store and queue reachable, schema current; 503 otherwise."""
        checks = {
            "store": check_store(store),
            "migrations": check_migrations(store, head),
            "queue": check_queue(settings),
        }
        ok = all(value == "ok" for value in checks.values())
        body = {"status": "ready" if ok else "not ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})
