"""Fetch stage: one polite, SSRF-safe HTTP client for every stage that touches the network."""

from newsdesk import __version__
from newsdesk.fetch.client import (
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchResult,
    HostLimiter,
    parse_retry_after,
)
from newsdesk.settings import Settings

__all__ = [
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "Fetcher",
    "HostLimiter",
    "make_fetcher",
    "parse_retry_after",
]


def policy_from_settings(settings: Settings) -> FetchPolicy:
    """Build the fetch policy from the settings table."""
    return FetchPolicy(
        allowed=tuple(settings.private_allowlist()),
        connect_timeout=settings.fetch_connect_timeout,
        read_timeout=settings.fetch_read_timeout,
        total_timeout=settings.fetch_total_timeout,
        max_redirects=settings.fetch_max_redirects,
        max_feed_bytes=settings.max_feed_bytes,
        max_page_bytes=settings.max_page_bytes,
        max_image_bytes=settings.max_image_bytes,
        per_host_concurrency=settings.per_host_concurrency,
        per_host_delay=settings.per_host_delay,
        user_agent=f"newsdesk/{__version__} (+{settings.contact_url})",
        obey_robots=settings.obey_robots,
    )


def make_fetcher(settings: Settings) -> Fetcher:
    """The fetcher of the settings; its per-host pace is shared through Redis when Redis is the queue."""
    policy = policy_from_settings(settings)
    if settings.redis_url is None:
        return Fetcher(policy)
    import redis

    from newsdesk.fetch.shared_limit import SharedHostLimiter

    client = redis.Redis.from_url(settings.redis_url.get_secret_value(), socket_timeout=5)
    limiter = SharedHostLimiter(
        client, f"{settings.queue_name}.host.", policy.per_host_concurrency, policy.per_host_delay
    )
    return Fetcher(policy, limiter)
