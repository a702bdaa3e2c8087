"""Readers' routes: sign-up, log-in, comments, bookmarks, follows; CSRF on every form, no GET changes."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from newsdesk.settings import Settings
from newsdesk.store import Store, transaction
from newsdesk.store.app_passwords import create_app_password, list_app_passwords, revoke_app_password
from newsdesk.store.community import (
    AccountError,
    CommentLimits,
    TooManyComments,
    WrongPassword,
    add_comment,
    authenticate,
    change_password,
    create_user,
    delete_user,
    end_sessions,
    follows_of,
    login_key,
    toggle_bookmark,
)
from newsdesk.store.models import User
from newsdesk.store.reading import read_horizon, set_read, unread_among
from newsdesk.web.i18n import PageLanguage, current_language
from newsdesk.web.limits import FailureThrottle, WindowLimit
from newsdesk.web.params import RowId


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


def add_account_routes(app: FastAPI, templates: Jinja2Templates, store: Store, settings: Settings) -> None:
    throttle = FailureThrottle()  # per account name (as log-in spells it) and per address
    signups = WindowLimit(settings.signups_per_hour, 3600.0)
    limits = comment_limits(settings)

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
        account, address = f"user:{login_key(username)}", f"ip:{client_address(request)}"
        if throttle.wait(account, address) > 0:
            return page(request, "account.html", {"mode": "login", "error": "too_many", "next": next}, 429)
        with store.session() as session:
            user = authenticate(session, username, password)
        if user is None:
            throttle.failed(account, address)
            return page(request, "account.html", {"mode": "login", "error": "wrong", "next": next}, 401)
        if user.banned_at is not None:
            return page(request, "account.html", {"mode": "login", "error": "banned", "next": next}, 403)
        throttle.succeeded(account)
        start_session(request, user)
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
        address = f"ip:{client_address(request)}"
        if signups.full(address):
            return page(request, "account.html", {"mode": "register", "error": "too_many", "next": ""}, 429)
        try:
            with transaction(store.sessions) as session:
                user = create_user(session, username, password)
        except AccountError as exc:
            return page(request, "account.html", {"mode": "register", "problem": str(exc), "next": ""}, 400)
        signups.add(address)
        start_session(request, user)
        return RedirectResponse(f"/{lang}/", status_code=303)

    @app.post("/{lang}/logout", include_in_schema=False)
    def logout(request: Request, lang: PageLanguage, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        user = current_user(request, store)
        if user is not None:
            with transaction(store.sessions) as session:
                end_sessions(session, user.id)
        request.session.clear()
        return logged_out(RedirectResponse(f"/{lang}/", status_code=303))

    def settings_page(request: Request, user: User, context: dict[str, Any], status: int = 200) -> Response:
        """The account page with the reader's app passwords (and what the apps' server fields take)."""
        with store.session() as session:
            passwords = [
                {"id": p.id, "label": p.label, "created_at": p.created_at, "last_used_at": p.last_used_at}
                for p in list_app_passwords(session, user.id)
            ]
        base = request.app.state.public_url
        apps = {"greader": f"{base}/api/greader", "fever": f"{base}/api/fever.php", "user": user.username}
        full = {"app_passwords": passwords, "apps": apps, **context}
        return page(request, "account_settings.html", full, status)

    @app.get("/{lang}/account", response_class=HTMLResponse, include_in_schema=False)
    def account_settings(request: Request, lang: PageLanguage) -> Response:
        user = current_user(request, store)
        if user is None:
            return RedirectResponse(f"/{lang}/login?next=/{lang}/account", status_code=303)
        return settings_page(request, user, {})

    @app.post("/{lang}/account/app-passwords", include_in_schema=False)
    def account_new_app_password(
        request: Request, lang: PageLanguage, label: str = Form("", max_length=100), csrf: str = Form("")
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        try:
            with transaction(store.sessions) as session:
                made = create_app_password(session, user, label)
        except AccountError as exc:
            return settings_page(request, user, {"problem": str(exc)}, 400)
        return settings_page(request, user, {"new_app_password": made})

    @app.post("/{lang}/account/app-passwords/{password_id}/revoke", include_in_schema=False)
    def account_revoke_app_password(
        request: Request, lang: PageLanguage, password_id: RowId, csrf: str = Form("")
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        try:
            with transaction(store.sessions) as session:
                revoke_app_password(session, user.id, password_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        return RedirectResponse(f"/{lang}/account", status_code=303)

    @app.post("/{lang}/account/password", include_in_schema=False)
    def account_password(
        request: Request,
        lang: PageLanguage,
        current: str = Form(..., max_length=1000),
        password: str = Form(..., max_length=1000),
        csrf: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        account = f"user:{user.username}"
        if throttle.wait(account) > 0:
            return settings_page(request, user, {"error": "too_many"}, 429)
        try:
            with transaction(store.sessions) as session:
                change_password(session, user.id, current, password)
                changed = session.get(User, user.id)
                assert changed is not None
                start_session(request, changed)  # this browser stays logged in; every other one is out
        except AccountError as exc:
            if isinstance(exc, WrongPassword):
                throttle.failed(account)
            return settings_page(request, user, {"problem": str(exc)}, 400)
        return settings_page(request, user, {"changed": True})

    @app.post("/{lang}/account/delete", include_in_schema=False)
    def account_delete(
        request: Request, lang: PageLanguage, password: str = Form(..., max_length=1000), csrf: str = Form("")
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        account = f"user:{user.username}"
        if throttle.wait(account) > 0:
            return settings_page(request, user, {"error": "too_many"}, 429)
        with transaction(store.sessions) as session:
            if authenticate(session, user.username, password) is None:
                throttle.failed(account)
                return settings_page(request, user, {"error": "wrong"}, 401)
            delete_user(session, user.id)
        request.session.clear()
        request.app.state.shared_pages.forget("article:")  # their comments are gone from every page
        return logged_out(RedirectResponse(f"/{lang}/", status_code=303))

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
                comment = add_comment(session, user, article_id, body, limits)
                held = comment.status == "held"
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        except AccountError as exc:
            raise HTTPException(429 if isinstance(exc, TooManyComments) else 400, str(exc)) from exc
        request.app.state.shared_pages.forget(f":{article_id}")  # in every UI language
        anchor = "?held=1#comments" if held else "?comments=last#comments"
        return RedirectResponse(f"/{lang}/article/{article_id}{anchor}", status_code=303)

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

    @app.post("/{lang}/article/{article_id}/read", include_in_schema=False)
    def mark_read(
        request: Request,
        lang: PageLanguage,
        article_id: str,
        read: str = Form("1", max_length=1),
        csrf: str = Form(""),
        next: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf)
        user = require_user(request, store)
        with transaction(store.sessions) as session:
            if not set_read(session, user.id, [article_id.lower()], read == "1"):
                raise HTTPException(404, f"no article {article_id}")
        return RedirectResponse(safe_next(next, f"/{lang}/article/{article_id}"), status_code=303)


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
