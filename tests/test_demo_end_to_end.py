"""End to end: `newsdesk demo` as a user runs it, ingesting through the real worker, checked over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_demo_serves_the_ingested_sample_within_two_minutes(tmp_path: Path) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "newsdesk",
        "demo",
        "--port",
        str(port),
        "--data-dir",
        str(tmp_path / "d"),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "newsdesk demo is ready" in line:
                break
        assert any("is ready" in line for line in lines), "".join(lines)
        base = f"http://127.0.0.1:{port}"
        items, cursor = [], None
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            body = httpx.get(f"{base}/api/v1/articles", params=params).json()
            items += body["items"]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert len(items) >= 80
        assert len({item["source"]["name"] for item in items}) >= 4
        languages = {item["language"] for item in items}
        assert {"en", "de", "es"} <= languages
        home = httpx.get(base + "/", follow_redirects=True)  # "/" sends readers to their language
        assert home.status_code == 200 and "ago</time>" in home.text
        article = httpx.get(base + items[0]["url"])
        assert article.status_code == 200
        assert article.text.count(f"<h1>{items[0]['title']}</h1>".replace("'", "&#39;")) == 1
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
