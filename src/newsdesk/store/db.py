"""Engines, sessions and migrations of the store (SQLite with WAL by default, PostgreSQL at scale)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session, sessionmaker

from newsdesk.text.stems import stemmed_text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 15_000  # how long a SQLite writer waits for another's write to end
MIGRATION_LOCK_KEY = 0x6E657773  # 'news': the advisory lock newsdesk's migrations take on PostgreSQL


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
    # The stemmed full-text index's triggers call this on every write of an article's text or language.
    dbapi_connection.create_function("newsdesk_stems", 2, _stems, deterministic=True)


def _stems(language: str | None, text: str | None) -> str:
    """newsdesk_stems(language, text) in SQL: the text as Snowball stems of its language."""
    return stemmed_text(text, language)


def create_private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600, folder 0700); take others' access from an old one.

    The store holds password hashes and the session key; SQLite gives its -wal and -shm files the
    database file's mode.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, mode & 0o700)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for an in-memory database)."""
    database = make_url(url).database
    return None if not database or database == ":memory:" or database.startswith("file:") else Path(database)


def has_one_database(engine: Engine) -> bool:
    """Every connection of the engine sees the same database (not so for SQLite in memory: one each)."""
    return engine.dialect.name != "sqlite" or sqlite_file(str(engine.url)) is not None


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys, and a file only its owner reads."""
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None:
            create_private_file(path)
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def dialect_insert(session: Session) -> Any:
    """The INSERT of the session's database (PostgreSQL's or SQLite's), for ``on_conflict_do_…``."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite_dialect.insert


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``, one process at a time (a web server and a worker
    starting together on a new store would otherwise both create its tables)."""
    with migration_lock(engine):
        migrating = migration_engine(engine)
        try:
            command.upgrade(alembic_config(migrating), revision)
        finally:
            if migrating is not engine:
                migrating.dispose()


def migration_engine(engine: Engine) -> Engine:
    """The engine migrations run on: on SQLite one whose transactions include DDL (Python's sqlite3 commits
    around CREATE and ALTER by itself), so a process killed mid-migration leaves the schema as it was."""
    if engine.dialect.name != "sqlite":
        return engine
    migrating = make_engine(engine.url.render_as_string(hide_password=False))
    event.listen(migrating, "connect", _manual_transactions)
    event.listen(migrating, "begin", _begin_immediately)
    return migrating


def _manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver no longer opens or commits transactions itself


def _begin_immediately(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock no other process can take while migrating: a lock file beside a SQLite database, an
    advisory lock on PostgreSQL."""
    path = sqlite_file(str(engine.url)) if engine.dialect.name == "sqlite" else None
    if path is not None:
        with open(os.open(f"{path}.migrate-lock", os.O_CREAT | os.O_RDWR, 0o600), "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()


def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class Store:
    """An engine and its session factory, migrated to the newest schema."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        if migrate:
            upgrade_database(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open the store at ``url``, applying pending migrations first."""
    return Store(url, migrate=migrate)
