"""Where fetching may go: redirects and the SSRF guard on the address actually dialled."""

from __future__ import annotations

import ipaddress
import time

import httpcore
import pytest

from newsdesk.fetch import FetchError
from newsdesk.fetch.client import check_redirect
from newsdesk.fetch.guard import (
    BlockedAddressError,
    GuardedBackend,
    is_allowed_address,
    is_public_address,
    normalise_address,
)
from newsdesk.testing.scripted_server import (
    RSS,
    MakeFetcher,
    ScriptedServer,
    fetch_error,
    redirect,
    reply,
)


def test_redirect_loop_stops_at_the_cap(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/a", redirect(302, "/b"))
    server.route("/b", redirect(302, "/a"))
    error = fetch_error(make_fetcher(max_redirects=5), url)
    assert error.kind == "redirects"
    assert len(server.requests) == 6  # the first request and five redirects, no more


def test_long_chain_within_the_cap_is_followed(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    for hop in range(5):
        server.route(f"/{hop}", redirect(302, f"/{hop + 1}"))
    server.route("/5", reply(200, body=RSS))
    result = make_fetcher(max_redirects=5).fetch(server.url("/0"))
    assert result.content == RSS
    assert result.url == server.url("/5")
    assert fetch_error(make_fetcher(max_redirects=4), server.url("/0")).kind == "redirects"


@pytest.mark.parametrize(
    ("statuses", "permanent"),
    [
        ((301,), True),
        ((308,), True),
        ((301, 308), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),
        ((), False),
    ],
)
def test_permanent_redirect_is_reported_only_when_every_hop_is_permanent(
    server: ScriptedServer, make_fetcher: MakeFetcher, statuses: tuple[int, ...], permanent: bool
) -> None:
    for hop, status in enumerate(statuses):
        server.route(f"/{hop}", redirect(status, server.url(f"/{hop + 1}")))
    final = server.route(f"/{len(statuses)}", reply(200, body=RSS))
    result = make_fetcher().fetch(server.url("/0"))
    assert result.url == final
    assert result.permanent_redirect == (final if permanent else None)


def test_redirect_to_loopback_outside_the_allow_list_is_blocked(
    server: ScriptedServer, other_server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    target = other_server.route("/secret", reply(200, body=b"internal"))
    url = server.route("/go", redirect(302, target))
    error = fetch_error(make_fetcher(), url)
    assert error.kind == "blocked"
    assert "127.0.0.2" in str(error)
    assert other_server.connections == 0 and other_server.requests == []


def test_redirect_from_an_allowed_host_name_to_its_address_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    # Only the name "localhost" is allowed: the same server by its bare address is not.
    server.route("/secret", reply(200, body=b"internal"))
    server.route("/go", redirect(302, server.url("/secret")))
    fetcher = make_fetcher(allowed=("localhost",))
    error = fetch_error(fetcher, f"http://localhost:{server.port}/go")
    assert error.kind == "blocked"
    assert server.hits("/go") == 1 and server.hits("/secret") == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
        "http://[::1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://0.0.0.0:{port}/secret",
    ],
)
def test_redirect_to_internal_addresses_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher, target: str
) -> None:
    server.route("/secret", reply(200, body=b"internal"))
    url = server.route("/go", redirect(302, target.format(port=server.port)))
    fetcher = make_fetcher(allowed=("localhost",))  # reach the server by name only
    error = fetch_error(fetcher, url.replace("127.0.0.1", "localhost"), kind="feed")
    assert error.kind == "blocked"
    assert server.hits("/secret") == 0


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://127.0.0.1/x"])
def test_redirect_to_other_schemes_is_blocked(
    server: ScriptedServer, make_fetcher: MakeFetcher, target: str
) -> None:
    url = server.route("/go", redirect(302, target))
    error = fetch_error(make_fetcher(retries=2), url)
    assert error.kind == "blocked"
    assert server.hits("/go") == 1  # refused, not retried as a network error


