"""`newsdesk websub`: the WebSub push subscriptions, and their renewal (what the hourly job does)."""

from __future__ import annotations

import sys

import click

from newsdesk.fetch import make_fetcher
from newsdesk.log import setup_logging
from newsdesk.pipeline.hubs import renew_subscriptions
from newsdesk.settings import get_settings
from newsdesk.store import open_store
from newsdesk.store.models import Source
from newsdesk.store.websub import list_subscriptions


@click.group("websub")
def command() -> None:
    """WebSub push subscriptions: hubs send new entries at once (needs NEWSDESK_PUBLIC_URL)."""


@command.command("renew")
def renew() -> None:
    """Renew leases about to end, ask again where a request failed, unsubscribe unwanted sources."""
    settings = get_settings()
    setup_logging(settings)
    if not settings.public_url:
        click.echo("error: NEWSDESK_PUBLIC_URL is not set: hubs could not reach newsdesk", err=True)
        sys.exit(1)
    fetcher = make_fetcher(settings)
    try:
        report = renew_subscriptions(open_store(settings.database_url), fetcher, settings.public_url)
    finally:
        fetcher.close()
    click.echo(f"renewed: {report.renewed}, unsubscribed: {report.unsubscribed}, failed: {report.failed}")


@command.command("list")
def list_command() -> None:
    """Print every push subscription: source, hub, state, lease end, last push and last error."""
    store = open_store(get_settings().database_url)
    with store.session() as session:
        for row in list_subscriptions(session):
            source = session.get(Source, row.source_id) if row.source_id is not None else None
            name = source.name if source is not None else "(source removed)"
            lease = row.lease_expires_at.isoformat() if row.lease_expires_at else "-"
            pushed = row.last_push_at.isoformat() if row.last_push_at else "-"
            click.echo(f"{name}  [{row.state}]  hub <{row.hub}>  topic <{row.topic}>")
            click.echo(f"    lease until: {lease}, last push: {pushed}")
            if row.last_error:
                click.echo(f"    last error: {row.last_error}")
