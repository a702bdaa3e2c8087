"""Pages readers who are not logged in share: one copy for a few seconds, refreshed in the background."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from newsdesk.web.cache import TTLCache
from newsdesk.web.page_work import in_slot

log = logging.getLogger("newsdesk.web")


def is_anonymous(request: Request) -> bool:
    """Whether the reader is not logged in (and so sees what every other such reader sees)."""
    return "session" not in request.scope or "uid" not in request.session


async def page_for(
    request: Request,
    shared: TTLCache,
    key: str,
    render: Callable[[], Response],
    media_type: str = "text/html",
    *,
    on_loop: bool = False,
) -> Response:
    """A page as ``render`` makes it; readers who are not logged in share one copy for a few seconds.

    ``on_loop``: a missing shared copy is built here on the event loop rather than on a thread, for
    pages that are a few point reads and a template (``respond.builds_on_loop``).
    """
    if not is_anonymous(request):
        return await run_in_threadpool(in_slot(render))

    def render_shared() -> bytes:
        response = render()
        if getattr(request.state, "csrf_printed", False):
            raise RuntimeError(f"{key} printed a form token for a reader who is not logged in")
        return bytes(response.body)

    body, fresh = shared.lookup(key)
    if body is None:
        if on_loop:
            body = shared.get(key, render_shared)
        else:
            body = await run_in_threadpool(shared.get, key, in_slot(render_shared))
    elif not fresh and shared.claim_refresh(key):
        # Stale: this reader gets the copy kept while one background render makes the next one, so a
        # busy page never has every reader wait on a rebuild at once.
        task = asyncio.get_running_loop().create_task(refresh_page(shared, key, in_slot(render_shared)))
        REFRESHES.add(task)
        task.add_done_callback(REFRESHES.discard)
    return Response(body, media_type=media_type)


REFRESHES: set[asyncio.Task[None]] = set()  # running background renders (kept so they are not collected)


async def refresh_page(shared: TTLCache, key: str, render: Callable[[], bytes]) -> None:
    try:
        shared.put(key, await run_in_threadpool(render))
    except Exception:
        log.exception("could not refresh the shared page %s", key)
    finally:
        shared.release(key)
