"""The Google Reader API as FreshRSS and Miniflux serve it, under /api/greader, for reader apps."""

from newsdesk.web.greader import account, edits, streams
from newsdesk.web.greader.protocol import router

__all__ = ["account", "edits", "router", "streams"]
