"""Who the reader is: the logged-in reader of a request, sessions, form tokens, what templates know."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.store.community import (
    CommentLimits,
    follows_of,
)
from newsdesk.store.models import User
from newsdesk.store.reading import read_horizon, unread_among
from newsdesk.web.i18n import current_language


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


class LazyCsrfToken:
    """The session's CSRF token, made only when a page prints it: a reader who sees no form gets no cookie."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        self.request.state.csrf_printed = True
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(self)


def check_csrf(request: Request, token: str) -> None:
    expected = request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(str(expected), token):
        raise HTTPException(
            403, "the form expired or did not come from this site; reload the page and try again"
        )


def current_user(request: Request, store: Store) -> User | None:
    """The logged-in reader, read once per request (the page and its templates ask again).

    A cookie of an older session version (the reader logged out, changed the password or was banned) or
    of a deleted or banned reader is refused and cleared.
    """
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    known = getattr(request.state, "reader", None)
    if isinstance(known, User) and known.id == user_id:
        return known
    with store.session() as session:
        user = session.get(User, user_id)
    if user is None or user.banned_at is not None or request.session.get("sv") != user.session_version:
        request.session.clear()
        user = None
    request.state.reader = user
    return user


def start_session(request: Request, user: User) -> None:
    """Log ``user`` in on this browser: a fresh session (a new form token) bound to their session version."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["sv"] = user.session_version


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


def reader_follows(request: Request, store: Store) -> set[tuple[str, str]]:
    """What the logged-in reader follows (empty for anyone else), read once per request."""
    user = current_user(request, store) if "session" in request.scope else None
    if user is None:
        return set()
    known = getattr(request.state, "follows", None)
    if known is None:
        with store.session() as session:
            known = request.state.follows = follows_of(session, user.id)
    return set(known)


def require_user(request: Request, store: Store) -> User:
    user = current_user(request, store)
    if user is None:
        raise HTTPException(401, "log in first")
    return user


def safe_next(target: str | None, default: str) -> str:
    """Follow only same-site paths: '//evil', '/\\evil', 'https:evil' and encoded forms go to ``default``."""
    if not target:
        return default
    decoded = unquote(target).replace("\\", "/")
    parts = urlsplit(decoded)
    if parts.scheme or parts.netloc or not decoded.startswith("/") or decoded.startswith("//"):
        return default
    return decoded


def comment_limits(settings: Settings) -> CommentLimits:
    return CommentLimits(
        settings.comments_per_minute,
        settings.comments_per_day,
        settings.comment_max_chars,
        settings.hold_first_comment,
    )


def logged_out(response: Response) -> Response:
    """Ask the browser to drop its HTTP cache (the service worker never keeps a logged-in reader's pages)."""
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


class UnreadMarks:
    """Which articles the logged-in reader has not read, asked card by card (each answer kept)."""

    def __init__(self, store: Store, user: User, new_reader_days: int) -> None:
        self.store, self.user, self.days = store, user, new_reader_days
        self.known: dict[str, bool] = {}
        self.horizon: datetime | None = None

    def __bool__(self) -> bool:
        return True

    def __contains__(self, article_id: object) -> bool:
        key = str(article_id)
        if key not in self.known:
            with self.store.session() as session:
                self.horizon = self.horizon or read_horizon(session, self.user, self.days)
                self.known[key] = bool(unread_among(session, self.user.id, self.horizon, [key]))
        return self.known[key]


def user_context(request: Request, store: Store) -> dict[str, Any]:
    """What templates know about the reader: who they are, what they follow, what they have not read, and
    the form token."""
    user = current_user(request, store) if "session" in request.scope else None
    days = request.app.state.settings.unread_days_for_new_readers
    return {
        "unread": UnreadMarks(store, user, days) if user else (),
        "user": {"name": user.display_name or user.username, "is_admin": user.is_admin} if user else None,
        "follows": reader_follows(request, store),
        "csrf": LazyCsrfToken(request) if "session" in request.scope else "",
        "lang": current_language.get(),
    }
