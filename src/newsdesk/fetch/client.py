"""The one polite HTTP client: conditional GET, size caps after decompression, deadlines, per-host limits."""

from __future__ import annotations

import contextlib
import email.utils
import random
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpcore
import httpx

from newsdesk import __version__
from newsdesk.fetch.guard import BLOCKED_MARKER, Allowed, GuardedBackend, fetch_deadline
from newsdesk.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache
from newsdesk.fetch.transport import PoolTransport

RETRYABLE_STATUS = {500, 502, 503, 504}
MAX_RETRY_AFTER = 24 * 3600.0
FETCHED_SCHEMES = ("http", "https")


class FetchError(Exception):
    """A fetch failed; ``kind``: blocked, robots, timeout, too_large, http, network, redirects, encoding."""

    def __init__(self, kind: str, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    permanent_redirect: str | None = None
    links: str = ""  # the Link headers, joined (WebSub names its hub there)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class FetchPolicy:
    allowed: Allowed = ()
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 30.0
    max_redirects: int = 5
    max_feed_bytes: int = 10_000_000
    max_page_bytes: int = 5_000_000
    max_image_bytes: int = 10_000_000
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5
    retries: int = 2
    backoff: float = 1.0
    user_agent: str = f"newsdesk/{__version__}"
    obey_robots: bool = True


class HostLimiter:
    """At most N requests at once per host, and a minimum delay between two starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.concurrency = concurrency
        self.delay = delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._started: dict[str, float] = {}

    def acquire(self, host: str) -> None:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        slot.acquire()
        self.wait_for_start(host)

    def wait_for_start(self, host: str) -> None:
        """Sleep until this request may start: ``delay`` after the previous start to the host.

        A turn is reserved first (requests keep their order), then taken only once the previous request
        has actually started a delay ago: one that overslept its turn pushes the next one back.
        """
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self.delay
        if start > now:
            time.sleep(start - now)
        while (wait := self._take_start(host)) > 0:
            time.sleep(wait)

    def _take_start(self, host: str) -> float:
        """Note a start to ``host`` now and return 0, or return how long until the delay has passed."""
        with self._lock:
            now = time.monotonic()
            wait = self._started.get(host, -self.delay) + self.delay - now
            if wait <= 0:
                self._started[host] = now
            return max(wait, 0.0)

    def release(self, host: str) -> None:
        self._slots[host].release()


class Fetcher:
    """Fetch feeds and pages for every stage, safely and politely."""

    def __init__(self, policy: FetchPolicy, limiter: HostLimiter | None = None) -> None:
        self.policy = policy
        self.limiter = limiter or HostLimiter(policy.per_host_concurrency, policy.per_host_delay)
        pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=10.0,
            network_backend=GuardedBackend(policy.allowed),
        )
        self.client = httpx.Client(
            transport=PoolTransport(pool),
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            follow_redirects=False,  # _follow handles redirects, checking every hop
            max_redirects=policy.max_redirects,
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            # Nothing from the environment: a proxy would carry requests past the address guard,
            # which only sees the connection it dials itself.
            trust_env=False,
        )

        self.robots = RobotsCache(self._load_robots)

    def close(self) -> None:
        self.client.close()

    def _load_robots(self, url: str) -> tuple[int, str]:
        try:
            result = self._fetch_once(url, "robots", None, None)
        except FetchError as exc:
            if exc.status is not None:
                return exc.status, ""
            raise
        return result.status, result.content[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")

    def fetch(
        self, url: str, *, kind: str = "page", etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` with retries on transient failures; raise FetchError when it cannot be had.

        Article pages (kind "page") are fetched only where the site's robots.txt allows newsdesk.
        """
        if kind == "page" and self.policy.obey_robots and not self.robots.allows(url):
            raise FetchError("robots", f"robots.txt of {urlsplit(url).netloc} disallows {url[:200]}")
        attempt = 0
        while True:
            try:
                return self._fetch_once(url, kind, etag, last_modified)
            except FetchError as error:
                attempt += 1
                wait = self._retry_wait(error, attempt)
                if wait is None:
                    raise
                time.sleep(wait)

    def _retry_wait(self, error: FetchError, attempt: int) -> float | None:
        if attempt > self.policy.retries:
            return None
        transient = error.kind in ("timeout", "network") or error.status in RETRYABLE_STATUS
        if not transient and error.status != 429:
            return None
        base = self.policy.backoff * (2 ** (attempt - 1))
        wait = max(base, error.retry_after or 0.0) + random.uniform(0, self.policy.backoff / 2)
        return wait if wait <= self.policy.total_timeout else None

    def _fetch_once(self, url: str, kind: str, etag: str | None, last_modified: str | None) -> FetchResult:
        host = fetched_host(url)
        headers = {"Accept": ACCEPT[kind]}
        # Validators come back from servers: send them only when they are plain header text.
        if etag and _header_safe(etag):
            headers["If-None-Match"] = etag
        if last_modified and _header_safe(last_modified):
            headers["If-Modified-Since"] = last_modified
        limit = {
            "feed": self.policy.max_feed_bytes,
            "robots": MAX_ROBOTS_BYTES,
            "image": self.policy.max_image_bytes,
        }.get(kind, self.policy.max_page_bytes)
        self.limiter.acquire(host)
        try:
            return self._request(url, headers, limit)
        finally:
            self.limiter.release(host)

    def _request(self, url: str, headers: dict[str, str], limit: int) -> FetchResult:
        deadline = time.monotonic() + self.policy.total_timeout
        with as_fetch_errors(url), fetch_deadline(deadline):
            return self._follow(url, headers, limit, deadline)

    def _follow(self, url: str, headers: dict[str, str], limit: int, deadline: float) -> FetchResult:
        """Send the request and follow redirects by hand, never reading (or decoding) a redirect's body."""
        request = self.client.build_request("GET", url, headers=headers)
        hops: list[int] = []
        while True:
            response = self.client.send(request, stream=True, follow_redirects=False)
            try:
                next_request = response.next_request
                if next_request is None:
                    return self._complete(response, limit, deadline, hops)
            finally:
                response.close()
            if len(hops) >= self.policy.max_redirects:
                raise FetchError("redirects", f"too many redirects (more than {self.policy.max_redirects})")
            check_redirect(str(request.url), str(next_request.url))
            hops.append(response.status_code)
            request = next_request

    def _complete(
        self, response: httpx.Response, limit: int, deadline: float, hops: list[int]
    ) -> FetchResult:
        if response.status_code == 304:
            return _result(response, b"", hops)
        if response.status_code >= 400:
            raise FetchError(
                "http",
                f"HTTP {response.status_code} from {response.url.host}",
                status=response.status_code,
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        body = read_limited(response, limit, deadline)
        return _result(response, body, hops)


def fetched_host(url: str) -> str:
    """The host (and port) of an http(s) URL, lower-case; FetchError for any other URL."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:
        raise FetchError("blocked", f"invalid URL {url[:200]!r}: {exc}") from exc
    if parts.scheme.lower() not in FETCHED_SCHEMES or not hostname:
        raise FetchError("blocked", f"only http and https URLs are fetched, not {url[:200]!r}")
    return parts.netloc.lower()


@contextlib.contextmanager
def as_fetch_errors(url: str) -> Iterator[None]:
    """Turn httpx's errors in the block into FetchErrors of the right kind."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError("timeout", f"timeout: {exc.__class__.__name__}") from exc
    except httpx.TransportError as exc:
        if BLOCKED_MARKER in str(exc):
            raise FetchError("blocked", str(exc)) from exc
        raise FetchError("network", f"network error: {exc or exc.__class__.__name__}") from exc
    except httpx.InvalidURL as exc:
        raise FetchError("blocked", f"invalid URL {url[:200]!r}: {exc}") from exc


def check_redirect(source: str, target: str) -> None:
    """Refuse a redirect to a scheme we do not fetch, or from https down to plain http."""
    scheme = urlsplit(target).scheme.lower()
    if scheme not in FETCHED_SCHEMES:
        raise FetchError("blocked", f"refused redirect to a {scheme or 'schemeless'} URL: {target[:200]!r}")
    if urlsplit(source).scheme.lower() == "https" and scheme == "http":
        raise FetchError("blocked", f"refused redirect from https down to http: {target[:200]!r}")


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable() and len(value) <= 1000


ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
    "image": "image/webp, image/jpeg, image/png, image/gif;q=0.8",
}


def _result(response: httpx.Response, body: bytes, hops: list[int]) -> FetchResult:
    return FetchResult(
        url=str(response.url),
        status=response.status_code,
        content=body,
        content_type=response.headers.get("content-type", ""),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        permanent_redirect=_permanent_target(response, hops),
        links=", ".join(response.headers.get_list("link"))[:8192],
    )


def _permanent_target(response: httpx.Response, hops: list[int]) -> str | None:
    """The final URL when every redirect on the way was permanent (301/308)."""
    if hops and all(status in (301, 308) for status in hops):
        return str(response.url)
    return None


def read_limited(response: httpx.Response, limit: int, deadline: float) -> bytes:
    """Read and decode the body, stopping at ``limit`` decoded bytes or at the deadline."""
    encodings = [
        e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()
    ]
    encodings = [e for e in encodings if e != "identity"]
    if len(encodings) > 1:
        raise FetchError("encoding", f"refused chained content encodings: {', '.join(encodings[:5])}")
    if not encodings and _declared_length(response) > limit:
        raise FetchError("too_large", f"response too large: more than {limit:,} bytes (Content-Length)")
    chunks = _decode(response.iter_raw(), encodings[0] if encodings else "", limit)
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise FetchError("too_large", f"response too large: more than {limit:,} bytes after decoding")
        if time.monotonic() > deadline:
            raise FetchError("timeout", "timeout: the whole response took too long")
    return bytes(body)


def _declared_length(response: httpx.Response) -> int:
    value = response.headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else -1


def _decode(raw: Iterator[bytes], encoding: str, limit: int) -> Iterator[bytes]:
    """Decompress gzip (any number of members) or deflate (zlib or raw), at most limit + 1 bytes per step."""
    if encoding in ("", "identity"):
        yield from raw
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError("encoding", f"unsupported content encoding {encoding!r}")
    gzip = encoding in ("gzip", "x-gzip")
    decompressor: zlib._Decompress | None = zlib.decompressobj(47) if gzip else None
    pending = b""  # deflate: the first bytes, until they show whether a zlib header is there
    fed = False
    try:
        for chunk in raw:
            fed = fed or bool(chunk)
            data = pending + chunk
            pending = b""
            if decompressor is None:
                if len(data) < 2:
                    pending = data
                    continue
                decompressor = zlib.decompressobj(15 if _zlib_header(data) else -15)
            while data:
                if decompressor.eof:
                    if not (gzip and data.startswith(b"\x1f\x8b")):
                        break  # trailing bytes after the compressed data: ignored, as browsers do
                    decompressor = zlib.decompressobj(47)  # a further gzip member
                yield decompressor.decompress(data, limit + 1)
                data = decompressor.unconsumed_tail or (decompressor.unused_data if decompressor.eof else b"")
        if not fed:
            return  # an empty body, whatever its Content-Encoding says
        if decompressor is None:
            raise FetchError("encoding", f"bad {encoding} data: truncated")
        yield decompressor.flush()
    except zlib.error as exc:
        raise FetchError("encoding", f"bad {encoding} data: {exc}") from exc
    if not decompressor.eof:
        raise FetchError("encoding", f"bad {encoding} data: truncated (the body ended mid-stream)")


def _zlib_header(data: bytes) -> bool:
    """True when ``data`` starts with a zlib header (RFC 1950), false for raw deflate."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or HTTP date), clamped to 0..24 h."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER)
