"""`newsdesk extract` on a file, on a URL (the demo publishers on loopback) and on a benchmark folder."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli.main import cli
from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.publisher import PublisherNetwork
from newsdesk.settings import get_settings

SENTENCE = "The harbour authority confirmed on Tuesday that the new pier will open to ferries next spring."
PAGE = (
    "<html><head><title>Pier to open in spring | Harbour News</title></head><body><article>"
    "<h1>Pier to open in spring</h1>"
    + "".join(f"<p>{SENTENCE} Detail number {i} of the plan.</p>" for i in range(6))
    + "</article></body></html>"
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    monkeypatch.setenv("NEWSDESK_PER_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_extract_a_file_as_json_and_as_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Pier to open in spring"
    assert data["blocks"][0] == {"kind": "p", "text": f"{SENTENCE} Detail number 0 of the plan."}
    text = CliRunner().invoke(cli, ["extract", str(page), "--format", "text"]).output
    assert text.startswith("Pier to open in spring\n")
    assert f"{SENTENCE} Detail number 5 of the plan." in text


def test_extract_a_url(env: None, publishers: PublisherNetwork) -> None:
    corpus = load_corpus()
    article = next(a for a in corpus.articles.values() if a.images)
    site = next(s for s in publishers.sites if s.outlet.key == article.outlet)
    path = next(p for p in site.pages if p.rstrip("/").split("/")[-1].removesuffix(".html") == article.id)
    result = CliRunner().invoke(cli, ["extract", site.base_url + path])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == article.title
    assert [b["text"] for b in data["blocks"]] == list(article.body)
    assert data["images"][0]["caption"] == article.images[0].caption


def test_not_an_article_exits_with_a_message(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(b"<html><body><nav>Home</nav></body></html>")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 1
    assert "not an article" in result.output


def test_batch_writes_predictions_for_every_page(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a1.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "html" / "b2.html.gz").write_bytes(gzip.compress(b"%PDF-1.4"))
    out = tmp_path / "pred.json"
    result = CliRunner().invoke(cli, ["extract", "--batch", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    predictions = json.loads(out.read_text("utf-8"))
    assert set(predictions) == {"a1", "b2"}
    assert predictions["a1"]["articleBody"].startswith(SENTENCE)
    assert predictions["a1"]["title"] == "Pier to open in spring"
    assert predictions["b2"]["articleBody"] == ""
