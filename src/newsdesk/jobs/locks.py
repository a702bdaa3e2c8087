"""Job locks that free themselves: a Redis key or a lease row in the SQLite queue, renewed while held."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import redis

from newsdesk.heartbeat import renewing
from newsdesk.settings import Settings

log = logging.getLogger("newsdesk.jobs")

RENEW_EVERY = 10.0  # seconds between two renewals at most (a third of the TTL when that is shorter)


@dataclass(frozen=True)
class Lease:
    """One holder's hold on a lock; the token tells it apart from any later holder of the same lock."""

    name: str
    holder: str  # host:pid
    token: str
    since: float  # epoch seconds


@dataclass(frozen=True)
class LockInfo:
    """A held lock as /healthz shows it; stale: past its expiry (its holder died) and not taken since."""

    name: str
    holder: str
    since: datetime
    expires_at: datetime
    stale: bool


class LeaseStore(Protocol):
    """Where leases live: each call is one atomic statement, so several processes can share it."""

    def take(self, lease: Lease, ttl: float) -> bool: ...
    def renew(self, lease: Lease, ttl: float) -> bool: ...
    def release(self, lease: Lease) -> None: ...
    def held(self) -> list[LockInfo]: ...
    def close(self) -> None: ...


def describe_lease(lease: Lease, expires_at: float, now: float) -> LockInfo:
    since = datetime.fromtimestamp(lease.since, UTC)
    expires = datetime.fromtimestamp(expires_at, UTC)
    return LockInfo(lease.name, lease.holder, since, expires, stale=expires_at < now)


REDIS_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end"
)
REDIS_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


@dataclass
class RedisLeases:
    """A lease is a key set with NX and PX; renewing and releasing check that it still holds our lease."""

    client: redis.Redis
    prefix: str  # '<queue name>.lease.'

    def take(self, lease: Lease, ttl: float) -> bool:
        return bool(self.client.set(self.prefix + lease.name, encode_lease(lease), nx=True, px=to_ms(ttl)))

    def renew(self, lease: Lease, ttl: float) -> bool:
        key, value = self.prefix + lease.name, encode_lease(lease)
        return bool(self.client.eval(REDIS_RENEW, 1, key, value, to_ms(ttl)))

    def release(self, lease: Lease) -> None:
        self.client.eval(REDIS_RELEASE, 1, self.prefix + lease.name, encode_lease(lease))

    def held(self) -> list[LockInfo]:
        now, found = time.time(), []
        for key in self.client.scan_iter(match=self.prefix + "*"):
            value, pttl = self.client.get(key), int(self.client.pttl(key))
            if value is not None:  # it may have expired between the scan and the get
                lease = decode_lease(key.decode()[len(self.prefix) :], value)
                found.append(describe_lease(lease, now + pttl / 1000 if pttl >= 0 else lease.since, now))
        return found

    def close(self) -> None:
        self.client.close()


def to_ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def encode_lease(lease: Lease) -> str:
    return json.dumps({"holder": lease.holder, "token": lease.token, "since": lease.since}, sort_keys=True)


def decode_lease(name: str, value: bytes | str) -> Lease:
    fields: dict[str, Any] = json.loads(value)
    return Lease(name, str(fields["holder"]), str(fields["token"]), float(fields["since"]))


SQLITE_TABLE = (
    "create table if not exists newsdesk_lease (queue text not null, name text not null, "
    "holder text not null, token text not null, since real not null, expires_at real not null, "
    "primary key (queue, name))"
)
SQLITE_TAKE = (
    "insert into newsdesk_lease values (:queue, :name, :holder, :token, :since, :expires_at) "
    "on conflict (queue, name) do update set holder = excluded.holder, token = excluded.token, "
    "since = excluded.since, expires_at = excluded.expires_at "
    "where newsdesk_lease.expires_at < excluded.since"
)
SQLITE_MINE = "where queue = :queue and name = :name and token = :token"
SQLITE_RENEW = f"update newsdesk_lease set expires_at = :expires_at {SQLITE_MINE}"
SQLITE_RELEASE = f"delete from newsdesk_lease {SQLITE_MINE}"
SQLITE_HELD = "select name, holder, token, since, expires_at from newsdesk_lease where queue = :queue"


