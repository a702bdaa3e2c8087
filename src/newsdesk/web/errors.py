"""The site's error responses: the error page for readers, JSON under /api/."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.store.articles import BadCursor
from newsdesk.web.context import NotFound
from newsdesk.web.i18n import gettext

log = logging.getLogger(__name__)


def add_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    """Errors as the site's error page, or as JSON under /api/; a bug gives a 500 page and is logged."""

    def error_response(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    def for_reader(request: Request, developer: str, reader: str) -> str:
        """The API's precise text, or a sentence in the reader's language on a page."""
        return developer if request.url.path.startswith("/api/") else reader

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error_response(
            request, 404, for_reader(request, str(exc), gettext("We could not find that page."))
        )

    @app.exception_handler(BadCursor)
    async def bad_cursor(request: Request, exc: BadCursor) -> Response:
        reader = gettext("This list's page link is not valid; start again from its first page.")
        return error_response(request, 400, for_reader(request, str(exc), reader))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(tuple(e["loc"][:2]) == ("path", "lang") for e in exc.errors()):
            return error_response(
                request, 404, for_reader(request, "no such page", gettext("We could not find that page."))
            )
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        names = ", ".join(sorted({str(e["loc"][-1]) for e in exc.errors()}))
        reader = gettext("This address has a value that is not valid: %(names)s") % {"names": names}
        return error_response(request, 422, for_reader(request, problems or "invalid request", reader))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # one line: Starlette raises the error again after this response and the server logs the traceback
        log.error("%s %s failed: %r", request.method, request.url.path, exc)
        try:
            return error_response(request, 500, "something went wrong on our side; it has been logged")
        except Exception:  # the error page itself failed (a broken template or store)
            return PlainTextResponse("Internal Server Error", status_code=500)
