"""SSRF guard: a network backend that only connects to public addresses (or allow-listed ones).

It also enforces the whole-request deadline that ``Fetcher`` sets with :func:`fetch_deadline`:
every connect, read and write is cut to the time left, so a server that drips headers or
body one byte at a time cannot hold a worker past the deadline.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Allowed = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network | str]
BLOCKED_MARKER = "refused non-public address"
DEADLINE_MARKER = "total deadline passed"

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "newsdesk_fetch_deadline", default=None
)


class BlockedAddressError(httpcore.ConnectError):
    """The host resolved to an address that fetching may not reach."""


@contextlib.contextmanager
def fetch_deadline(at: float) -> Iterator[None]:
    """Within the block, no network operation of a GuardedBackend runs past ``at`` (time.monotonic)."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left before the current deadline; raise ``error`` once it has passed."""
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error(DEADLINE_MARKER)
    return left if timeout is None else min(timeout, left)


def normalise_address(address: str) -> IPAddress:
    """Parse an address (dropping any IPv6 zone), unwrapping IPv4-mapped IPv6 to the IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public_address(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses only (a 6to4 address only if its IPv4 is public)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip.sixtofour is not None and not is_public_address(ip.sixtofour):
            return False
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def is_allowed_address(host: str, ip: IPAddress, allowed: Allowed) -> bool:
    """True when ``ip`` is public, or the host or address is on the allow-list."""
    if is_public_address(ip):
        return True
    for item in allowed:
        if isinstance(item, str):
            if item.lower().rstrip(".") == host.lower().rstrip("."):
                return True
        elif ip.version == item.version and ip in item:
            return True
    return False


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes never wait past the current fetch deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        wrapped = self._stream.start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(wrapped)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check every address, then connect to the checked address itself.

    The check runs on the address actually dialled, for every connection (so for every
    redirect hop too), which also defeats DNS rebinding between check and connect.
    """

    def __init__(self, allowed: Allowed = ()) -> None:
        self.allowed = allowed
        self.backend = httpcore.SyncBackend()  # dials the address checked here, never the name again

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last_error: Exception | None = None
        for *_, sockaddr in infos:
            ip = normalise_address(str(sockaddr[0]))
            if not is_allowed_address(host, ip, self.allowed):
                last_error = BlockedAddressError(f"{BLOCKED_MARKER}: {host} resolves to {ip}")
                continue
            try:
                stream = self.backend.connect_tcp(
                    str(ip), port, _time_left(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectTimeout, httpcore.ConnectError) as exc:
                last_error = exc
            else:
                return DeadlineStream(stream)
        if isinstance(last_error, BlockedAddressError | httpcore.ConnectTimeout):
            raise last_error
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last_error}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
