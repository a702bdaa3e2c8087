"""One plain ASGI middleware for every response: UI language, security headers, HEAD, API and feed ETags."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.web.i18n import current_language, language_of_path

SECURITY_HEADERS = {
    # images only from the site (copies made by the worker); a feed's audio and video play from the publisher
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; media-src 'self' https: http:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
ETAG_PREFIXES = ("/api/", "/feeds/")
APP_API_PREFIXES = ("/api/greader", "/api/fever")  # a reader's own state, reached with a token: never cached
SHARED_FILE_PREFIXES = ("/static/", "/images/")  # the same bytes for every reader: cached even when logged in
ETAG_CACHE_CONTROL = "public, max-age=60"
PRIVATE_CACHE_CONTROL = "private, no-store"


def without_body(send: Send) -> Send:
    """Send the response's start (with its Content-Length) and an empty body: the answer to HEAD."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})
            return
        await send(message)

    return send_head


def add_missing_headers(headers: MutableHeaders, wanted: Iterable[tuple[str, str]]) -> None:
    """Set each header the response does not already carry."""
    for name, value in wanted:
        if name not in headers:
            headers[name] = value


def etag_of(body: bytes) -> str:
    """A weak tag of the plain body: the same content may go out gzipped or not, byte for byte different."""
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class SiteMiddleware:
    """Sets the request's UI language, adds the security headers, and answers If-None-Match on the API.

    Written as plain ASGI rather than three ``@app.middleware`` functions: each of those wraps the
    response in its own task and stream, which cost more than rendering a cached page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        token = current_language.set(language_of_path(path))
        if scope["method"] == "HEAD":  # every GET route answers HEAD: the same headers, no body
            scope, send = {**scope, "method": "GET"}, without_body(send)
        try:
            if (
                scope["method"] == "GET"
                and path.startswith(ETAG_PREFIXES)
                and not path.startswith(APP_API_PREFIXES)
            ):
                await self.app(scope, receive, self._with_etag(scope, send))
            else:
                await self.app(scope, receive, self._with_headers(scope, send))
        finally:
            current_language.reset(token)

    @staticmethod
    def _with_headers(scope: Scope, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                add_missing_headers(headers, SECURITY_HEADERS.items())
                own = "uid" in scope.get("session", {}) and not scope["path"].startswith(SHARED_FILE_PREFIXES)
                if own or scope["path"].startswith(APP_API_PREFIXES):
                    # a reader's own page or app data: no shared or offline copy
                    headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
            await send(message)

        return send_with_headers

    @staticmethod
    def _with_etag(scope: Scope, send: Send) -> Send:
        """Buffer a 200 answer, tag it with a hash of its body, and send 304 when the client has it."""
        start: Message = {}
        chunks: list[bytes] = []
        cache_control = PRIVATE_CACHE_CONTROL if "uid" in scope.get("session", {}) else ETAG_CACHE_CONTROL

        async def send_with_etag(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    add_missing_headers(MutableHeaders(scope=message), SECURITY_HEADERS.items())
                    await send(message)
                return
            if message["type"] != "http.response.body" or start["status"] != 200:
                await send(message)  # the test client's debug messages, or a body not worth a tag
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = etag_of(body)
            headers = MutableHeaders(scope=start)
            add_missing_headers(headers, SECURITY_HEADERS.items())
            headers["ETag"] = etag
            headers["Cache-Control"] = cache_control
            # If-None-Match compares weakly: W/"x" and "x" name the same tag.
            if etag.removeprefix("W/") in Headers(scope=scope).get("if-none-match", ""):
                not_modified = MutableHeaders()
                not_modified["ETag"] = etag
                not_modified["Cache-Control"] = cache_control
                add_missing_headers(not_modified, SECURITY_HEADERS.items())
                await send({"type": "http.response.start", "status": 304, "headers": not_modified.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            headers["Content-Length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        return send_with_etag
