"""The `newsdesk` command: serve, worker, demo, sources and store administration."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from newsdesk import __version__
from newsdesk.log import setup_logging
from newsdesk.settings import describe_settings, get_settings


class LazyGroup(click.Group):
    """A group whose commands live in their own modules (each defines `command`), imported when used."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def _available(self) -> dict[str, str]:
        return {name: module for name, module in self.lazy.items() if importlib.util.find_spec(module)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._available()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self._available().get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        command = importlib.import_module(module).command
        assert isinstance(command, click.Command)
        return command


# Commands of the measured stages, one module each.
STAGE_COMMANDS = {
    "extract": "newsdesk.cli.extract_cmd",
    "cluster": "newsdesk.cli.cluster_cmd",
    "classify": "newsdesk.cli.classify_cmd",
    "summarize": "newsdesk.cli.summarize_cmd",
    "briefing": "newsdesk.cli.briefing_cmd",
    "app-password": "newsdesk.cli.app_password_cmd",
    "websub": "newsdesk.cli.websub_cmd",
}
BENCH_COMMANDS = {
    "extract": "newsdesk.bench.extraction",
    "cluster": "newsdesk.bench.clustering",
    "classify": "newsdesk.bench.classification",
    "summarize": "newsdesk.bench.summarization",
    "poll": "newsdesk.bench.polling",
    "web": "newsdesk.bench.web",
    "busy": "newsdesk.bench.busy",
    "scale": "newsdesk.bench.scale",
    "ask": "newsdesk.bench.asking",
    "facts": "newsdesk.bench.facts",
    "language": "newsdesk.bench.language",
    "cluster-bound": "newsdesk.bench.cluster_bound",
    "feeds": "newsdesk.bench.feedcorpus",
    "search": "newsdesk.bench.search",
}


@click.group(cls=LazyGroup, lazy=STAGE_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
def cli() -> None:
    """newsdesk: a self-hostable news aggregator (global content with local flavor)."""


@cli.command()
def config() -> None:
    """Print the effective settings (secrets masked; for the session key, where it comes from)."""
    from newsdesk.web.session_key import describe_session_key

    settings = get_settings()
    for name, value, help_text in describe_settings(settings):
        if name == "NEWSDESK_SECRET_KEY":
            value = f"({describe_session_key(settings)})"
        click.echo(f"{name}={value}")
        click.echo(f"    {help_text}")


@cli.group()
def db() -> None:
    """Manage the store's schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations to the configured database."""
    from newsdesk.store import open_store
    from newsdesk.store.db import current_revision

    store = open_store(get_settings().database_url)
    click.echo(f"database at revision {current_revision(store.engine)}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Web processes")
@click.option("--no-worker", is_flag=True, help="Do not start a job consumer process beside the server")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """Serve the site and API (and a job consumer in its own process unless --no-worker)."""
    from newsdesk.cli.runtime import run_server

    settings = get_settings()
    setup_logging(settings)
    run_server(settings, host, port, embedded_worker=not no_worker, web_workers=workers)


@cli.command()
@click.option(
    "--concurrency", default=1, show_default=True, type=click.IntRange(1, 64), help="Consumer processes"
)
@click.option(
    "--threads",
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Threads of each consumer (default: NEWSDESK_WORKERS)",
)
def worker(concurrency: int, threads: int | None) -> None:
    """Run job consumers: poll due sources, enrich articles, assign stories. SIGTERM stops them gracefully."""
    from newsdesk.cli.runtime import run_workers

    settings = get_settings()
    setup_logging(settings)
    run_workers(settings, concurrency, threads or settings.workers)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address of the site")
@click.option("--port", default=8000, show_default=True, type=int, help="Port of the site")
@click.option(
    "--data-dir", default=".newsdesk-demo", show_default=True, help="Folder for the demo's database"
)
@click.option("--keep", is_flag=True, help="Keep the previous demo database instead of starting afresh")
def demo(host: str, port: int, data_dir: str, keep: bool) -> None:
    """Serve the offline demo: sample publishers on loopback, ingested by the real pipeline."""
    from newsdesk.demo.run import run_demo

    run_demo(host, port, data_dir, keep=keep)


@cli.command("add-source")
@click.argument("url")
@click.option("--all", "add_all", is_flag=True, help="Add every feed a site advertises")
@click.option("--name", default="", help="Name of the source (default: the feed's title)")
@click.option("--country", default="", help="Two-letter country code")
@click.option("--language", default="", help="Language code, e.g. en")
@click.option("--category", default=None, help="Default category slug")
def add_source(url: str, add_all: bool, name: str, country: str, language: str, category: str | None) -> None:
    """Subscribe to a feed, or to the feeds a site URL advertises."""
    from newsdesk.cli.sources import add_source_command

    settings = get_settings()
    setup_logging(settings)
    options: dict[str, Any] = {"name": name, "country": country, "language": language, "category": category}
    sys.exit(add_source_command(settings, url, add_all, options))


@cli.command("source")
@click.argument("key")
@click.option("--enable/--disable", "enabled", default=None, help="Poll this source, or stop polling it")
@click.option("--name", default=None, help="New name")
@click.option("--country", default=None, help="Two-letter country code")
@click.option("--language", default=None, help="Language code")
@click.option("--category", default=None, help="Default category slug")
@click.option("--interval-min", type=int, default=None, help="Shortest seconds between polls")
@click.option("--interval-max", type=int, default=None, help="Longest seconds between polls")
@click.option("--delete", is_flag=True, help="Remove the source and its articles")
def source(key: str, delete: bool, **options: Any) -> None:
    """Show or change one source (by slug or id)."""
    from newsdesk.cli.sources import source_command

    sys.exit(source_command(get_settings(), key, options, delete))


@cli.command("user-add")
@click.argument("username")
@click.option("--admin", is_flag=True, help="May manage sources and moderate comments")
@click.password_option(help="The password (asked for when not given)")
def user_add(username: str, admin: bool, password: str) -> None:
    """Create a reader account (or an administrator with --admin)."""
    from newsdesk.store import open_store, transaction
    from newsdesk.store.community import AccountError, create_user

    store = open_store(get_settings().database_url)
    try:
        with transaction(store.sessions) as session:
            user = create_user(session, username, password, is_admin=admin)
            click.echo(f"created {'administrator' if admin else 'user'} {user.username}")
    except AccountError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@cli.command("import-opml")
@click.argument("file", type=click.File("rb"))
def import_opml(file: Any) -> None:
    """Subscribe to every feed of an OPML file (folders are kept)."""
    from newsdesk.cli.sources import import_opml_command

    sys.exit(import_opml_command(get_settings(), file.read(20_000_000)))


@cli.command("export-opml")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File to write (default: stdout)")
def export_opml(output: Any) -> None:
    """Write every source as OPML, nested by folder."""
    from newsdesk.cli.sources import export_opml_command

    output.write(export_opml_command(get_settings()))


@cli.command()
@click.option("--once", is_flag=True, required=True, help="Poll every due source now, then exit")
@click.option("--all", "poll_all", is_flag=True, help="Poll every enabled source, due or not")
def poll(once: bool, poll_all: bool) -> None:
    """Poll due sources now and print what was polled, failed and added."""
    from newsdesk.cli.sources import poll_command

    settings = get_settings()
    setup_logging(settings)
    sys.exit(poll_command(settings, poll_all))


@cli.command()
@click.option("--limit", default=100_000, show_default=True, help="Articles at most")
def process(limit: int) -> None:
    """Understand articles not processed yet: language, category, hashtags, facts, summaries, stories."""
    from newsdesk.ai.llm import llm_settings
    from newsdesk.pipeline.understand import process_pending
    from newsdesk.store import open_store

    settings = get_settings()
    setup_logging(settings)
    report = process_pending(open_store(settings.database_url), limit, llm_settings(settings))
    click.echo(f"articles processed: {report.processed}, enrichers failed: {report.failed_enrichers}")


@cli.command("prepare-views")
@click.option("--limit", default=10_000, show_default=True, help="Newest articles looked at")
def prepare_views(limit: int) -> None:
    """Prepare the article pages' views missing or made for an older version of their article, newest
    articles first (after an upgrade: the worker keeps them current, pages build one when it is missing)."""
    from newsdesk.pipeline.views import prepare_newest_views
    from newsdesk.store import open_store

    settings = get_settings()
    setup_logging(settings)
    click.echo(f"article views prepared: {prepare_newest_views(open_store(settings.database_url), limit)}")


@cli.command("copy-images")
@click.option("--limit", default=1000, show_default=True, help="Articles at most")
def copy_images(limit: int) -> None:
    """Copy articles' images (fetched once, resized, served by the site): what the worker's job does."""
    from newsdesk.fetch import make_fetcher
    from newsdesk.pipeline.images import copy_pending_images
    from newsdesk.store import open_store

    settings = get_settings()
    setup_logging(settings)
    fetcher = make_fetcher(settings)
    try:
        report = copy_pending_images(
            open_store(settings.database_url), fetcher, limit, settings.max_image_pixels
        )
    finally:
        fetcher.close()
    click.echo(
        f"articles: {report.articles}, images copied: {report.copied}, without a copy: {report.failed}"
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table")
def sources(as_json: bool) -> None:
    """List sources with their health: ok, failing since …, disabled."""
    from newsdesk.cli.sources import sources_command

    sources_command(get_settings(), as_json)


@cli.group(cls=LazyGroup, lazy=BENCH_COMMANDS)
def bench() -> None:
    """Measure a stage on benchmark data (numbers for the issues' targets)."""


def main() -> None:
    from pydantic import ValidationError

    try:
        cli()
    except ValidationError as exc:  # a setting that cannot be used: say which and why, no traceback
        for error in exc.errors():
            name = "NEWSDESK_" + "_".join(str(part) for part in error["loc"]).upper()
            click.echo(f"error: {name}: {error['msg'].removeprefix('Value error, ')}", err=True)
        sys.exit(2)
