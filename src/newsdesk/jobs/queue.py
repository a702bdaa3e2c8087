"""Build the huey instance from the settings, and its consumers."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from newsdesk.settings import Settings
from newsdesk.store.db import create_private_file

log = logging.getLogger("newsdesk.jobs")


def make_huey(settings: Settings, *, immediate: bool = False) -> Huey:
    """SqliteHuey in a file beside the database by default; RedisHuey when a Redis URL is set.

    Task results are not stored: nothing reads them, and Redis would keep every one of them.
    """
    name = settings.queue_name
    if settings.redis_url is not None:
        url = settings.redis_url.get_secret_value()
        return RedisHuey(name, url=url, immediate=immediate, results=False)
    path = settings.resolved_queue_path()
    create_private_file(path)  # tasks carry source ids and URLs: the owner's alone, like the store
    return SqliteHuey(name, filename=str(path), immediate=immediate, results=False)


SHUTDOWN_TIMEOUT = 30.0  # seconds running tasks get to finish on SIGTERM; then they go back on the queue


STOPPING = threading.Event()  # set when this process's consumer was asked to stop: long tasks wind up


class GracefulConsumer(Consumer):  # type: ignore[misc]
    """A consumer whose SIGTERM and SIGINT both let running tasks finish (a second signal cuts them short)."""

    def _set_signal_handlers(self) -> None:
        self._signal_actions[signal.SIGINT] = self._signal_actions[signal.SIGTERM] = (False, True)
        super()._set_signal_handlers()

    def _handle_signal(self, signum: int, frame: object) -> None:
        STOPPING.set()
        super()._handle_signal(signum, frame)


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that runs in threads of another process (tests): no signal handlers."""

    def _set_signal_handlers(self) -> None:
        return None


def make_consumer(huey: Huey, workers: int, *, embedded: bool = False, **options: Any) -> Consumer:
    cls = EmbeddedConsumer if embedded else GracefulConsumer
    return cls(
        huey,
        workers=workers,
        worker_type="thread",
        periodic=True,
        check_worker_health=True,
        max_delay=2.0,
        shutdown_timeout=SHUTDOWN_TIMEOUT,
        **options,
    )
