"""`newsdesk bench web`: the site under wrk on a synthetic store, next to a trivial FastAPI route."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click
import httpx
from sqlalchemy import select

from newsdesk.bench.webdata import VOCABULARY, fill_store
from newsdesk.pipeline.views import prepare_missing_views
from newsdesk.store import open_store
from newsdesk.store.models import Article, Story, Tag

LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class PageResult:
    name: str
    rate: float
    p50_1: float
    p99_1: float
    p50_10: float
    p99_10: float


def ensure_wrk() -> None:
    """Install Debian's wrk when it is missing and this process may (root with apt-get); else say how."""
    if shutil.which("wrk") is not None:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise click.ClickException("wrk is not installed: apt-get install wrk (as root)")
    click.echo("installing wrk with apt-get…", err=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:  # stale package lists
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(install, capture_output=True, check=False)
    if shutil.which("wrk") is None:
        raise click.ClickException("could not install wrk with apt-get; install it and run again")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_rotation(paths: list[str], folder: Path) -> Path:
    """A wrk script that asks for ``paths`` in turn, so no page is served from a warm cache twice running."""
    script = folder / "rotate.lua"
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        f"paths = {{\n{listed}\n}}\n"
        # Each run and each wrk thread starts at a random place in the list: a run must not find the
        # pages the previous run just rendered still in the server's caches.
        "math.randomseed(os.time())\n"
        "counter = 0\n"
        "setup = function(thread)\n"
        '  thread:set("counter", math.random(#paths))\n'
        "end\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        '  return wrk.format("GET", paths[(counter % #paths) + 1])\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def run_wrk(
    url: str, connections: int, seconds: int, script: Path | None = None
) -> tuple[float, dict[str, float]]:
    """Requests/s and the 50th/99th percentile latency in ms from one wrk run."""
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(RATE.search(output).group(1))  # type: ignore[union-attr]
    latencies = {m.group(1): float(m.group(2)) * UNIT_MS[m.group(3)] for m in LATENCY.finditer(output)}
    return rate, latencies


def drain(url: str, pause: float = 2.0) -> None:
    """Let the server finish requests wrk left behind, so one run does not wait on the last one's queue."""
    time.sleep(pause)
    httpx.get(url, timeout=60)


def measure(name: str, url: str, seconds: int, script: Path | None = None) -> PageResult:
    """Latency at 1 and at 10 connections first, then throughput at 50 (the run that leaves a queue)."""
    drain(url)
    _, one = run_wrk(url, 1, max(seconds // 2, 3), script)
    drain(url)
    _, ten = run_wrk(url, 10, max(seconds // 2, 3), script)
    drain(url)
    rate, _ = run_wrk(url, 50, seconds, script)
    return PageResult(name, rate, one["50"], one["99"], ten["50"], ten["99"])


def start(command: list[str], url: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise click.ClickException(f"the server did not answer at {url}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def sample_paths(database: str, spread: int) -> tuple[dict[str, str], list[str]]:
    """One path of each page, and ``spread`` article paths spread over the whole store."""
    store = open_store(database)
    with store.session() as session:
        article = session.scalars(
            select(Article.id).order_by(Article.published_at.desc()).offset(500).limit(1)
        ).one()
        # Ids are hashes: the first ones in id order are a sample from every part of the store.
        spread_ids = session.scalars(select(Article.id).order_by(Article.id).limit(spread)).all()
        story = session.scalars(select(Story.id).offset(100).limit(1)).one()
        tag = session.scalars(select(Tag.slug).offset(10).limit(1)).one()
    store.close()
    pages = {
        "home": "/",
        "article": f"/en/article/{article}",
        "story": f"/en/story/{story}",
        "hashtag": f"/en/hashtag/{tag}",
        "search": "/en/search?q=" + "+".join(VOCABULARY[200:202]),  # two words of middling frequency
    }
    return pages, [f"/en/article/{article_id}" for article_id in spread_ids]


def prepare_views_of(paths: list[str], database: str) -> None:
    """What the worker does for every article it understands: prepare the views of the article pages the
    run asks for (the synthetic store is written without the pipeline); kept in the store for later runs."""
    ids = [p.rsplit("/", 1)[1] for p in paths if "/article/" in p]
    store = open_store(database)
    with click.progressbar(length=len(ids), label="article views", file=sys.stderr) as bar:
        prepare_missing_views(store, ids, progress=bar.update)
    store.close()


@click.command("web")
@click.option("--articles", default=200_000, show_default=True)
@click.option("--stories", default=20_000, show_default=True)
@click.option(
    "--spread", default=20_000, show_default=True, help="Articles the 'article, spread' row asks for in turn"
)
@click.option("--seconds", default=10, show_default=True, help="Seconds of each saturation run")
@click.option(
    "--data", "data_dir", default="", help="Keep the synthetic store in this folder (reused if there)"
)
@click.option(
    "--only",
    "only",
    multiple=True,
    help="Measure only these pages (home, article, spread, story, hashtag, search)",
)
def command(
    articles: int, stories: int, spread: int, seconds: int, data_dir: str, only: tuple[str, ...]
) -> None:
    """Measure home, article, story, hashtag and search pages with wrk, and a trivial route (the ceiling)."""
    ensure_wrk()
    folder = Path(data_dir or tempfile.mkdtemp(prefix="newsdesk-bench-web-"))
    folder.mkdir(parents=True, exist_ok=True)
    database = f"sqlite:///{folder / 'web.db'}"
    if not (folder / "web.db").exists():
        store = open_store(database)
        with click.progressbar(length=articles, label="synthetic store", file=sys.stderr) as bar:
            fill_store(store, articles, stories, progress=bar.update)
        store.close()
    paths, spread_paths = sample_paths(database, spread)
    prepare_views_of([*paths.values(), *spread_paths], database)
    rotation = write_rotation(spread_paths, folder)
    port, trivial_port = free_port(), free_port()
    env = {
        **os.environ,
        "NEWSDESK_DATABASE_URL": database,
        "NEWSDESK_QUEUE_PATH": str(folder / "queue.db"),
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    server = start(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)], f"http://127.0.0.1:{port}/", env
    )
    trivial = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "newsdesk.bench.trivial:app",
            "--port",
            str(trivial_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        f"http://127.0.0.1:{trivial_port}/",
        env,
    )
    results = []
    try:
        for name, path in paths.items():
            if not only or name in only:
                results.append(measure(name, f"http://127.0.0.1:{port}{path}", seconds))
            if name == "article" and (not only or "spread" in only):
                base = f"http://127.0.0.1:{port}"
                results.append(measure(f"article x{len(spread_paths)}", base + path, seconds, rotation))
        results.append(measure("trivial route", f"http://127.0.0.1:{trivial_port}/", seconds))
    finally:
        stop(server)
        stop(trivial)
    ceiling = results[-1].rate
    click.echo(
        f"{'page':<14} {'req/s@50':>9} {'share':>6} {'p50@1':>7} {'p99@1':>7} {'p50@10':>7} {'p99@10':>7}"
    )
    for r in results:
        click.echo(
            f"{r.name:<14} {r.rate:>9.0f} {r.rate / ceiling:>6.0%} {r.p50_1:>6.1f}ms {r.p99_1:>6.1f}ms "
            f"{r.p50_10:>6.1f}ms {r.p99_10:>6.1f}ms"
        )
    click.echo(f"store: {articles} articles in {stories} stories at {folder}")
