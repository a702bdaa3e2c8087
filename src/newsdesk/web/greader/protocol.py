"""The Google Reader API's routes, constants, tokens and item ids (what every part of it shares)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException

from newsdesk.store.app_passwords import check_reader_token
from newsdesk.web.app_access import (
    AppReader,
    Params,
    authorise,
)

BASE = "/api/greader"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READER_SCHEME = "http://www.google.com/reader/"  # the Atom category scheme Reader clients read states from
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_ITEMS, DEFAULT_ITEMS = 1000, 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CONTINUATION = re.compile(r"^(\d{1,20})_(\d{1,19})$")
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

router = APIRouter(include_in_schema=False)


def route(path: str, methods: list[str]) -> Callable[[Endpoint], Endpoint]:
    """Register ``path`` under /api/greader, also after a doubled slash (apps' default URLs end in /)."""

    def register(endpoint: Endpoint) -> Endpoint:
        for prefix in (BASE, BASE + "/"):
            router.add_api_route(prefix + path, endpoint, methods=methods)
        return endpoint

    return register


# --- auth -------------------------------------------------------------------------------------------------


def header_token(request: Request) -> str:
    """The token of 'Authorization: GoogleLogin auth=<token>' ('' without one)."""
    scheme, _, rest = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "googlelogin" or not rest.strip().startswith("auth="):
        return ""
    return rest.strip().removeprefix("auth=")


def api_reader(request: Request) -> AppReader:
    """The reader a Reader-API request acts for; 401 without a live token."""
    token = header_token(request)
    if not token:
        raise HTTPException(401, "no 'Authorization: GoogleLogin auth=…' header")
    return authorise(request, lambda session: check_reader_token(session, token))


def edit_token(request: Request) -> str:
    """The write token (T) of this reader's token: apps fetch it from /token and send it back on writes."""
    return hashlib.sha256(b"edit:" + header_token(request).encode()).hexdigest()[:40]


def bad_edit_token(request: Request, params: Params) -> Response | None:
    """A 401 for a write whose T is not this token's (a write without T relies on the header alone)."""
    sent = [v for k, v in params if k == "T"]
    if not sent or sent[0].strip() == edit_token(request):
        return None
    headers = {"X-Reader-Google-Bad-Token": "true"}
    return PlainTextResponse("bad edit token", status_code=401, headers=headers)


def site_base(request: Request) -> str:
    base: str = request.app.state.public_url
    return base


Reader = Annotated[AppReader, Depends(api_reader)]


def usec(when: datetime) -> int:
    return (when - EPOCH) // timedelta(microseconds=1)


def from_seconds(text: str, name: str) -> datetime:
    """A Unix time the app sent (seconds; milliseconds and microseconds are taken too)."""
    if not re.fullmatch(r"\d{1,20}", text.strip()):
        raise HTTPException(400, f"{name} is not a Unix time")
    number = int(text)
    seconds = number / 1_000_000 if number > 10**14 else number / 1000 if number > 10**11 else number
    return EPOCH + timedelta(seconds=min(seconds, 10**10))


def long_id(item_no: int) -> str:
    return f"{ITEM_PREFIX}{item_no:016x}"


def parse_item_id(text: str) -> int | None:
    """An item number from its long form (tag:…/item/<16 hex>), its decimal short form, or bare hex."""
    text = text.strip()
    try:
        if text.startswith(ITEM_PREFIX):
            return int(text.removeprefix(ITEM_PREFIX), 16)
        if re.fullmatch(r"-?\d{1,20}", text):
            number = int(text)
            return number + 2**64 if number < 0 else number  # apps keep the 64 bits signed
        if re.fullmatch(r"[0-9a-fA-F]{16}", text):
            return int(text, 16)
    except ValueError:
        return None
    return None
