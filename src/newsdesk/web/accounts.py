"""Readers' routes: sign-up, log-in, comments, bookmarks, follows; CSRF on every form, no GET changes."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from newsdesk.store import Store, transaction
from newsdesk.store.community import (
    AccountError,
    add_comment,
    authenticate,
    bookmarked_articles,
    create_user,
    followed_articles,
    follows_of,
    toggle_bookmark,
    toggle_follow,
)
from newsdesk.store.models import User
from newsdesk.web.context import article_summary
from newsdesk.web.i18n import PageLanguage, current_language


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
    """The logged-in reader, read once per request (the page and its templates ask again)."""
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return None
    known = getattr(request.state, "reader", None)
    if isinstance(known, User) and known.id == user_id:
        return known
    with store.session() as session:
        user = session.get(User, user_id)
    request.state.reader = user
    return user


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


class LoginThrottle:
    """After 5 failures for a name or an address, each further try waits twice as long (up to 15 min)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    def wait(self, *keys: str) -> float:
        now = time.monotonic()
        with self._lock:
            return max(
                (until - now for _, until in (self._failures.get(k, (0, 0.0)) for k in keys)), default=0.0
            )

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                count = self._failures.get(key, (0, 0.0))[0] + 1
                delay = 0.0 if count < 5 else min(2.0 ** (count - 5), 900.0)
                self._failures[key] = (count, time.monotonic() + delay)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def add_account_routes(app: FastAPI, templates: Jinja2Templates, store: Store) -> None:
    throttle = LoginThrottle()

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status)

    @app.get("/{lang}/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, lang: PageLanguage, next: str | None = None) -> Response:
        return page(request, "account.html", {"mode": "login", "next": safe_next(next, f"/{lang}/")})

    @app.post("/{lang}/login", include_in_schema=False)
    def login(
        request: Request,
        lang: PageLanguage,
        username: str = Form(..., max_length=100),
        password: str = Form(..., max_length=1000),
        csrf: str = Form(""),
        next: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        keys = (f"user:{username.casefold()}", f"ip:{request.client.host if request.client else '-'}")
        if throttle.wait(*keys) > 0:
            return page(request, "account.html", {"mode": "login", "error": "too_many", "next": next}, 429)
        with store.session() as session:
            user = authenticate(session, username, password)
        if user is None:
            throttle.failed(*keys)
            return page(request, "account.html", {"mode": "login", "error": "wrong", "next": next}, 401)
        throttle.succeeded(*keys)
        request.session.clear()
        request.session["uid"] = user.id
        return RedirectResponse(safe_next(next, f"/{lang}/"), status_code=303)

    @app.get("/{lang}/register", response_class=HTMLResponse, include_in_schema=False)
    def register_form(request: Request, lang: PageLanguage) -> Response:
        return page(request, "account.html", {"mode": "register", "next": f"/{lang}/"})

    @app.post("/{lang}/register", include_in_schema=False)
    def register(
        request: Request,
        lang: PageLanguage,
        username: str = Form(..., max_length=100),
        password: str = Form(..., max_length=1000),
        csrf: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        try:
            with transaction(store.sessions) as session:
                user = create_user(session, username, password)
                user_id = user.id
        except AccountError as exc:
            return page(request, "account.html", {"mode": "register", "problem": str(exc), "next": ""}, 400)
        request.session.clear()
        request.session["uid"] = user_id
        return RedirectResponse(f"/{lang}/", status_code=303)

    @app.post("/{lang}/logout", include_in_schema=False)
    def logout(request: Request, lang: PageLanguage, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse(f"/{lang}/", status_code=303)

    @app.post("/{lang}/article/{article_id}/comments", include_in_schema=False)
    def post_comment(
        request: Request,
        lang: PageLanguage,
        article_id: str,
        body: str = Form(..., max_length=20_000),
        csrf: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        try:
            with transaction(store.sessions) as session:
                add_comment(session, user, article_id, body)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        except AccountError as exc:
            raise HTTPException(400, str(exc)) from exc
        request.app.state.shared_pages.forget(f":{article_id}")  # in every UI language
        return RedirectResponse(f"/{lang}/article/{article_id}#comments", status_code=303)

    @app.post("/{lang}/article/{article_id}/bookmark", include_in_schema=False)
    def bookmark(request: Request, lang: PageLanguage, article_id: str, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        try:
            with transaction(store.sessions) as session:
                toggle_bookmark(session, user.id, article_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        return RedirectResponse(f"/{lang}/article/{article_id}", status_code=303)

    @app.post("/{lang}/follow", include_in_schema=False)
    def follow(
        request: Request,
        lang: PageLanguage,
        kind: str = Form(..., max_length=20),
        target: str = Form(..., max_length=200),
        csrf: str = Form(""),
        next: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        try:
            with transaction(store.sessions) as session:
                toggle_follow(session, user.id, kind, target)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
        return RedirectResponse(safe_next(next, f"/{lang}/following"), status_code=303)

    @app.get("/{lang}/bookmarks", response_class=HTMLResponse, include_in_schema=False)
    def bookmarks(request: Request, lang: PageLanguage) -> Response:
        user = current_user(request, store)
        if user is None:
            return RedirectResponse(f"/{lang}/login?next=/{lang}/bookmarks", status_code=303)
        now = datetime.now(UTC)
        with store.session() as session:
            items = [article_summary(a, now) for a in bookmarked_articles(session, user.id)]
        return page(request, "listing.html", {"kind": "bookmarks", "items": items, "next_cursor": None})

    @app.get("/{lang}/following", response_class=HTMLResponse, include_in_schema=False)
    def following(request: Request, lang: PageLanguage, cursor: str | None = None) -> Response:
        user = current_user(request, store)
        if user is None:
            return RedirectResponse(f"/{lang}/login?next=/{lang}/following", status_code=303)
        now = datetime.now(UTC)
        with store.session() as session:
            articles, next_cursor = followed_articles(session, user.id, cursor)
            items = [article_summary(a, now) for a in articles]
        return page(
            request, "listing.html", {"kind": "following", "items": items, "next_cursor": next_cursor}
        )


def user_context(request: Request, store: Store) -> dict[str, Any]:
    """What templates know about the reader: who they are, what they follow, and the form token."""
    user = current_user(request, store) if "session" in request.scope else None
    return {
        "user": {"name": user.display_name or user.username, "is_admin": user.is_admin} if user else None,
        "follows": reader_follows(request, store),
        "csrf": LazyCsrfToken(request) if "session" in request.scope else "",
        "lang": current_language.get(),
    }
