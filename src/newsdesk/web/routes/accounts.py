"""Readers' account routes: sign-up, log-in, log-out, account settings, comments, bookmarks, read marks;
CSRF on every form, no GET changes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from newsdesk.store import transaction
from newsdesk.store.app_passwords import create_app_password, list_app_passwords, revoke_app_password
from newsdesk.store.community import (
    AccountError,
    TooManyComments,
    WrongPassword,
    add_comment,
    authenticate,
    change_password,
    create_user,
    delete_user,
    end_sessions,
    login_key,
    toggle_bookmark,
)
from newsdesk.store.models import User
from newsdesk.store.reading import set_read
from newsdesk.web.accounts import (
    check_csrf,
    client_address,
    comment_limits,
    current_user,
    logged_out,
    require_user,
    safe_next,
    start_session,
)
from newsdesk.web.errors import missing_as_404
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.limits import FailureThrottle, WindowLimit
from newsdesk.web.pages.respond import StoreDep, get_templates, site_store
from newsdesk.web.params import RowId

router = APIRouter(include_in_schema=False)


def login_throttle(request: Request) -> FailureThrottle:
    """Failed log-ins of the site, per account name (as log-in spells it) and per address."""
    throttle: FailureThrottle = request.app.state.login_throttle
    return throttle


def signup_limit(request: Request) -> WindowLimit:
    """Sign-ups of the site per address and hour."""
    signups: WindowLimit = request.app.state.signups
    return signups


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return get_templates(request).TemplateResponse(request, name, context, status_code=status)


@router.get("/{lang}/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, lang: PageLanguage, next: str | None = None) -> Response:
    return page(request, "account.html", {"mode": "login", "next": safe_next(next, f"/{lang}/")})


@router.post("/{lang}/login", include_in_schema=False)
def login(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    username: str = Form(..., max_length=100),
    password: str = Form(..., max_length=1000),
    csrf: str = Form(""),
    next: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    account, address = f"user:{login_key(username)}", f"ip:{client_address(request)}"
    if login_throttle(request).wait(account, address) > 0:
        return page(request, "account.html", {"mode": "login", "error": "too_many", "next": next}, 429)
    with store.session() as session:
        user = authenticate(session, username, password)
    if user is None:
        login_throttle(request).failed(account, address)
        return page(request, "account.html", {"mode": "login", "error": "wrong", "next": next}, 401)
    if user.banned_at is not None:
        return page(request, "account.html", {"mode": "login", "error": "banned", "next": next}, 403)
    login_throttle(request).succeeded(account)
    start_session(request, user)
    return RedirectResponse(safe_next(next, f"/{lang}/"), status_code=303)


@router.get("/{lang}/register", response_class=HTMLResponse, include_in_schema=False)
def register_form(request: Request, lang: PageLanguage) -> Response:
    return page(request, "account.html", {"mode": "register", "next": f"/{lang}/"})


@router.post("/{lang}/register", include_in_schema=False)
def register(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    username: str = Form(..., max_length=100),
    password: str = Form(..., max_length=1000),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    address = f"ip:{client_address(request)}"
    if signup_limit(request).full(address):
        return page(request, "account.html", {"mode": "register", "error": "too_many", "next": ""}, 429)
    try:
        with transaction(store.sessions) as session:
            user = create_user(session, username, password)
    except AccountError as exc:
        return page(request, "account.html", {"mode": "register", "problem": str(exc), "next": ""}, 400)
    signup_limit(request).add(address)
    start_session(request, user)
    return RedirectResponse(f"/{lang}/", status_code=303)


@router.post("/{lang}/logout", include_in_schema=False)
def logout(request: Request, store: StoreDep, lang: PageLanguage, csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    user = current_user(request, store)
    if user is not None:
        with transaction(store.sessions) as session:
            end_sessions(session, user.id)
    request.session.clear()
    return logged_out(RedirectResponse(f"/{lang}/", status_code=303))


def settings_page(request: Request, user: User, context: dict[str, Any], status: int = 200) -> Response:
    """The account page with the reader's app passwords (and what the apps' server fields take)."""
    with site_store(request).session() as session:
        passwords = [
            {"id": p.id, "label": p.label, "created_at": p.created_at, "last_used_at": p.last_used_at}
            for p in list_app_passwords(session, user.id)
        ]
    base = request.app.state.public_url
    apps = {"greader": f"{base}/api/greader", "fever": f"{base}/api/fever.php", "user": user.username}
    full = {"app_passwords": passwords, "apps": apps, **context}
    return page(request, "account_settings.html", full, status)


@router.get("/{lang}/account", response_class=HTMLResponse, include_in_schema=False)
def account_settings(request: Request, store: StoreDep, lang: PageLanguage) -> Response:
    user = current_user(request, store)
    if user is None:
        return RedirectResponse(f"/{lang}/login?next=/{lang}/account", status_code=303)
    return settings_page(request, user, {})


@router.post("/{lang}/account/app-passwords", include_in_schema=False)
def account_new_app_password(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    label: str = Form("", max_length=100),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    try:
        with transaction(store.sessions) as session:
            made = create_app_password(session, user, label)
    except AccountError as exc:
        return settings_page(request, user, {"problem": str(exc)}, 400)
    return settings_page(request, user, {"new_app_password": made})


@router.post("/{lang}/account/app-passwords/{password_id}/revoke", include_in_schema=False)
def account_revoke_app_password(
    request: Request, store: StoreDep, lang: PageLanguage, password_id: RowId, csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    with missing_as_404(), transaction(store.sessions) as session:
        revoke_app_password(session, user.id, password_id)
    return RedirectResponse(f"/{lang}/account", status_code=303)


@router.post("/{lang}/account/password", include_in_schema=False)
def account_password(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    current: str = Form(..., max_length=1000),
    password: str = Form(..., max_length=1000),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    account = f"user:{user.username}"
    if login_throttle(request).wait(account) > 0:
        return settings_page(request, user, {"error": "too_many"}, 429)
    try:
        with transaction(store.sessions) as session:
            change_password(session, user.id, current, password)
            changed = session.get(User, user.id)
            assert changed is not None
            start_session(request, changed)  # this browser stays logged in; every other one is out
    except AccountError as exc:
        if isinstance(exc, WrongPassword):
            login_throttle(request).failed(account)
        return settings_page(request, user, {"problem": str(exc)}, 400)
    return settings_page(request, user, {"changed": True})


@router.post("/{lang}/account/delete", include_in_schema=False)
def account_delete(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    password: str = Form(..., max_length=1000),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    account = f"user:{user.username}"
    if login_throttle(request).wait(account) > 0:
        return settings_page(request, user, {"error": "too_many"}, 429)
    with transaction(store.sessions) as session:
        if authenticate(session, user.username, password) is None:
            login_throttle(request).failed(account)
            return settings_page(request, user, {"error": "wrong"}, 401)
        delete_user(session, user.id)
    request.session.clear()
    request.app.state.shared_pages.forget("article:")  # their comments are gone from every page
    return logged_out(RedirectResponse(f"/{lang}/", status_code=303))


@router.post("/{lang}/article/{article_id}/comments", include_in_schema=False)
def post_comment(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    article_id: str,
    body: str = Form(..., max_length=20_000),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    try:
        with missing_as_404(), transaction(store.sessions) as session:
            comment = add_comment(session, user, article_id, body, comment_limits(request.app.state.settings))
            held = comment.status == "held"
    except AccountError as exc:
        raise HTTPException(429 if isinstance(exc, TooManyComments) else 400, str(exc)) from exc
    request.app.state.shared_pages.forget(f":{article_id}")  # in every UI language
    anchor = "?held=1#comments" if held else "?comments=last#comments"
    return RedirectResponse(f"/{lang}/article/{article_id}{anchor}", status_code=303)


@router.post("/{lang}/article/{article_id}/bookmark", include_in_schema=False)
def bookmark(
    request: Request, store: StoreDep, lang: PageLanguage, article_id: str, csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request, store)
    with missing_as_404(), transaction(store.sessions) as session:
        toggle_bookmark(session, user.id, article_id)
    return RedirectResponse(f"/{lang}/article/{article_id}", status_code=303)


@router.post("/{lang}/article/{article_id}/read", include_in_schema=False)
def mark_read(
    request: Request,
    store: StoreDep,
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
