"""Services the tests need (skipped locally, required in CI): their addresses, waiting for them, restarts."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("NEWSDESK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS", "redis://127.0.0.1:6379/15")


def skip_or_fail(reason: str) -> NoReturn:
    """Skip locally when a service, browser or benchmark data is missing; in CI that is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def wait_for(condition: Callable[[], object], timeout: float) -> None:
    """Wait until ``condition()`` is true (fail the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


REDIS_STOP = ["redis-cli", "-p", "6379", "shutdown", "nosave"]
REDIS_START = [
    *("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379"),
    *("--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"),
]


def postgres_command(action: str) -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]


def redis_up() -> bool:
    return subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True).stdout.strip() == b"PONG"


def postgres_up() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


def restart_redis() -> None:
    """Stop Redis without saving (the queue and every lease are lost) and start it again, empty."""
    subprocess.run(REDIS_STOP, capture_output=True)
    wait_for(lambda: not redis_up(), 10)
    subprocess.run(REDIS_START, check=True, capture_output=True)
    wait_for(redis_up, 10)


def restart_postgres() -> None:
    """Restart PostgreSQL (fast shutdown: every open connection is cut)."""
    subprocess.run(postgres_command("restart"), check=True, capture_output=True)
    wait_for(postgres_up, 30)


RESTARTS: dict[str, Callable[[], None]] = {"redis": restart_redis, "postgres": restart_postgres}


def ensure_services_up() -> None:
    """Start Redis or PostgreSQL if a restart left either down, so that later tests find them."""
    if not redis_up():
        subprocess.run(REDIS_START, capture_output=True)
    if not postgres_up():
        subprocess.run(postgres_command("start"), capture_output=True)
    wait_for(lambda: redis_up() and postgres_up(), 60)