@dataclass
class SqliteLeases:
    """A lease is a row of a table in the queue file, taken by one upsert that only replaces expired rows."""

    path: Path
    queue: str

    def run(self, sql: str, params: dict[str, object]) -> list[Any]:
        """Run one statement in autocommit; its rows, or the number of rows it changed."""
        with closing(sqlite3.connect(self.path, timeout=15, isolation_level=None)) as db:
            db.execute(SQLITE_TABLE)
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else [cursor.rowcount]

    def params(self, lease: Lease, ttl: float = 0.0) -> dict[str, object]:
        expires_at = time.time() + ttl
        return {"queue": self.queue, "name": lease.name, "token": lease.token, "expires_at": expires_at}

    def take(self, lease: Lease, ttl: float) -> bool:
        params = {**self.params(lease, ttl), "holder": lease.holder, "since": lease.since}
        return self.run(SQLITE_TAKE, params) == [1]

    def renew(self, lease: Lease, ttl: float) -> bool:
        return self.run(SQLITE_RENEW, self.params(lease, ttl)) == [1]

    def release(self, lease: Lease) -> None:
        self.run(SQLITE_RELEASE, self.params(lease))

    def held(self) -> list[LockInfo]:
        if not self.path.exists():  # no queue yet (a web server without a worker): nothing is held
            return []
        rows, now = self.run(SQLITE_HELD, {"queue": self.queue}), time.time()
        return [
            describe_lease(Lease(name, holder, token, since), expires, now)
            for name, holder, token, since, expires in rows
        ]

    def close(self) -> None:
        return None


def open_leases(settings: Settings) -> LeaseStore:
    """The lease store beside the job queue: Redis when a Redis URL is set, else the SQLite queue file."""
    if settings.redis_url is not None:
        client = redis.Redis.from_url(settings.redis_url.get_secret_value())
        return RedisLeases(client, f"{settings.queue_name}.lease.")
    return SqliteLeases(settings.resolved_queue_path(), settings.queue_name)


def this_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def holding(leases: LeaseStore, name: str, ttl: float) -> Iterator[bool]:
    """Hold lock ``name`` for the block, renewed while it runs; False (and logged) when another holds it."""
    lease = Lease(name, this_holder(), secrets.token_hex(16), time.time())
    if not leases.take(lease, ttl):
        log_busy_lock(leases, name)
        yield False
        return
    try:
        with renewing(partial(leases.renew, lease, ttl), min(RENEW_EVERY, ttl / 3), f"lock {name}"):
            yield True
    finally:
        leases.release(lease)


def log_busy_lock(leases: LeaseStore, name: str) -> None:
    """Say at DEBUG level who holds the lock a run was skipped for, and since when."""
    info = next((lock for lock in leases.held() if lock.name == name), None)
    if info is None:
        log.debug("%s skipped: its lock was held and has just been released", name, extra={"lock": name})
        return
    since = info.since.isoformat(timespec="seconds")
    extra = {"lock": name, "holder": info.holder, "since": since}
    log.debug("%s skipped: the lock is held by %s since %s", name, info.holder, since, extra=extra)


ONCE_PREFIX = "once."  # leases that say a period's run was taken: never released, they are no locks


def take_once(leases: LeaseStore, name: str, seconds: float) -> bool:
    """True for the first caller of the deployment in ``seconds`` (a lease left to expire, not a lock)."""
    return leases.take(Lease(ONCE_PREFIX + name, this_holder(), secrets.token_hex(8), time.time()), seconds)


def lock_status(settings: Settings) -> list[LockInfo]:
    """Every held job lock: its holder, since when, and whether it is past its expiry."""
    leases = open_leases(settings)
    try:
        return [lock for lock in leases.held() if not lock.name.startswith(ONCE_PREFIX)]
    finally:
        leases.close()


def lock_health(settings: Settings) -> dict[str, object]:
    """What /healthz says of the job locks: degraded when one outlived its holder or none can be read."""
    try:
        locks = lock_status(settings)
    except (redis.RedisError, sqlite3.Error) as exc:
        return {"status": "degraded", "locks": [], "locks_error": exc.__class__.__name__}
    return {"status": "degraded" if any(lock.stale for lock in locks) else "ok", "locks": locks}


def forget_huey_lock(huey: Any, name: str) -> None:
    """Remove the never-expiring lock key an older newsdesk took with huey's lock_task."""
    if huey.delete(f"{huey.name}.lock.{name}"):
        log.info("removed the lock %s left by an older version (it had no expiry)", name)
