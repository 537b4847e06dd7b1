"""What the protocol servers (Z39.50, SIP2) share: the TCP listener with its connection limit, clean shutdown,
running until the operator stops them, and the threads that touch the database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from django.db import close_old_connections, connections

T = TypeVar("T")


class TcpServer(Protocol):
    port: int

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class ConnectionServer:
    """An asyncio TCP server: one task per connection, at most `max_connections` at once (more are refused),
    and every open connection ended on close. Subclasses implement `serve_connection` and may say goodbye to
    a refused peer in `refuse`."""

    #: Prefix of log messages ("sip2", "z3950").
    name = "server"
    log = logging.getLogger("kitab.protocols")

    def __init__(self, *, host: str, port: int, read_limit: int = 2**16) -> None:
        self._host, self._port, self._read_limit = host, port, read_limit
        self._server: asyncio.base_events.Server | None = None
        self._active = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None and self._server.sockets
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._connection, self._host, self._port, limit=self._read_limit, reuse_address=True
        )

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        # Python 3.11's wait_closed does not wait for open connections: end them here, so none is left
        # half-closed when the event loop stops.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def max_connections(self) -> int:
        """Read at every new connection, so the limit may change while the server runs."""
        raise NotImplementedError

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                               peer: object) -> None:
        raise NotImplementedError

    async def refuse(self, writer: asyncio.StreamWriter, peer: object) -> None:
        """Called for a connection over the limit, before it is closed."""

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        self._active += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            if self._active > self.max_connections:
                self.log.warning("%s: refusing %s: %d connections", self.name, peer, self._active - 1)
                await self.refuse(writer, peer)
                return
            self.log.info("%s: connection from %s", self.name, peer)
            await self.serve_connection(reader, writer, peer)
        finally:
            self._active -= 1
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 5)


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


def run_in_foreground(server: TcpServer, *, listening: Callable[[int], str], stopped: str) -> None:
    """The body of a `kitab … serve` command: keep database connections, serve until SIGINT/SIGTERM, print
    `listening(port)` once the server listens and `stopped` (to stderr) when it has closed."""

    def ready(port: int) -> None:
        print(listening(port), flush=True)

    keep_database_connections()
    asyncio.run(serve_until_signalled(server, ready=ready))
    print(stopped, file=sys.stderr, flush=True)


def with_database(fn: Callable[..., T], *args: Any) -> T:
    """Call `fn(*args)` in a worker thread with a usable Django database connection: one that broke or
    outlived CONN_MAX_AGE is replaced before and after the call (see `keep_database_connections`)."""
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


def keep_database_connections(seconds: int = 600) -> None:
    """For a long-running protocol server process: keep each worker thread's database connection open between
    messages (checked for health before reuse) instead of Django's default of one connection per request.
    Reconnecting for every SIP2 message cost a PostgreSQL login each time, and on SQLite threw away the
    connection's page cache; the worker threads are few and long-lived, so the connections stay few."""
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = seconds
        connections.settings[alias]["CONN_HEALTH_CHECKS"] = True


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
