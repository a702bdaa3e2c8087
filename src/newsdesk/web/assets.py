"""Static files under fingerprinted URLs (a hash of the content in the query), cached a year when current."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from newsdesk.web.i18n import LANGUAGES

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINT_LENGTH = 12


def fingerprint_files(directory: Path, names: Iterable[str] | None = None) -> dict[str, str]:
    """The start of each file's SHA-256, by name: the files named, or every file directly in ``directory``."""
    chosen = (
        sorted(names) if names is not None else sorted(p.name for p in directory.iterdir() if p.is_file())
    )
    return {
        name: hashlib.sha256((directory / name).read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
        for name in chosen
    }


class FingerprintedFiles(StaticFiles):
    """The files of a folder, mounted at ``prefix``; ``url`` gives a file's fingerprinted path.

    A request that carries a file's current fingerprint (``?v=…``) may be kept for a year: a new version
    has a new URL. Other requests get the usual validators (ETag, Last-Modified) and no long lifetime.
    Fingerprints are computed once, when the site starts.
    """

    def __init__(self, directory: Path, prefix: str, names: Iterable[str] | None = None) -> None:
        super().__init__(directory=str(directory))
        self.prefix = prefix.rstrip("/")
        self.fingerprints = fingerprint_files(directory, names)

    def url(self, name: str) -> str:
        """A file's path with its fingerprint, relative to the site (never built from the Host header)."""
        return f"{self.prefix}/{name}?v={self.fingerprints[name]}"

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v")
        if response.status_code in (200, 304) and asked == [self.fingerprints.get(path)]:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def service_worker_source(source: str, assets: FingerprintedFiles) -> str:
    """sw.js with this start's asset URLs written into its ``var SITE = …;`` line."""
    offline = ["/offline", *(f"/{code}/offline" for code in LANGUAGES)]  # in each reader's language
    precache = [assets.url("site.css"), assets.url("app.js"), assets.url("icon.svg"), *offline]
    version = hashlib.sha256(" ".join([source, *precache]).encode()).hexdigest()[:FINGERPRINT_LENGTH]
    site = (
        "var SITE = "
        + json.dumps({"version": version, "precache": precache, "languages": list(LANGUAGES)})
        + ";"
    )
    return "\n".join(site if line.startswith("var SITE = ") else line for line in source.splitlines()) + "\n"


def add_asset_routes(app: FastAPI, templates: Jinja2Templates) -> None:
    """/static under fingerprinted URLs (the ``static`` function of templates), and the service worker."""
    assets = FingerprintedFiles(STATIC, "/static")
    app.mount("/static", assets, name="static")
    templates.env.globals["static"] = assets.url
    worker = service_worker_source((STATIC / "sw.js").read_text(encoding="utf-8"), assets)

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> Response:
        return Response(worker, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
