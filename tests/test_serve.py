"""`kitab serve`: a real WSGI server (gunicorn) with static files served by WhiteNoise, as an operator runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.live_servers import free_port


def test_serve_answers_pages_and_cached_static_files(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod")
    env.pop("KITAB_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(base + "/", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        html = page.read().decode("utf-8")
        assert page.status == 200 and "<html" in html
        assert page.headers["Server"].lower().startswith("gunicorn")
        css = re.search(r'href="(/static/[^"]+\.css)"', html)
        assert css, "the page links its stylesheet"
        static = urllib.request.urlopen(base + css.group(1), timeout=5)
        assert static.status == 200
        # Collected with a content hash in the name, so WhiteNoise can let browsers cache it for good.
        assert "max-age=315360000" in static.headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(15)
