"""SSRF guard: a network backend that only connects to public addresses (or allow-listed ones)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from typing import Any

import httpcore
from httpcore._backends.sync import SyncStream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Allowed = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network | str]
BLOCKED_MARKER = "refused non-public address"


class BlockedAddressError(httpcore.ConnectError):
    """The host resolved to an address that fetching may not reach."""


def normalise_address(address: str) -> IPAddress:
    """Parse an address, unwrapping IPv4-mapped and 6to4/Teredo-free forms to IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public_address(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses only."""
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def is_allowed_address(host: str, ip: IPAddress, allowed: Allowed) -> bool:
    """True when ``ip`` is public, or the host or address is on the allow-list."""
    if is_public_address(ip):
        return True
    for item in allowed:
        if isinstance(item, str):
            if item == host.lower().rstrip("."):
                return True
        elif ip.version == item.version and ip in item:
            return True
    return False


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check every address, then connect to the checked address itself.

    The check runs on the address actually dialled, for every connection (so for every
    redirect hop too), which also defeats DNS rebinding between check and connect.
    """

    def __init__(self, allowed: Allowed = ()) -> None:
        self.allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last_error: Exception | None = None
        for family, kind, proto, _name, sockaddr in infos:
            ip = normalise_address(str(sockaddr[0]))
            if not is_allowed_address(host, ip, self.allowed):
                last_error = BlockedAddressError(f"{BLOCKED_MARKER}: {host} resolves to {ip}")
                continue
            try:
                return SyncStream(self._connect(family, kind, proto, sockaddr, timeout, socket_options))
            except OSError as exc:
                last_error = exc
        if isinstance(last_error, BlockedAddressError):
            raise last_error
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last_error}")

    @staticmethod
    def _connect(
        family: int,
        kind: int,
        proto: int,
        sockaddr: Any,
        timeout: float | None,
        options: Iterable[Any] | None,
    ) -> socket.socket:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            for option in options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.connect(sockaddr)
        except BaseException:
            sock.close()
            raise
        return sock

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        import time

        time.sleep(seconds)
