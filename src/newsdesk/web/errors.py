"""The site's error responses: the error page for readers, JSON under /api/."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.store.articles import BadCursor
from newsdesk.web.context import NotFound
from newsdesk.web.i18n import gettext
from newsdesk.web.pages.respond import wants_json

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The one error shape of the API and of the pages' JSON twins."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (the If-None-Match ETag matches)"},
    400: {
        "model": ErrorBody,
        "description": "A parameter is not valid (e.g. a cursor this API did not write)",
    },
    404: {"model": ErrorBody, "description": "No such item"},
    422: {"model": ErrorBody, "description": "A parameter is missing or out of range"},
}

# What a reader is told on a page for a status whose detail is written for developers.
READER_STATUS_TEXT = {
    401: "Please log in first.",
    403: "Only administrators may do that.",
    404: "We could not find that page.",
    405: "This address does not answer that kind of request.",
}
# Pydantic's error types, as a reader of a page is told about them (the parameter's name leads).
DATE_ERRORS = ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type")
NUMBER_ERRORS = ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type")
RANGE_ERRORS = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")


@contextmanager
def missing_as_404() -> Iterator[None]:
    """Answer 404 for a row a form names that is not there (the store raises LookupError)."""
    try:
        yield
    except LookupError as exc:
        raise StarletteHTTPException(404, str(exc)) from exc


def reader_problem(error: Any) -> str:
    """One validation error as a sentence in the reader's language, naming the address's parameter."""
    name = str(error["loc"][-1]) if error.get("loc") else "?"
    kind = str(error.get("type", ""))
    if kind in DATE_ERRORS:
        text = gettext("%(name)s: please give a date written as YYYY-MM-DD.")
    elif kind in NUMBER_ERRORS:
        text = gettext("%(name)s: please give a whole number.")
    elif kind in RANGE_ERRORS:
        text = gettext("%(name)s: this value is outside the range this page accepts.")
    elif kind == "string_too_long":
        text = gettext("%(name)s: this value is too long.")
    elif kind == "missing":
        text = gettext("%(name)s: this value is missing.")
    else:
        text = gettext("This address has a value that is not valid: %(names)s") % {"names": name}
        return text
    return text % {"name": name}


def is_json(request: Request) -> bool:
    """Whether the error goes to a program: the API, or a page's JSON twin."""
    return request.url.path.startswith("/api/") or wants_json(request)


def add_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    """Errors as the site's error page, or as JSON under /api/ and for pages' JSON twins; a bug gives a
    500 page and is logged."""

    def error_response(request: Request, status: int, message: str) -> Response:
        if is_json(request):
            return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    def for_reader(request: Request, developer: str, reader: str) -> str:
        """The API's precise text, or a sentence in the reader's language on a page."""
        return developer if is_json(request) else reader

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
        reader = " ".join(dict.fromkeys(reader_problem(e) for e in exc.errors()))
        return error_response(request, 422, for_reader(request, problems or "invalid request", reader))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        reader = READER_STATUS_TEXT.get(exc.status_code)
        message = str(exc.detail) if reader is None else for_reader(request, str(exc.detail), gettext(reader))
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # one line: Starlette raises the error again after this response and the server logs the traceback
        log.error("%s %s failed: %r", request.method, request.url.path, exc)
        try:
            developer = "something went wrong on our side; it has been logged"
            reader = gettext("Something went wrong on our side; it has been logged. Please try again later.")
            return error_response(request, 500, for_reader(request, developer, reader))
        except Exception:  # the error page itself failed (a broken template or store)
            return PlainTextResponse("Internal Server Error", status_code=500)
