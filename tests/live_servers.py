"""Start real `kitab … serve` processes for end-to-end tests (Z39.50, SIP2) and stop them cleanly."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import REPO_ROOT

_LISTENING = re.compile(r"listening on tcp:127\.0\.0\.1:(\d+)")


def free_port() -> int:
    """A loopback port nobody listens on right now (for servers that must be told their port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


@contextlib.contextmanager
def protocol_server(protocol: str, env: dict[str, str], *options: str) -> Iterator[int]:
    """Run `kitab PROTOCOL serve --port 0 OPTIONS…` and yield the port it announces on its first line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", protocol, "serve", "--port", "0", *options],
        env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        found = _LISTENING.search(line)
        if found is None:
            proc.kill()
            pytest.fail(f"{protocol} server did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
        yield int(found.group(1))
    finally:
        stop(proc)


@contextlib.contextmanager
def server_in_thread(server):  # type: ignore[no-untyped-def]
    """Run an asyncio protocol server (start/close coroutines) in its own thread and event loop."""
    import asyncio
    import threading

    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(5), "server did not start"
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
