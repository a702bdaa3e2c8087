"""Relative and exact times for readers ("12 hours ago", "vor 12 Stunden"), in the request's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_datetime, format_timedelta
from markupsafe import Markup, escape

from newsdesk.web.i18n import current_language, gettext


@lru_cache(maxsize=16)
def babel_locale(language: str) -> Locale:
    """Babel's data for a language, parsed once (a page formats a dozen times or more)."""
    return Locale.parse(language)


def relative_time(when: datetime, now: datetime | None = None, language: str | None = None) -> str:
    """Say how long ago ``when`` was, in the words of a news site."""
    now = now or datetime.now(UTC)
    delta = when - now
    if abs(delta.total_seconds()) < 60:
        return gettext("just now")
    return format_timedelta(
        delta, add_direction=True, locale=babel_locale(language or current_language.get())
    )


def exact_time(when: datetime, language: str | None = None) -> str:
    """The full UTC time, for tooltips: 'Nov 25, 2026, 2:05 PM UTC' (the browser shows it in local time)."""
    return exact_utc_time(when.astimezone(UTC), language or current_language.get())


@lru_cache(maxsize=8192)
def exact_utc_time(when: datetime, language: str) -> str:
    """exact_time of a UTC time, kept: Babel takes about 30 µs a time, and a page shows a dozen."""
    return f"{format_datetime(when, 'medium', tzinfo=UTC, locale=babel_locale(language))} UTC"


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def time_element(item: Mapping[str, Any], field: str = "published_at") -> Markup:
    """Templates' ``when(item)``: an item's time as ``<time>``, relative, with the exact time on hover
    (``context.time_fields`` made all three). A function, not a macro: a page shows a dozen, and a
    macro call cost about 10 µs."""
    value = item.get(field)
    if not value:
        return Markup("")
    exact, relative = escape(item.get(f"{field}_exact") or ""), escape(item.get(f"{field}_relative") or "")
    return Markup(
        f'<time datetime="{escape(value)}" title="{exact}">{relative}</time>'
    )  # Markup.format: 30 µs