def test_https_to_http_downgrade_is_refused() -> None:
    with pytest.raises(FetchError) as caught:
        check_redirect("https://example.org/feed", "http://example.org/feed")
    assert caught.value.kind == "blocked"
    check_redirect("http://example.org/feed", "https://example.org/feed")
    check_redirect("https://example.org/feed", "https://cdn.example.org/feed")


# -- the SSRF guard ------------------------------------------------------------------------------

REFUSED = [
    "127.0.0.1",
    "::1",
    "169.254.169.254",
    "10.0.0.1",
    "10.255.1.2",
    "100.64.0.1",
    "100.127.255.254",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "0.0.0.0",
    "::",
    "192.168.1.1",
    "172.16.0.1",
    "fe80::1",
    "fc00::1",
    "224.0.0.1",
    "255.255.255.255",
    "2002:7f00:1::1",
    "2002:a00:1::1",
    "64:ff9b::a00:1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    ip = normalise_address(address)
    assert not is_public_address(ip)
    assert not is_allowed_address("example.org", ip, ())


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_allowed_address("example.org", normalise_address(address), ())


def test_allow_list_by_network_and_host_name() -> None:
    loopback = normalise_address("127.0.0.1")
    assert is_allowed_address("x", loopback, [ipaddress.ip_network("127.0.0.0/8")])
    assert is_allowed_address("Bridge.Local.", normalise_address("10.1.2.3"), ["bridge.local"])
    assert not is_allowed_address("other.local", normalise_address("10.1.2.3"), ["bridge.local"])
    assert not is_allowed_address("x", loopback, [ipaddress.ip_network("::1/128")])
    mapped = normalise_address("::ffff:127.0.0.1")
    assert is_allowed_address("x", mapped, [ipaddress.ip_network("127.0.0.1/32")])


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "::1",
        "169.254.169.254",
        "10.0.0.1",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "2130706433",
        "0x7f.1",
        "localhost",
    ],
)
def test_guarded_backend_refuses_before_connecting(host: str) -> None:
    with pytest.raises(BlockedAddressError):
        GuardedBackend(()).connect_tcp(host, 80, timeout=1)


def test_guarded_backend_connects_to_allowed_address(server: ScriptedServer) -> None:
    stream = GuardedBackend([ipaddress.ip_network("127.0.0.1/32")]).connect_tcp(
        "127.0.0.1", server.port, timeout=1
    )
    stream.close()
    with pytest.raises(httpcore.ConnectError):
        GuardedBackend(()).connect_unix_socket("/var/run/docker.sock")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x",
        "http://[::1]:{port}/x",
        "http://2130706433:{port}/x",
        "http://0.0.0.0:{port}/x",
        "http://[::ffff:127.0.0.1]:{port}/x",
        "http://localhost:{port}/x",
        "http://0177.0.0.1:{port}/x",
    ],
)
def test_fetch_without_allow_list_refuses_loopback(
    server: ScriptedServer, make_fetcher: MakeFetcher, url: str
) -> None:
    server.route("/x", reply(200, body=b"internal"))
    error = fetch_error(make_fetcher(allowed=(), retries=2), url.format(port=server.port))
    assert error.kind == "blocked"
    time.sleep(0.05)
    assert server.connections == 0


def test_allow_list_by_address_string(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    url = server.route("/x", reply(200, body=RSS))
    assert make_fetcher(allowed=("127.0.0.1",)).fetch(url).content == RSS


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "ftp://127.0.0.1/",
        "data:text/plain,hi",
        "javascript:alert(1)",
        "http:///nohost",
        "http://[::1",
        "//127.0.0.1/x",
        "http://a\x00b/",
    ],
)
def test_non_http_and_invalid_urls_are_refused(make_fetcher: MakeFetcher, url: str) -> None:
    assert fetch_error(make_fetcher(), url).kind == "blocked"


def test_environment_proxy_is_not_used(
    server: ScriptedServer, make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy from the environment would dial the target itself, behind the guard's back.
    server.route("http://10.0.0.1/", reply(200, body=b"via proxy"))
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, server.url())
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    error = fetch_error(make_fetcher(allowed=()), "http://10.0.0.1/")
    assert error.kind == "blocked"
    assert server.connections == 0
