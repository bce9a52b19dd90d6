"""A warehouse worth looking at, and ``quarterdeck serve`` running on it, for dashboard tests.

The warehouse is the demo's: a small simulated organization (10 engineers, one year)
ingested through every input by ``quarterdeck demo --no-serve --keep``. The server is the
real command in a subprocess on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import uvicorn

from tests.conftest import run_quarterdeck

HOST = "127.0.0.1"
START_TIMEOUT = 60


#: The demo's kept folders made in this test process, by (engineers, years, seed).
_DEMOS: dict[tuple[int, int, int], Path] = {}


def demo_warehouse(folder: Path, engineers: int = 10, years: int = 1, seed: int = 3) -> Path:
    """``folder/demo.duckdb``: a simulated organization ingested through every input.

    The demo runs once per test process for each (engineers, years, seed); each caller gets
    its own copy of the kept folder (the same seed gives the same organization, so every
    module still starts from the warehouse the demo makes, and may change its copy)."""
    key = (engineers, years, seed)
    if key not in _DEMOS:
        kept = Path(tempfile.mkdtemp(prefix="quarterdeck-test-demo-")) / "demo"
        atexit.register(shutil.rmtree, kept.parent, True)
        done = run_quarterdeck(
            "demo", "--no-serve", "--engineers", str(engineers), "--years", str(years), "--seed", str(seed),
            "--keep", str(kept), "--format", "json", timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        _DEMOS[key] = kept
    shutil.copytree(_DEMOS[key], folder, symlinks=True)
    return folder / "demo.duckdb"


def without_recorded_targets(db: Path) -> Path:
    """``db`` with no target history: the demo records its example targets' months, and a
    test of recording starts from none."""
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM target_history")
    return db


def metric_rows(db: Path, name: str, *args: str) -> list[dict[str, Any]]:
    """What ``quarterdeck metrics show NAME ARGS --format json`` prints, as rows."""
    done = run_quarterdeck("metrics", "show", name, *args, "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class DashboardServer:
    """``quarterdeck serve`` on ``db`` in a subprocess; its output in a log file."""

    def __init__(
        self,
        db: Path,
        folder: Path,
        *,
        targets: Path | None = None,
        env: dict[str, str] | None = None,
        extra: list[str] | None = None,
    ):
        self.db, self.port = db, free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log = folder / f"serve-{self.port}.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
        command = [sys.executable, "-m", "quarterdeck", "--db", str(db), "serve", "--port", str(self.port)]
        if targets is not None:
            command += ["--targets", str(targets)]
        command += extra or []
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=folder, env={**clean, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"serve did not listen within {START_TIMEOUT} s:\n{self.output()}")

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(f"{self.base_url}{path}", timeout=120, **kwargs)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def served_in_thread(app: Any) -> Iterator[httpx.Client]:
    """An app built in the test (``create_app``), served by uvicorn on 127.0.0.1 in a thread and
    asked over real HTTP until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://{HOST}:{server.config.port}", timeout=120) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join(timeout=30)
