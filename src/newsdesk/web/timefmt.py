"""Relative and exact times for readers ("12 hours ago", "vor 12 Stunden"), in the request's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
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
    """The full UTC time to the minute, for tooltips: 'Nov 25, 2026, 2:05 PM UTC' (in the reader's
    language: '25.11.2026, 14:05 UTC'). Babel's medium date and short time, each kept: Babel took 30 µs
    a time, a page shows a dozen, and a cold page's times are seldom those of the page before."""
    utc, language = when.astimezone(UTC), language or current_language.get()
    clock, day = clock_time(utc.hour, utc.minute, language), calendar_day(utc.date(), language)
    return date_time_pattern(language).replace("{0}", clock).replace("{1}", day) + " UTC"


@lru_cache(maxsize=16)
def date_time_pattern(language: str) -> str:
    """How a language joins a date ({1}) and a time ({0}), as Babel's ``format_datetime`` joins them."""
    return str(get_datetime_format("medium", locale=babel_locale(language))).replace("'", "")


@lru_cache(maxsize=4096)
def calendar_day(day: date, language: str) -> str:
    return format_date(day, "medium", locale=babel_locale(language))


@lru_cache(maxsize=24 * 60 * 4)
def clock_time(hour: int, minute: int, language: str) -> str:
    return format_time(time(hour, minute), "short", locale=babel_locale(language))


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
    # each value escaped here: Markup.format would do the same in 30 µs
    return Markup(f'<time datetime="{escape(value)}" title="{exact}">{relative}</time>')
