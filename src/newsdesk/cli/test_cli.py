"""The `newsdesk` command line: config, db, add-source, poll, sources."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli.main import cli
from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.settings import get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    values = {
        "NEWSDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "NEWSDESK_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_SECRET_KEY": "hunter2-very-secret-and-long-enough-0123",
        "NEWSDESK_LOG_LEVEL": "ERROR",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield values
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_config_prints_settings_with_secrets_masked(env: dict[str, str]) -> None:
    code, out = run("config")
    assert code == 0
    assert "NEWSDESK_SECRET_KEY=(environment (NEWSDESK_SECRET_KEY))" in out and "hunter2" not in out
    assert f"NEWSDESK_DATABASE_URL={env['NEWSDESK_DATABASE_URL']}" in out


def test_every_setting_is_documented() -> None:
    from newsdesk.settings import Settings

    assert all(field.description for field in Settings.model_fields.values())


def test_db_upgrade_reports_the_revision(env: dict[str, str]) -> None:
    from newsdesk.store.db import head_revision

    assert run("db", "upgrade") == (0, f"database at revision {head_revision()}\n")


class PlainSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><head><title>A shop</title></head><body><p>No news here.</p></body></html>"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def plain_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlainSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_add_source_refuses_what_is_not_a_feed(env: dict[str, str], plain_site: str) -> None:
    code, out = run("add-source", "not a url")
    assert code == 2 and "not an http(s) URL" in out
    code, out = run("add-source", plain_site)
    assert code == 1 and "no feed found" in out and len(out.strip().splitlines()) == 1


def test_add_source_discovers_the_feed_of_a_site_then_polls(
    env: dict[str, str], publishers: PublisherNetwork
) -> None:
    site = publishers.sites[2]
    code, out = run("add-source", site.base_url + "/", "--country", "DE")
    assert code == 0, out
    assert f"added: Rheinblick Zeitung <{site.feed_url}> (jsonfeed" in out
    code, out = run("add-source", site.feed_url)
    assert "already subscribed" in out
    code, out = run("poll", "--once")
    assert code == 0
    expected = len(load_corpus().by_outlet("rheinblick"))
    assert f"sources polled: 1, failed: 0, new articles: {expected}" in out
    code, out = run("sources", "--json")
    rows = json.loads(out)
    assert rows[0]["status"] == "ok" and rows[0]["country"] == "DE"


def test_import_and_export_opml_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    from newsdesk.sources.opml import read_opml
    from newsdesk.sources.test_opml import NESTED

    (tmp_path / "subs.opml").write_bytes(NESTED)
    assert run("import-opml", str(tmp_path / "subs.opml")) == (
        0,
        "imported 3 feeds: 3 added, 0 already subscribed\n"
        "skipped javascript:alert(1): not an http(s) feed URL\n",
    )
    assert "1 added" not in run("import-opml", str(tmp_path / "subs.opml"))[1]
    code, _ = run("export-opml", "-o", str(tmp_path / "out.opml"))
    assert code == 0
    exported = read_opml((tmp_path / "out.opml").read_bytes()).feeds
    assert {(f.feed_url, f.folder) for f in exported} == {
        (f.feed_url, f.folder) for f in read_opml(NESTED).feeds
    }
    (tmp_path / "bad.opml").write_bytes(b"<html/>")
    code, out = run("import-opml", str(tmp_path / "bad.opml"))
    assert code == 1 and "not an OPML file" in out


def test_sources_flags_a_source_failing_for_days(env: dict[str, str]) -> None:
    from datetime import timedelta

    from newsdesk.store import open_store, transaction
    from newsdesk.store.models import Source, utcnow
    from newsdesk.store.sources import SourceSpec, add_source

    store = open_store(env["NEWSDESK_DATABASE_URL"])
    with transaction(store.sessions) as session:
        source, _ = add_source(session, SourceSpec(feed_url="https://gone.example/feed", name="Gone Gazette"))
        source.failing_since = utcnow() - timedelta(days=3)
        source.last_error = "HTTP 500 from gone.example"
        source.error_count = 40
    code, out = run("sources")
    assert code == 0
    assert "Gone Gazette  [failing since" in out and "FLAGGED" in out
    assert "last error: HTTP 500 from gone.example" in out
    rows = json.loads(run("sources", "--json")[1])
    assert rows[0]["flagged"] is True and rows[0]["status"] == "failing"
    with transaction(store.sessions) as session:
        found = session.get(Source, source.id)
        assert found is not None
        found.failing_since = utcnow() - timedelta(hours=3)
    assert json.loads(run("sources", "--json")[1])[0]["flagged"] is False


def test_source_command_edits_disables_and_deletes(env: dict[str, str], tmp_path: Path) -> None:
    from newsdesk.sources.test_opml import NESTED

    (tmp_path / "subs.opml").write_bytes(NESTED)
    run("import-opml", str(tmp_path / "subs.opml"))
    code, out = run("source", "rheinblick", "--disable", "--country", "de", "--interval-min", "600")
    assert code == 0, out
    row = json.loads(out)
    assert (row["status"], row["country"]) == ("disabled", "DE")
    code, out = run("source", "rheinblick", "--interval-min", "9000", "--interval-max", "60")
    assert code == 1 and "shortest poll interval" in out
    assert json.loads(run("source", "rheinblick", "--enable")[1])["status"] == "ok"
    assert run("source", "no-such-source")[0] == 1
    assert run("source", "rheinblick", "--delete") == (0, "deleted: Rheinblick\n")
    assert len(json.loads(run("sources", "--json")[1])) == 2


def test_app_password_prints_one_that_logs_apps_in_and_revokes_it(env: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    from newsdesk.web.app import create_app

    assert run("user-add", "reader", "--password", "correct horse battery")[0] == 0
    code, out = run("app-password", "reader", "--label", "newsboat")
    password = out.strip()
    assert code == 0 and len(password) == 24
    client = TestClient(create_app(get_settings()))
    login = {"Email": "reader", "Passwd": password}
    assert client.post("/api/greader/accounts/ClientLogin", data=login).status_code == 200
    code, out = run("app-password", "reader", "--list")
    assert code == 0 and "\tnewsboat\t" in out and password not in out
    assert run("app-password", "reader", "--revoke", out.split("\t")[0])[0] == 0
    assert client.post("/api/greader/accounts/ClientLogin", data=login).status_code == 401
    assert run("app-password", "nobody")[0] == 1


def test_source_status_and_poll_lines_name_drops_and_known_entries() -> None:
    from newsdesk.cli.sources import report_counts, status_line
    from newsdesk.pipeline.ingest import PollReport

    row = {"status": "ok", "flagged": False, "dropped_count": 60, "pages_pending": 1}
    assert status_line(row) == "ok, 60 entries dropped, 1 text not fetched yet"
    assert status_line({**row, "dropped_count": 1, "pages_pending": 0}) == "ok, 1 entry dropped"
    assert status_line({**row, "dropped_count": 0, "pages_pending": 0}) == "ok"
    report = PollReport(1, unchanged=25)
    assert report_counts(report) == "0 new, 0 updated, 25 known"
    report = PollReport(1, new=2, dropped=3, pending=2, pages_fetched=1)
    assert report_counts(report) == (
        "2 new, 0 updated, 0 known, 3 dropped, 2 texts not fetched yet, 1 earlier page fetched"
    )
