"""Form POSTs through the one guarded client (a WebSub subscription request to a hub)."""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

from newsdesk.fetch.client import (
    Fetcher,
    FetchError,
    FetchResult,
    as_fetch_errors,
    check_redirect,
    fetched_host,
    read_limited,
)
from newsdesk.fetch.guard import fetch_deadline

MAX_REPLY = 65_536  # a hub answers with a status and at most a short text
REPOST_STATUS = (307, 308)  # the redirects that keep the method and body: a hub may move this way


def post_form(fetcher: Fetcher, url: str, fields: dict[str, str]) -> FetchResult:
    """POST ``fields`` urlencoded to ``url``: SSRF-guarded, per-host paced, 307/308 redirects followed.

    Raise FetchError for any answer but 2xx, with the start of the server's text (hubs explain there).
    """
    for _hop in range(fetcher.policy.max_redirects + 1):
        result, location = _post_once(fetcher, url, fields)
        if result.status in REPOST_STATUS and location:
            target = urljoin(url, location)
            check_redirect(url, target)
            url = target
            continue
        if not 200 <= result.status < 300:
            text = " ".join(result.content[:300].decode("utf-8", "replace").split())
            message = f"HTTP {result.status} from {urlsplit(url).hostname}" + (f": {text}" if text else "")
            raise FetchError("http", message, status=result.status)
        return result
    raise FetchError("redirects", f"too many redirects (more than {fetcher.policy.max_redirects})")


def _post_once(fetcher: Fetcher, url: str, fields: dict[str, str]) -> tuple[FetchResult, str]:
    """One POST: its result (a short body at most) and the Location it names."""
    host = fetched_host(url)
    deadline = time.monotonic() + fetcher.policy.total_timeout
    fetcher.limiter.acquire(host)
    try:
        with as_fetch_errors(url), fetch_deadline(deadline):
            request = fetcher.client.build_request("POST", url, data=fields, headers={"Accept": "*/*"})
            response = fetcher.client.send(request, stream=True, follow_redirects=False)
            try:
                body = (
                    b""
                    if response.status_code in REPOST_STATUS
                    else read_limited(response, MAX_REPLY, deadline)
                )
                content_type = response.headers.get("content-type", "")
                result = FetchResult(str(response.url), response.status_code, body, content_type, None, None)
                return result, response.headers.get("location", "")
            finally:
                response.close()
    finally:
        fetcher.limiter.release(host)
