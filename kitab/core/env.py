"""Typed readers for deployment settings taken from the environment.

Each helper raises ImproperlyConfigured with the variable's name, so a typo in a deployment fails at start-up
with a message that says which variable to fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def kitab_home() -> Path:
    """The data folder: database, search index, media, reports.

    `KITAB_HOME` wins; otherwise `./var` when run from a source checkout (so the demo and the tests never write
    into the user's home), else `~/.local/share/kitab`.
    """
    raw = os.environ.get("KITAB_HOME")
    if raw:
        return Path(raw).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").exists():
        return checkout / "var"
    return Path.home() / ".local" / "share" / "kitab"


def database_from_url(url: str, *, home: Path) -> dict[str, object]:
    """Translate `KITAB_DATABASE_URL` into a Django DATABASES entry.

    Accepts `sqlite:///absolute/path.db`, `sqlite://relative.db` (relative to KITAB_HOME) and
    `postgres://user:password@host:port/name` (or `postgresql://`). A PostgreSQL URL may end in
    `?prepare_threshold=N` (N >= 1; psycopg 3 prepares a statement on the server after N runs on one connection: the
    server parses and plans it once; this turns on Django's server-side parameter binding, which prepared
    statements need) and `&server_side_binding=on|off`. Do not prepare behind a pooler in transaction mode
    (PgBouncer without max_prepared_statements): the prepared statements live in one server session.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path or "")
        if parts.netloc:
            path = str(home / (parts.netloc + path))
        if not path:
            raise ImproperlyConfigured("KITAB_DATABASE_URL=sqlite:// needs a file name, e.g. sqlite:///srv/kitab.db")
        return sqlite_database(Path(path))
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("KITAB_DATABASE_URL for PostgreSQL needs a database name: postgres://…/kitab")
        database: dict[str, object] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
        options = _postgres_options(parts.query)
        if options:
            database["OPTIONS"] = options
        return database
    raise ImproperlyConfigured(f"KITAB_DATABASE_URL: unsupported scheme {scheme!r} (use sqlite:// or postgres://)")


def _postgres_options(query: str) -> dict[str, object]:
    """OPTIONS from the query string of a PostgreSQL URL (see database_from_url)."""
    options: dict[str, object] = {}
    for key, raw in parse_qsl(query, keep_blank_values=True):
        value = raw.strip().lower()
        if key == "prepare_threshold":
            if value in {"", "none", "off"}:
                continue  # Django's default: never prepare
            try:
                threshold = int(value)
            except ValueError:
                threshold = -1
            # 0 (prepare on first use) would also prepare the multi-statement SQL of migrations, which
            # PostgreSQL refuses; from the second run on, only statements the application repeats are prepared.
            if threshold < 1:
                raise ImproperlyConfigured(f"KITAB_DATABASE_URL: prepare_threshold must be a whole number >= 1 "
                                           f"or none; got {raw!r}")
            options["prepare_threshold"] = threshold
            options.setdefault("server_side_binding", True)
        elif key == "server_side_binding":
            if value not in _TRUE | _FALSE:
                raise ImproperlyConfigured(f"KITAB_DATABASE_URL: server_side_binding must be on or off; got {raw!r}")
            options["server_side_binding"] = value in _TRUE
        else:
            raise ImproperlyConfigured(f"KITAB_DATABASE_URL: unknown option {key!r} "
                                       "(known: prepare_threshold, server_side_binding)")
    if options.get("server_side_binding") is False:
        options.pop("server_side_binding")
    return options


def sqlite_database(path: Path) -> dict[str, object]:
    # WAL lets web workers read while an import writes; a generous busy timeout makes a second writer wait
    # instead of failing at once with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
            ),
        },
    }
