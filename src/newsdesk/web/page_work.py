"""Pages are built by at most one thread per processor: more threads only fight over the interpreter.

Measured on `newsdesk bench web`'s search at 10 connections on 2 processors: 10 threads building pages
at once took 92 ms of CPU a search (14 searches/s), 2 at a time 64 ms (19/s). The threads of the pool
stay free to wait; a page waiting on something slow outside (an LLM's answer) does it outside a slot.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

SLOTS = max(1, len(os.sched_getaffinity(0)))
_slots = threading.BoundedSemaphore(SLOTS)
_held = threading.local()


def in_slot(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` run once a slot is free (at once inside a slot this thread holds already)."""

    def run() -> T:
        if getattr(_held, "slot", False):
            return work()
        with _slots:
            _held.slot = True
            try:
                return work()
            finally:
                _held.slot = False

    return run
