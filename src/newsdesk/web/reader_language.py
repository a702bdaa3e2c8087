"""The reader's language at the site's root: a language they chose (cookie), else their browser's."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from newsdesk.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "newsdesk_lang"  # set by app.js when the reader picks a language in the header


def accepted_languages(header: str) -> list[str]:
    """The primary language codes of an Accept-Language header, most wanted first ("de-AT;q=0.8" -> de).

    Entries with q=0 are refused ones and left out; equal weights keep the order the browser sent.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        code, _, params = item.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = code.strip().split("-")[0].lower()
        if primary and weight > 0:
            weighted.append((-weight, position, primary))
    return [code for _, _, code in sorted(weighted)]


def preferred_language(cookie: str | None, accept_language: str) -> str:
    """The site language for a reader: the one they chose, else the first their browser accepts."""
    if cookie in LANGUAGES:
        return cookie
    for code in accepted_languages(accept_language):
        if code in LANGUAGES:
            return code
        if code == "*":
            break
    return DEFAULT_LANGUAGE


def add_root_redirect(app: FastAPI) -> None:
    """``/`` sends each reader to the front page in their language."""

    @app.get("/", include_in_schema=False)
    def root(request: Request) -> Response:
        chosen = preferred_language(
            request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language", "")
        )
        # Not cached by browsers or shared caches for another reader: it depends on both headers.
        headers = {"Vary": "Accept-Language, Cookie", "Cache-Control": "private, no-cache"}
        return RedirectResponse(f"/{chosen}/", status_code=302, headers=headers)
