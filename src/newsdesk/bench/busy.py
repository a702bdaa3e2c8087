"""`newsdesk bench busy`: one article page's latency on the demo while its worker ingests and processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import click
import httpx

from newsdesk.bench.web import ensure_wrk, free_port, run_wrk, stop

PROCESSED = "select count(*), count(processed_at) from articles"


def start_demo(port: int, folder: Path) -> subprocess.Popen[bytes]:
    """`newsdesk demo` in a child process, its output discarded (the bench prints its own)."""
    command = [sys.executable, "-m", "newsdesk", "demo", "--port", str(port), "--data-dir", str(folder)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)


def first_article_path(base: str, timeout: float = 120.0) -> str:
    """The page of the first article the demo stored, as soon as there is one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            items = httpx.get(f"{base}/api/v1/articles?limit=1", timeout=5).json().get("items", [])
        except (httpx.HTTPError, ValueError):
            items = []
        if items:
            return f"/en/article/{items[0]['id']}"
        time.sleep(0.2)
    raise click.ClickException("the demo stored no article in time")


def progress(database: Path) -> tuple[int, int]:
    """Articles stored, and of them processed, read straight from the demo's SQLite file."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)) as db:
        stored, processed = db.execute(PROCESSED).fetchone()
    return int(stored), int(processed)


@click.command("busy")
@click.option("--windows", default=6, show_default=True, help="Measuring windows, one after the other")
@click.option("--seconds", default=10, show_default=True, help="Seconds of each window")
def command(windows: int, seconds: int) -> None:
    """p50/p99 of one article page at 1 connection on the demo, from its first stored article on."""
    ensure_wrk()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-bench-busy-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    demo = start_demo(port, folder)
    try:
        path = first_article_path(base)
        started = time.monotonic()
        click.echo(f"{'window':>10} {'req/s':>7} {'p50@1':>8} {'p99@1':>8} {'stored':>7} {'processed':>9}")
        for _ in range(windows):
            begin = time.monotonic() - started
            rate, latency = run_wrk(base + path, 1, seconds)
            stored, processed = progress(folder / "newsdesk.db")
            click.echo(
                f"{begin:>4.0f}-{begin + seconds:<4.0f}s {rate:>7.0f} {latency['50']:>6.1f}ms "
                f"{latency['99']:>6.1f}ms {stored:>7} {processed:>9}"
            )
    finally:
        stop(demo)
    click.echo(f"page {path}; load average {os.getloadavg()[0]:.2f}")
