"""A real Reader-API client: Debian's newsboat in its FeedHQ mode syncs with newsdesk served on loopback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from newsdesk.demo.publisher import free_port
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, transaction
from newsdesk.store.app_passwords import create_app_password
from newsdesk.store.community import create_user
from newsdesk.store.models import Article, User
from newsdesk.store.reading import read_horizon, set_read, unread_among
from newsdesk.testing.apps import add_articles
from newsdesk.testing.services import skip_or_fail
from newsdesk.web.app import create_app

NEWSBOAT = shutil.which("newsboat")
TITLES = {f"Report {n}" for n in range(7)}


@dataclass
class Newsboat:
    """newsboat's files for one test: its config, URL file and cache, in a home of its own."""

    home: Path
    store: Store

    def run(self, *commands: str) -> str:
        """Run newsboat non-interactively (-x) and return what it printed."""
        result = subprocess.run(
            [str(NEWSBOAT), "-C", "config", "-u", "urls", "-c", "cache.db", "-x", *commands],
            cwd=self.home,
            env={**os.environ, "HOME": str(self.home), "LC_ALL": "C.UTF-8"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def cached_items(self) -> dict[str, bool]:
        """Title -> unread, as newsboat keeps them in its cache."""
        with sqlite3.connect(self.home / "cache.db") as cache:
            return {
                title: bool(unread) for title, unread in cache.execute("SELECT title, unread FROM rss_item")
            }

    def cached_feeds(self) -> set[str]:
        with sqlite3.connect(self.home / "cache.db") as cache:
            return {title for (title,) in cache.execute("SELECT title FROM rss_feed")}

    def unread_on_site(self) -> set[str]:
        with self.store.session() as session:
            user = session.scalars(select(User).where(User.username == "reader")).one()
            articles = {a.id: a.title for a in session.scalars(select(Article))}
            unread = unread_among(session, user.id, read_horizon(session, user, 14), articles)
        return {articles[i] for i in unread}


@pytest.fixture
def newsboat(tmp_path: Path) -> Iterator[Newsboat]:
    """newsdesk on a free loopback port, and a newsboat home whose config points at its Reader API."""
    if NEWSBOAT is None:
        skip_or_fail("newsboat is not installed (apt-get install newsboat)")
    url = f"sqlite:///{tmp_path / 'site.db'}"
    store = open_store(url)
    add_articles(store)
    with transaction(store.sessions) as session:
        reader = create_user(session, "reader", "correct horse battery")
        password = create_app_password(session, reader, "newsboat").password
    port = free_port()
    config = uvicorn.Config(create_app(Settings(database_url=url), store), host="127.0.0.1", port=port)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    home = tmp_path / "newsboat"
    home.mkdir()
    (home / "urls").write_text("")
    (home / "config").write_text(
        'urls-source "feedhq"\n'
        f'feedhq-url "http://127.0.0.1:{port}/api/greader/"\n'  # as an app's server field: it adds the rest
        'feedhq-login "reader"\n'
        f'feedhq-password "{password}"\n'
        'feedhq-show-special-feeds "no"\n'  # else it asks feedhq.org itself for starred and shared items
        "feedhq-min-items 50\n"
    )
    yield Newsboat(home, store)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def mark_read_on_site(store: Store, title: str) -> None:
    with transaction(store.sessions) as session:
        user = session.scalars(select(User).where(User.username == "reader")).one()
        article = session.scalars(select(Article).where(Article.title == title)).one()
        set_read(session, user.id, [article.id], True)


def test_newsboat_syncs_subscriptions_unread_counts_and_titles(newsboat: Newsboat) -> None:
    assert newsboat.run("reload", "print-unread").strip() == "7 unread articles"
    assert newsboat.cached_feeds() == {"The Gazette", "The Courier"}
    assert newsboat.cached_items() == dict.fromkeys(TITLES, True)
    mark_read_on_site(newsboat.store, "Report 2")
    assert newsboat.run("reload", "print-unread").strip() == "6 unread articles"
    assert newsboat.cached_items()["Report 2"] is False


def tmux_newsboat(newsboat: Newsboat, session: str, keys: list[str]) -> str:
    """Drive newsboat's screens with tmux (there is no -x command to mark one article read)."""
    command = f"HOME={newsboat.home} LC_ALL=C.UTF-8 {NEWSBOAT} -C config -u urls -c cache.db"
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "30",
            "-c",
            str(newsboat.home),
            command,
        ],
        check=True,
    )
    try:
        screen = wait_for_screen(session, "Your feeds")
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
            time.sleep(0.7)
        return screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)


def wait_for_screen(session: str, text: str) -> str:
    deadline = time.monotonic() + 30
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
        ).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"newsboat never showed {text!r}:\n{screen}")


def test_marking_read_in_newsboat_shows_on_the_site(newsboat: Newsboat) -> None:
    if shutil.which("tmux") is None:
        skip_or_fail("tmux is not installed (apt-get install tmux)")
    newsboat.run("reload")
    # Feeds are listed by name: open The Courier and its newest article (edit-tag a=…/read) and go back,
    # then mark all of The Gazette read (mark-all-as-read s=feed/…).
    tmux_newsboat(newsboat, f"nb{os.getpid()}", ["Enter", "Enter", "q", "q", "Down", "A", "q"])
    deadline = time.monotonic() + 10
    while newsboat.unread_on_site() != {"Report 6"} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert newsboat.unread_on_site() == {"Report 6"}
    assert newsboat.run("reload", "print-unread").strip() == "1 unread articles"
