"""Form POSTs (WebSub subscription requests): guarded like every fetch, redirects 307/308 followed."""

from __future__ import annotations

import pytest

from newsdesk.fetch import FetchError
from newsdesk.fetch.forms import post_form
from newsdesk.testing.scripted_server import MakeFetcher, ScriptedServer, redirect, reply


def test_a_post_that_is_accepted_returns_its_status(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    hub = server.route("/hub", reply(202, body=b""))
    result = post_form(make_fetcher(), hub, {"hub.mode": "subscribe"})
    assert result.status == 202
    request = server.requests[-1]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_a_refusal_raises_with_the_servers_words(server: ScriptedServer, make_fetcher: MakeFetcher) -> None:
    hub = server.route("/hub", reply(400, body=b"hub.topic\nis not allowed here"))
    with pytest.raises(FetchError) as caught:
        post_form(make_fetcher(), hub, {"hub.mode": "subscribe"})
    assert (caught.value.kind, caught.value.status) == ("http", 400)
    assert str(caught.value) == "HTTP 400 from 127.0.0.1: hub.topic is not allowed here"


def test_307_is_followed_with_the_same_post_but_302_is_not(
    server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    server.route("/new-hub", reply(202))
    moved = server.route("/hub", redirect(307, "/new-hub"))
    assert post_form(make_fetcher(), moved, {"a": "b"}).url == server.url("/new-hub")
    assert [r.method for r in server.requests] == ["POST", "POST"]
    found = server.route("/found", redirect(302, "/new-hub"))
    with pytest.raises(FetchError) as caught:  # a 302 would turn the POST into a GET: not accepted
        post_form(make_fetcher(), found, {"a": "b"})
    assert caught.value.status == 302


def test_a_hub_at_a_private_address_is_refused_without_a_connection(
    other_server: ScriptedServer, make_fetcher: MakeFetcher
) -> None:
    hub = other_server.route("/hub", reply(202))
    with pytest.raises(FetchError) as caught:
        post_form(make_fetcher(), hub, {"a": "b"})
    assert caught.value.kind == "blocked"
    assert other_server.connections == 0
