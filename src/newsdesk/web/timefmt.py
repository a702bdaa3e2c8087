"""Relative and exact times for readers ("12 hours ago")."""

from __future__ import annotations

from datetime import UTC, datetime


def relative_time(when: datetime, now: datetime | None = None) -> str:
    """Say how long ago ``when`` was, in the words of a news site."""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in (
        (86400 * 365, "year"),
        (86400 * 30, "month"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ):
        if seconds >= size:
            count = seconds // size
            if unit == "hour" and count == 1:
                return "an hour ago"
            if unit == "minute" and count == 1:
                return "a minute ago"
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def exact_time(when: datetime) -> str:
    """The full UTC time, for tooltips: '25 Nov 2026, 14:05 UTC'."""
    return when.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
