"""Live remote catalogues for the copy cataloguing tests: Kitab's own Z39.50 server (`kitab z3950 serve`) and
its SRU endpoint (`kitab serve`), each its own process over a throw-away KITAB_HOME holding 60 imported demo
records, so the tests search them from a second database (the test database) as from any other library."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, demo_raw_records
from tests.live_servers import free_port, protocol_server, stop

DEMO_COUNT = 60


@dataclass
class RemoteLibrary:
    home: Path
    z3950_port: int
    http_port: int



@pytest.fixture(scope="session")
def remote_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteLibrary]:
    home = tmp_path_factory.mktemp("copycat-remote")
    env = dict(os.environ, KITAB_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.prod")
    for name in ("KITAB_DATABASE_URL", "KITAB_INDEX_DIR"):
        env.pop(name, None)
    demo = home / "demo.mrc"
    demo.write_bytes(b"".join(demo_raw_records(DEMO_COUNT)))
    subprocess.run(
        [sys.executable, "-m", "kitab.cli", "import", str(demo), "--quiet", "--json"],
        env=env, cwd=REPO_ROOT, capture_output=True, check=True, timeout=120,
    )
    http_port = free_port()
    http = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", "serve", "--port", str(http_port), "--workers", "2"],
        env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with protocol_server("z3950", env) as z3950_port:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{http_port}/sru?operation=explain", timeout=5).read()
                    break
                except OSError:
                    if http.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("kitab serve did not start")
                    time.sleep(0.3)
            yield RemoteLibrary(home, z3950_port, http_port)
    finally:
        stop(http)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung target."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(5)
        yield int(s.getsockname()[1])


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connection refused."""
    return free_port()
