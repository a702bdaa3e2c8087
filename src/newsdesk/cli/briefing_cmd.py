"""`newsdesk briefing`: the day's top stories with their summaries, facts and sources, as text or JSON."""

from __future__ import annotations

import json
from datetime import date

import click

from newsdesk.ai.llm import llm_settings
from newsdesk.settings import get_settings
from newsdesk.store import open_store
from newsdesk.web.briefing import briefing_context


@click.command("briefing")
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="One day, UTC (default: the last 24 hours)",
)
@click.option("--edition", default=None, help="A country code: only that edition's sources")
@click.option("--json", "as_json", is_flag=True, help="Print JSON")
def command(day: object, edition: str | None, as_json: bool) -> None:
    """Print the daily briefing: top stories by distinct sources, each with summary, facts and sources."""
    settings = get_settings()
    store = open_store(settings.database_url)
    chosen = day.date() if day is not None else None  # type: ignore[attr-defined]
    with store.session() as session:
        context = briefing_context(
            session, chosen if isinstance(chosen, date) else None, edition, llm_settings(settings)
        )
    if as_json:
        click.echo(json.dumps(context, ensure_ascii=False, indent=2))
        return
    when = "the last 24 hours" if context["last_24_hours"] else context["date"]
    click.echo(f"Daily briefing, {when} ({context['story_count']} stories)")
    for number, entry in enumerate(context["entries"], 1):
        click.echo(f"\n{number}. {entry['title']} ({entry['source_count']} sources)")
        for sentence in entry["summary"]:
            click.echo(f"   - {sentence['text']}")
        if entry["facts"]:
            click.echo("   facts: " + "; ".join(entry["facts"]))
        click.echo("   sources: " + ", ".join(s["source"] for s in entry["sources"]))
