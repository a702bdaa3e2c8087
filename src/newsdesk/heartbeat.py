"""Keep a lease alive while its holder works: a thread renews it at a fixed interval until the work ends."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("newsdesk.heartbeat")


@contextmanager
def renewing(renew: Callable[[], bool], every: float, what: str) -> Iterator[None]:
    """Call ``renew`` every ``every`` seconds in a thread while the block runs (it returns False if lost)."""
    done = threading.Event()
    thread = threading.Thread(
        target=renew_until, args=(renew, every, done, what), name=f"renew {what}", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def renew_until(renew: Callable[[], bool], every: float, done: threading.Event, what: str) -> None:
    """Renew until ``done`` is set; stop when the lease was lost, keep trying when renewing failed."""
    while not done.wait(every):
        try:
            kept = renew()
        except Exception:  # a database or Redis hiccup: the next beat may succeed before the lease ends
            log.exception("could not renew the lease on %s", what)
            continue
        if not kept and not done.is_set():
            log.warning("lost the lease on %s: it expired or another holder took it", what)
            return
