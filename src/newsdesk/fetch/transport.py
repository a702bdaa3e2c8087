"""An httpx transport over a public httpcore pool, so the pool's network backend can be the SSRF guard."""

from __future__ import annotations

from collections.abc import Iterator

import httpcore
import httpx

# httpcore's errors and the httpx errors the client raises for them, the most specific first.
ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


CORE_ERRORS = tuple(theirs for theirs, _ in ERRORS)


def as_httpx_error(exc: Exception) -> Exception:
    """The httpx error the client expects for an httpcore one (other errors are returned unchanged)."""
    return next((ours(str(exc)) for theirs, ours in ERRORS if isinstance(exc, theirs)), exc)


class PoolTransport(httpx.BaseTransport):
    """Send httpx requests through an httpcore pool built by the caller (with its own network backend)."""

    def __init__(self, pool: httpcore.ConnectionPool) -> None:
        self.pool = pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = self.pool.handle_request(core_request)
        except CORE_ERRORS as exc:
            raise as_httpx_error(exc) from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=ResponseStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.pool.close()


class ResponseStream(httpx.SyncByteStream):
    """A response body read from the pool, its errors raised as httpx's."""

    def __init__(self, response: httpcore.Response) -> None:
        self.response = response

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.response.iter_stream()
        except CORE_ERRORS as exc:
            raise as_httpx_error(exc) from exc

    def close(self) -> None:
        self.response.close()
