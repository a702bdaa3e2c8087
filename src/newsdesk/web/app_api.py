"""The APIs reader apps sync with (Google Reader API, Fever), joined in one router the site includes."""

from __future__ import annotations

from fastapi import APIRouter

from newsdesk.web import fever, greader

app_api_router = APIRouter(include_in_schema=False)
app_api_router.include_router(greader.router)
app_api_router.include_router(fever.router)
