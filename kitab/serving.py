"""Production serving: gunicorn in-process (no runserver), static files through WhiteNoise."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def collect_static() -> None:
    """Collect static files into $KITAB_HOME/static (quick when nothing changed)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from config.wsgi import application

    class KitabServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                # Threads let a worker overlap a slow client with a search; the search engine is thread-safe.
                "threads": 4,
                "worker_class": "gthread",
                "timeout": 120,
                "accesslog": "-" if settings.DEBUG else None,
                "errorlog": "-",
                "loglevel": "warning",
            }
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(f"Kitab serving on http://{host}:{port}/ with {workers} worker(s); Ctrl-C to stop.", flush=True)
    KitabServer().run()
