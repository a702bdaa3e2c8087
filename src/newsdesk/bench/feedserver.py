"""A fast loopback feed server for the polling benchmark: one host address per feed, ETags, keep-alive."""

from __future__ import annotations

import asyncio
import hashlib
import random
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from multiprocessing import Event, Process
from multiprocessing.synchronize import Event as EventType

WORDS = [
    "council",
    "harbour",
    "minister",
    "report",
    "market",
    "energy",
    "river",
    "school",
    "police",
    "storm",
    "election",
    "budget",
    "team",
    "season",
    "company",
    "workers",
    "price",
    "vote",
    "city",
    "bridge",
    "train",
    "court",
    "health",
    "hospital",
    "festival",
    "museum",
    "science",
    "study",
    "port",
    "ferry",
    "union",
    "talks",
    "deal",
    "growth",
    "rain",
    "fire",
    "coast",
    "village",
    "mayor",
    "league",
    "final",
    "record",
    "plan",
    "local",
    "national",
]


@dataclass(frozen=True)
class FeedSpec:
    host: str
    port: int
    conditional: bool  # answers 304 to a matching If-None-Match

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/feed.xml"


def feed_hosts(count: int) -> list[str]:
    """Distinct loopback addresses (127.0.x.y), one per feed, as if each feed had its own site."""
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(count)]


def make_feed(index: int, items: int, now: datetime) -> bytes:
    """A realistic RSS 2.0 feed: `items` entries with a few paragraphs of content each."""
    rng = random.Random(index)
    host = feed_hosts(index + 1)[-1]
    parts = []
    for n in range(items):
        published = now - timedelta(hours=n * rng.uniform(0.5, 3))
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))).capitalize() + ".</p>"
            for _ in range(rng.randint(3, 6))
        )
        title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        parts.append(
            f"<item><title>{title}</title><link>http://{host}/news/{index}/{n}</link>"
            f"<guid>feed-{index}-item-{n}</guid><pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{title}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bench feed {index}</title><link>http://{host}/</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


async def _serve(feeds: dict[str, tuple[bytes, str, bool]], port: int, ready: EventType) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        body, etag, conditional = feeds[host]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                match = conditional and f"if-none-match: {etag}".encode() in head.lower()
                if match:
                    writer.write(
                        f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n\r\n".encode()
                    )
                else:
                    validators = f"ETag: {etag}\r\n" if conditional else ""
                    writer.write(
                        f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n{validators}"
                        f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, host, port, backlog=512) for host in feeds]
    ready.set()
    await asyncio.gather(*(s.serve_forever() for s in servers))


def _run_server(count: int, items: int, port: int, ready: EventType) -> None:
    now = datetime.now(UTC)
    feeds = {}
    for index, host in enumerate(feed_hosts(count)):
        body = make_feed(index, items, now)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        feeds[host] = (body, etag, index % 5 != 0)  # 80% answer 304 to a matching ETag
    asyncio.run(_serve(feeds, port, ready))


class FeedServer:
    """Run the feed server in its own process (so it does not share the client's interpreter)."""

    def __init__(self, count: int, items: int) -> None:
        self.count = count
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        ready = Event()
        self.process = Process(target=_run_server, args=(count, items, self.port, ready), daemon=True)
        self.process.start()
        if not ready.wait(120):
            self.stop()
            raise RuntimeError("the benchmark feed server did not start")
        self.feeds = [FeedSpec(h, self.port, i % 5 != 0) for i, h in enumerate(feed_hosts(count))]

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)
