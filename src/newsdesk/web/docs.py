"""The API's documentation page: Swagger UI served from the swagger-ui-bundle package, started by a file."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from swagger_ui_bundle import swagger_ui_path

from newsdesk.web.assets import FingerprintedFiles
from newsdesk.web.middleware import SECURITY_HEADERS

CSP = "Content-Security-Policy"
# Swagger UI's stylesheet draws its icons as data: images; the rest of the site shows images from itself only.
DOCS_CSP = SECURITY_HEADERS[CSP].replace("img-src 'self';", "img-src 'self' data:;")

SWAGGER_UI_FILES = ("swagger-ui.css", "swagger-ui-bundle.js")
OPENAPI_URL = "/api/v1/openapi.json"


def add_docs_routes(app: FastAPI, templates: Jinja2Templates) -> None:
    """/api/v1/docs, with Swagger UI's files under /static/swagger-ui/ (the site's CSP allows only 'self')."""
    swagger_ui = FingerprintedFiles(swagger_ui_path, "/static/swagger-ui", SWAGGER_UI_FILES)
    app.mount("/static/swagger-ui", swagger_ui, name="swagger-ui")
    templates.env.globals["swagger_ui"] = swagger_ui.url

    @app.get("/api/v1/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        response = templates.TemplateResponse(request, "api_docs.html", {"openapi_url": OPENAPI_URL})
        response.headers[CSP] = DOCS_CSP
        return response
