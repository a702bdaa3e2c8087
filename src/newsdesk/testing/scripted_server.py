"""A threaded loopback HTTP server that plays scripted responses, for the fetch and ingestion tests.

The server speaks just enough HTTP/1.1 by hand (one request per connection, then close) so a
test can script anything: a status and headers, a body dripped one byte at a time, a gzip
bomb streamed from a few repeated blocks, a reset in the middle of the body, or silence.
Every request and every accepted connection is recorded, so a test can assert that a
refused target received nothing.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest

from newsdesk.fetch import Fetcher, FetchError

REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Conn:
    """One accepted connection, handed to a route's handler after the request head was read."""

    sock: socket.socket
    request: Request
    server: ScriptedServer

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_head(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


Handler = Callable[[Conn], None]


@dataclass
class ScriptedServer:
    host: str = "127.0.0.1"
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((self.host, 0))
        self.listener.listen(64)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self._accepter = threading.Thread(target=self._accept_loop, daemon=True)
        self._accepter.start()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._socks.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            sock.settimeout(10)
            request = _read_request(sock)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            handler = self.routes.get(request.path, reply(404, body=b"no such route"))
            handler(Conn(sock, request, self))
        except OSError:
            pass  # the client went away: expected in most of these tests
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def stop(self) -> None:
        self.stopping.set()
        self.listener.close()
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._accepter.join(2)
        for thread in self._threads:
            thread.join(2)


def _read_request(sock: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1_000_000:
            return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers)


# -- handler factories ---------------------------------------------------------------------------


def reply(
    status: int = 200, headers: Iterable[tuple[str, str]] = (), body: bytes = b"", length: bool = True
) -> Handler:
    """A complete response with Content-Length (unless ``length`` is false), then close."""
    headers = list(headers)

    def handle(conn: Conn) -> None:
        extra = [("Content-Length", str(len(body)))] if length and status != 304 else []
        conn.send_head(status, [*headers, *extra, ("Connection", "close")])
        conn.send(body)

    return handle


def redirect(status: int, location: str) -> Handler:
    return reply(status, [("Location", location)])


def sequence(*handlers: Handler) -> Handler:
    """The first request gets handlers[0], the next handlers[1], ...; the last one repeats."""
    calls = iter(range(1_000_000))

    def handle(conn: Conn) -> None:
        handlers[min(next(calls), len(handlers) - 1)](conn)

    return handle


def drip(body: bytes, interval: float, headers: Iterable[tuple[str, str]] = ()) -> Handler:
    """Send the head at once, then the body one byte every ``interval`` seconds."""
    headers = list(headers)

    def handle(conn: Conn) -> None:
        conn.send_head(200, [*headers, ("Content-Length", str(len(body))), ("Connection", "close")])
        for byte in body:
            if conn.server.stopping.wait(interval):
                return
            conn.send(bytes([byte]))

    return handle


def drip_head(interval: float, count: int = 60) -> Handler:
    """Send ``count`` bytes of a never-finished status line and headers, one every ``interval`` seconds."""

    def handle(conn: Conn) -> None:
        head = (b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * count)[:count]
        for byte in head:
            if conn.server.stopping.wait(interval):
                return
            conn.send(bytes([byte]))
        conn.server.stopping.wait(60)

    return handle


def silence() -> Handler:
    """Accept the request, then never answer (until the server stops)."""

    def handle(conn: Conn) -> None:
        conn.server.stopping.wait(60)

    return handle


def reset_mid_body(declared: int, sent: bytes, headers: Iterable[tuple[str, str]] = ()) -> Handler:
    """Promise ``declared`` bytes, send ``sent``, then reset the connection."""
    headers = list(headers)

    def handle(conn: Conn) -> None:
        conn.send_head(200, [*headers, ("Content-Length", str(declared))])
        conn.send(sent)
        time.sleep(0.05)
        conn.reset()

    return handle


def stream(
    head_headers: Iterable[tuple[str, str]], chunks: Callable[[], Iterator[bytes]], status: int = 200
) -> Handler:
    """Send the head, then every chunk the factory yields (it is called once per request)."""
    headers = list(head_headers)

    def handle(conn: Conn) -> None:
        conn.send_head(status, headers)
        for chunk in chunks():
            if conn.server.stopping.is_set():
                return
            conn.send(chunk)

    return handle


# -- gzip bombs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GzipBomb:
    """A gzip stream of ``decoded_size`` zero bytes, kept as a head, one repeated block and a tail.

    Built with zlib streaming: after a full flush the deflate state is reset, so every further
    megabyte of zeros compresses to the very same bytes, and the decoded gigabyte never exists.
    """

    head: bytes
    block: bytes
    repeats: int
    tail: bytes
    decoded_size: int

    @property
    def size(self) -> int:
        return len(self.head) + len(self.block) * self.repeats + len(self.tail)

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        for _ in range(self.repeats):
            yield self.block
        yield self.tail


def make_gzip_bomb(decoded_size: int, block_size: int = 1 << 20) -> GzipBomb:
    assert decoded_size % block_size == 0
    zeros = bytes(block_size)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH) == block  # stable: can be repeated
    crc = 0
    for _ in range(decoded_size // block_size):
        crc = zlib.crc32(zeros, crc)
    gzip_header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # one empty final block
    tail += struct.pack("<II", crc, decoded_size & 0xFFFFFFFF)
    return GzipBomb(gzip_header + first, block, decoded_size // block_size - 1, tail, decoded_size)


LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


MakeFetcher = Callable[..., Fetcher]
# A minimal valid feed.
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    """The error a fetch that must fail raises."""
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
    return caught.value
