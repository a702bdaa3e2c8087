"""Admin pages: sources with their health, add/disable, OPML import and export, re-ingest, moderation."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from newsdesk.fetch import Fetcher, make_fetcher
from newsdesk.pipeline.discover import SourceProblem, find_feeds
from newsdesk.pipeline.ingest import reingest_article
from newsdesk.sources.opml import OpmlError, read_opml, write_opml
from newsdesk.store import Store, transaction
from newsdesk.store.community import AccountError, moderation_queue, set_banned, set_comment_status
from newsdesk.store.models import Source, User
from newsdesk.store.sources import SourceSpec, add_source, update_source
from newsdesk.store.subscriptions import export_sources, import_feeds
from newsdesk.web.accounts import check_csrf, current_user
from newsdesk.web.context import sources_context
from newsdesk.web.errors import missing_as_404
from newsdesk.web.i18n import PageLanguage
from newsdesk.web.pages.respond import StoreDep, get_templates, site_store
from newsdesk.web.params import MAX_ID, RowId

MAX_OPML_BYTES = 5_000_000
MODERATION_PAGE = 50
COMMENT_ACTIONS = {"hide": "hidden", "show": "visible"}
FETCHER_LOCK = threading.Lock()

router = APIRouter(include_in_schema=False)


def require_admin(request: Request, store: Store) -> User:
    user = current_user(request, store)
    if user is None or not user.is_admin:
        raise HTTPException(403, "only administrators can do that")
    return user


def import_opml(store: Store, data: bytes) -> str:
    """Subscribe to every feed of an OPML file; return what was read, added and skipped."""
    found = read_opml(data)
    with transaction(store.sessions) as session:
        added = import_feeds(session, found.feeds)
    return f"{found.summary()}; {added} added"


def admin_fetcher(request: Request) -> Fetcher:
    """The fetcher of the admin pages (discovery, re-ingest): one per site, made on first use."""
    state = request.app.state
    with FETCHER_LOCK:
        if getattr(state, "admin_fetcher", None) is None:
            state.admin_fetcher = make_fetcher(state.settings)
    fetcher: Fetcher = state.admin_fetcher
    return fetcher


def sources_page(request: Request, message: str = "", status: int = 200) -> Response:
    store = site_store(request)
    require_admin(request, store)
    with store.session() as session:
        context: dict[str, Any] = sources_context(session, private=True)
    context["message"] = message
    return get_templates(request).TemplateResponse(request, "admin_sources.html", context, status_code=status)


@router.get("/{lang}/admin/sources", response_class=HTMLResponse, include_in_schema=False)
def admin_sources(request: Request, lang: PageLanguage) -> Response:
    return sources_page(request)


@router.post("/{lang}/admin/sources", include_in_schema=False)
def admin_add_source(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    url: str = Form(..., max_length=2000),
    csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    if urlsplit(url).scheme not in ("http", "https"):
        return sources_page(request, f"{url!r} is not an http(s) URL", 400)
    try:
        feeds = find_feeds(admin_fetcher(request), url)
    except SourceProblem as exc:
        return sources_page(request, str(exc), 400)
    with transaction(store.sessions) as session:
        for feed_url, feed in feeds:
            spec = SourceSpec(
                feed_url=feed_url,
                name=feed.title or urlsplit(feed_url).netloc,
                site_url=feed.site_url if feed.site_url != feed_url else "",
                feed_format=feed.format,
                language=feed.language.split("-")[0],
            )
            add_source(session, spec)
    return RedirectResponse(f"/{lang}/admin/sources", status_code=303)


@router.post("/{lang}/admin/sources/{source_id}/toggle", include_in_schema=False)
def admin_toggle_source(
    request: Request, store: StoreDep, lang: PageLanguage, source_id: RowId, csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    with transaction(store.sessions) as session:
        source = session.get(Source, source_id)
        if source is None:
            raise HTTPException(404, f"no source {source_id}")
        update_source(session, source, {"enabled": not source.enabled})
    return RedirectResponse(f"/{lang}/admin/sources", status_code=303)


@router.get("/admin/opml", include_in_schema=False)
def admin_export_opml(request: Request, store: StoreDep) -> Response:
    require_admin(request, store)
    with store.session() as session:
        feeds = export_sources(session)
    headers = {"Content-Disposition": 'attachment; filename="newsdesk.opml"'}
    return Response(write_opml(feeds), media_type="text/x-opml", headers=headers)


@router.post("/{lang}/admin/opml", include_in_schema=False)
async def admin_import_opml(
    request: Request, store: StoreDep, lang: PageLanguage, file: UploadFile = File(...), csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    data = await file.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        return sources_page(request, "that OPML file is larger than 5 MB", 413)
    try:
        summary = import_opml(store, data)
    except OpmlError as exc:
        return sources_page(request, str(exc), 400)
    return sources_page(request, summary)


@router.post("/{lang}/admin/article/{article_id}/reingest", include_in_schema=False)
def admin_reingest(
    request: Request, store: StoreDep, lang: PageLanguage, article_id: str, csrf: str = Form("")
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    try:
        reingest_article(store, admin_fetcher(request), article_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(502, str(exc)) from exc
    return RedirectResponse(f"/{lang}/article/{article_id}", status_code=303)


@router.get("/{lang}/admin/moderation", response_class=HTMLResponse, include_in_schema=False)
def admin_moderation(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    page: int = Query(1, ge=1, le=100_000),
    status: str = Query("", pattern="^(|visible|hidden|held)$"),
) -> Response:
    require_admin(request, store)
    with store.session() as session:
        comments, total = moderation_queue(
            session, status=status or None, page=page, per_page=MODERATION_PAGE
        )
    pages = max(1, -(-total // MODERATION_PAGE))
    query = f"&status={status}" if status else ""
    context = {
        "comments": comments,
        "total": total,
        "page": page,
        "pages": pages,
        "status": status,
        "prev_url": f"?page={page - 1}{query}" if page > 1 else None,
        "next_url": f"?page={page + 1}{query}" if page < pages else None,
    }
    return get_templates(request).TemplateResponse(request, "admin_moderation.html", context)


@router.post("/{lang}/admin/comments", include_in_schema=False)
def admin_comments_bulk(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    action: str = Form(..., pattern="^(hide|show)$"),
    ids: list[int] = Form([], max_length=MODERATION_PAGE),
    csrf: str = Form(""),
    back: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    ids = [i for i in ids if 1 <= i <= MAX_ID]
    with missing_as_404(), transaction(store.sessions) as session:
        set_comment_status(session, ids, COMMENT_ACTIONS[action])
    request.app.state.shared_pages.forget("article:")  # the comments' pages show the change at once
    return RedirectResponse(moderation_url(lang, back), status_code=303)


@router.post("/{lang}/admin/comments/{comment_id}/{action}", include_in_schema=False)
def admin_comment(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    action: str,
    comment_id: RowId,
    csrf: str = Form(""),
    back: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    if action not in COMMENT_ACTIONS:
        raise HTTPException(404, "no such action")
    with missing_as_404(), transaction(store.sessions) as session:
        set_comment_status(session, [comment_id], COMMENT_ACTIONS[action])
    request.app.state.shared_pages.forget("article:")  # the comment's page shows the change at once
    return RedirectResponse(moderation_url(lang, back), status_code=303)


@router.post("/{lang}/admin/users/{user_id}/{action}", include_in_schema=False)
def admin_ban(
    request: Request,
    store: StoreDep,
    lang: PageLanguage,
    action: str,
    user_id: RowId,
    csrf: str = Form(""),
    back: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    require_admin(request, store)
    if action not in ("ban", "unban"):
        raise HTTPException(404, "no such action")
    try:
        with missing_as_404(), transaction(store.sessions) as session:
            set_banned(session, user_id, action == "ban")
    except AccountError as exc:
        raise HTTPException(400, str(exc)) from exc
    request.app.state.shared_pages.forget("article:")  # a banned reader's comments are hidden
    return RedirectResponse(moderation_url(lang, back), status_code=303)


def moderation_url(lang: str, back: str) -> str:
    """The moderation page the form was on (its query only: never another site)."""
    query = back if back.startswith("?") and "//" not in back and len(back) < 100 else ""
    return f"/{lang}/admin/moderation{query}"
