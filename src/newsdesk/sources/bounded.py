"""Parse large feeds in a child process with a time limit, so a pathological feed cannot stall a worker."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

from newsdesk.sources.feeds import parse_feed
from newsdesk.sources.feedtypes import FeedError, ParsedFeed

IN_PROCESS_BYTES = 1_000_000  # smaller bodies parse in milliseconds: no child process needed
PARSE_SECONDS = 20.0


def _parse_in_child(body: bytes, url: str, content_type: str, sender: Connection) -> None:
    try:
        sender.send(parse_feed(body, url, content_type))
    except FeedError as exc:
        sender.send(exc)
    except Exception as exc:  # report any parser crash to the parent as a feed error
        sender.send(FeedError(f"the feed parser failed: {exc.__class__.__name__}: {exc}"[:500]))
    finally:
        sender.close()


def parse_feed_bounded(
    body: bytes, url: str, content_type: str = "", seconds: float = PARSE_SECONDS
) -> ParsedFeed:
    """Like parse_feed, but a large body is parsed in a child process that is killed after ``seconds``."""
    if len(body) <= IN_PROCESS_BYTES:
        return parse_feed(body, url, content_type)
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_parse_in_child, args=(body, url, content_type, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise FeedError(f"the feed took more than {seconds:.0f} s to parse; gave up")
        result = receiver.recv()
    except EOFError as exc:
        raise FeedError("the feed parser process died") from exc
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if isinstance(result, FeedError):
        raise result
    assert isinstance(result, ParsedFeed)
    return result
