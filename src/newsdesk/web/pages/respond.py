"""How a page answers: its model rendered by its template, or as JSON at `<page>.json` or for
`Accept: application/json`; the store, templates and caches the routes depend on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from newsdesk.ai import LLMSettings
from newsdesk.store import Store
from newsdesk.web.cache import TTLCache
from newsdesk.web.shared_pages import page_for

JSON_SUFFIX = ".json"
JSON_TYPE = "application/json"
HTML_TYPE = "text/html"


def site_store(request: Request) -> Store:
    """The site's store (one per application, set by ``create_app``)."""
    store: Store = request.app.state.store
    return store


async def get_store(request: Request) -> Store:
    """``site_store`` as a dependency: async, so FastAPI does not hand it to a thread (0.2 ms a page)."""
    return site_store(request)


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_llm(request: Request) -> LLMSettings | None:
    """The LLM backend's settings, or None (answers are then extractive)."""
    llm: LLMSettings | None = request.app.state.llm
    return llm


def get_shared_pages(request: Request) -> TTLCache:
    """Pages readers who are not logged in share (``shared_pages.page_for``)."""
    shared: TTLCache = request.app.state.shared_pages
    return shared


StoreDep = Annotated[Store, Depends(get_store)]
LLMDep = Annotated[LLMSettings | None, Depends(get_llm)]


def prefers_json(accept: str) -> bool:
    """Whether an Accept header ranks JSON first (the first of the types of the highest quality)."""
    best, best_q = "", -1.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > best_q:
            best, best_q = media.lower(), quality
    return best == JSON_TYPE


def wants_json(request: Request) -> bool:
    """A page's JSON twin: asked at ``<page>.json``, or at the page with ``Accept: application/json``."""
    return request.url.path.endswith(JSON_SUFFIX) or prefers_json(request.headers.get("accept", ""))


def render_page(request: Request, template: str, model: BaseModel) -> Response:
    """The page: its model as JSON when asked so, else its template given the model's fields."""
    if wants_json(request):
        return with_vary(JSONResponse(model.model_dump(mode="json")))
    templates = get_templates(request)
    # exclude_unset: the template sees the fields as the page's data gave them (absent stays absent)
    return with_vary(templates.TemplateResponse(request, template, model.model_dump(exclude_unset=True)))


def with_vary(response: Response) -> Response:
    """A page's address answers HTML or JSON by the Accept header: caches must keep them apart."""
    if "vary" not in response.headers:
        response.headers["Vary"] = "Accept"
    return response


async def shared_page(
    request: Request, key: str, render: Callable[[], Response], *, cheap: bool = False
) -> Response:
    """``render``'s page (or twin), one copy shared for a few seconds by readers who are not logged in.

    ``cheap``: the page is a few point reads and a template, built on the event loop where reads are
    local (``builds_on_loop``).
    """
    as_json = wants_json(request)
    media = JSON_TYPE if as_json else HTML_TYPE
    key = f"{key}:json" if as_json else key
    on_loop = cheap and builds_on_loop(site_store(request))
    response = await page_for(request, get_shared_pages(request), key, render, media, on_loop=on_loop)
    return with_vary(response)


def builds_on_loop(store: Store) -> bool:
    """Whether cheap pages are built on the event loop: on SQLite, whose reads are of a local file and
    take microseconds. On 2 processors a thread per cold article page cost 0.35 ms of its 2 ms and the
    threads' fight over the interpreter (`newsdesk bench web`, article x20000 at 10 connections: 380
    pages/s built on threads, 520 on the loop). A server over the network keeps its waits on threads."""
    return store.dialect == "sqlite"


def login_redirect_or_401(request: Request, lang: str, page: str) -> Response:
    """A reader's own page asked by someone not logged in: to the log-in form, or a JSON 401 for a twin."""
    if wants_json(request):
        raise HTTPException(401, "log in first")
    return RedirectResponse(f"/{lang}/login?next=/{lang}/{page}", status_code=303)
