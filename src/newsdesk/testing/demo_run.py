"""`newsdesk demo` run as a user runs it, for end-to-end and browser tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from newsdesk.demo.publisher import free_port

# A demo started beside the tests takes what CPU they leave: one BLAS thread, a lower priority.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class DemoRun:
    """`newsdesk demo` in a process of its own, with what it printed and when it said it was ready."""

    def __init__(self, folder: Path, niceness: int = 0) -> None:
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.started = time.monotonic()
        self.ready_after: float | None = None  # seconds from start to "is ready"
        self.finished = threading.Event()  # ready, or the process ended
        command = [
            *(["nice", "-n", str(niceness)] if niceness else []),
            sys.executable,
            "-m",
            "newsdesk",
            "demo",
            "--port",
            str(self.port),
            "--data-dir",
            str(folder),
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=folder.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(ONE_THREAD if niceness else {})},
        )
        # Read all it prints, so a full pipe never blocks it in a long session.
        threading.Thread(target=self.read_output, daemon=True).start()

    def read_output(self) -> None:
        for line in self.process.stdout or ():
            self.lines.append(line)
            if "newsdesk demo is ready" in line and self.ready_after is None:
                self.ready_after = time.monotonic() - self.started
                self.finished.set()
        self.finished.set()

    def wait_ready(self, timeout: float) -> bool:
        """Whether the demo said it is ready within ``timeout`` seconds of its start."""
        self.finished.wait(max(0.0, self.started + timeout - time.monotonic()))
        return self.ready_after is not None and self.ready_after <= timeout

    def wait_for_line(self, text: str, timeout: float) -> bool:
        """Whether the demo printed a line containing ``text`` within ``timeout`` seconds of its start."""
        while not any(text in line for line in self.lines):
            if time.monotonic() > self.started + timeout or self.process.poll() is not None:
                return False
            time.sleep(0.5)
        return True

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
