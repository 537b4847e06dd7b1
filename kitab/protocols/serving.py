"""What the protocol servers (Z39.50, SIP2) share: running until the operator stops them."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")


class TcpServer(Protocol):
    port: int

    async def start(self) -> None: ...

    async def close(self) -> None: ...


async def serve_until_signalled(server: TcpServer, *, ready: Callable[[int], None] | None = None) -> None:
    """Start `server`, call `ready(port)` once it listens, and close it cleanly on SIGINT/SIGTERM."""
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread, or no signals here
            loop.add_signal_handler(sig, stop.set)
    if ready is not None:
        ready(server.port)
    try:
        await stop.wait()
    finally:
        await server.close()


_executor: ThreadPoolExecutor | None = None


def _database_executor() -> ThreadPoolExecutor:
    """Worker threads for database work that writes.

    SQLite lets one writer in at a time and makes the others sleep in growing steps (up to 100 ms each) until
    the lock is free, so many threads writing at once answer far slower than one thread taking turns. With
    PostgreSQL, row locks let several writers proceed, so more threads help.
    """
    global _executor
    if _executor is None:
        from django.db import connection

        workers = 1 if connection.vendor == "sqlite" else 8
        _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kitab-db")
    return _executor


async def run_writing(fn: Callable[..., T], *args: object) -> T:
    """Run `fn(*args)` (which writes to the database) in the database worker threads."""
    return await asyncio.get_running_loop().run_in_executor(_database_executor(), fn, *args)
