"""The SIP2 TCP server: asyncio, one coroutine and one `handlers.Session` per terminal connection.

A broken or hostile client can only lose its own connection:

* a message ends at CR (CRLF and a lone LF are accepted too); one longer than `max_message` bytes without a
  terminator gets a 96 (request SC resend) and the connection is closed;
* a connection that sends nothing for `idle_timeout` seconds, or starts a message and does not finish it
  within `request_timeout` seconds, is closed;
* after `max_errors` unusable messages in a row (not SIP2 at all, bad checksums) the connection is closed;
* at most `max_connections` connections at once; more are closed straight away;
* every message is answered in a database worker thread (`serving.run_writing`; on SQLite a single one, so
  terminals take turns instead of sleeping on SQLite's write lock), with Django's database connection checked
  around the call (`kitab sip2 serve` keeps it open between messages: serving.keep_database_connections); the
  event loop itself never waits on the database;
* an unexpected error while answering is logged and ends only that connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kitab.protocols.serving import (
    ConnectionServer,
    run_in_foreground,
    run_writing,
    serve_until_signalled,
    with_database,
)

from . import codec, handlers

log = logging.getLogger("kitab.sip2")


@dataclass(slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 6001
    max_message: int = 8 * 1024
    idle_timeout: float = 600.0
    request_timeout: float = 30.0
    max_connections: int = 200
    max_errors: int = 10
    session: handlers.Config = field(default_factory=handlers.Config)


# Messages that only read (or, for Login, mostly compute): they need not take turns at the database.
_READ_ONLY = {b"93", b"99", b"17", b"23", b"63", b"35"}


class MessageTooLong(Exception):
    pass


class _Idle(Exception):
    pass


def _split(buf: bytearray) -> bytes | None:
    """The next message in `buf` (terminator removed), or None when no terminator arrived yet."""
    while buf and buf[0] in (0x0D, 0x0A):
        del buf[:1]  # the LF of a CRLF, or blank lines
    ends = [i for i in (buf.find(b"\r"), buf.find(b"\n")) if i >= 0]
    if not ends:
        return None
    end = min(ends)
    data = bytes(buf[:end])
    del buf[: end + 1]
    return data


async def read_message(
    reader: asyncio.StreamReader,
    buf: bytearray,
    *,
    max_size: int,
    idle_timeout: float,
    request_timeout: float,
) -> bytes | None:
    """The next message (without terminator), or None at the end of the stream."""
    deadline: float | None = None
    while True:
        data = _split(buf)
        if data is not None:
            return data
        if len(buf) > max_size:
            raise MessageTooLong()
        if not buf:
            try:
                chunk = await asyncio.wait_for(reader.read(4096), idle_timeout)
            except TimeoutError:
                raise _Idle() from None
        else:
            deadline = deadline or time.monotonic() + request_timeout
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("message not completed in time")
            chunk = await asyncio.wait_for(reader.read(4096), remaining)
        if not chunk:
            return None
        buf += chunk


class SIP2Server(ConnectionServer):
    name = "sip2"
    log = log

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        super().__init__(host=self.config.host, port=self.config.port)

    @property
    def max_connections(self) -> int:
        return self.config.max_connections

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await asyncio.wait_for(writer.drain(), self.config.request_timeout)

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                               peer: object) -> None:
        cfg = self.config
        session = handlers.Session(cfg.session)
        buf = bytearray()
        errors = 0
        while True:
            try:
                data = await read_message(
                    reader,
                    buf,
                    max_size=cfg.max_message,
                    idle_timeout=cfg.idle_timeout,
                    request_timeout=cfg.request_timeout,
                )
            except MessageTooLong:
                log.info(
                    "sip2: %s sent more than %d bytes without a terminator, closing", peer, cfg.max_message
                )
                with contextlib.suppress(Exception):
                    await self._send(writer, codec.resend_request(False))
                return
            except _Idle:
                log.info("sip2: %s idle, closing", peer)
                return
            except (TimeoutError, ConnectionError, OSError) as exc:
                log.info("sip2: %s dropped (%s)", peer, exc or type(exc).__name__)
                return
            if data is None:
                log.info("sip2: %s disconnected", peer)
                return
            try:
                if data[:2] in _READ_ONLY:
                    # Login spends its time hashing the password, not writing: don't queue it behind checkouts.
                    reply = await asyncio.to_thread(with_database, session.respond, data)
                else:
                    reply = await run_writing(with_database, session.respond, data)
            except Exception:
                log.exception("sip2: error answering %r from %s", data[:2], peer)
                return
            errors = errors + 1 if reply.data.startswith(b"96") else 0
            try:
                await self._send(writer, reply.data)
            except (TimeoutError, ConnectionError, OSError) as exc:
                log.info("sip2: %s not reading (%s), dropped", peer, exc or type(exc).__name__)
                return
            if reply.close or errors >= cfg.max_errors:
                log.info("sip2: closing %s", peer)
                return


async def serve(config: ServerConfig, *, ready: Callable[[int], None] | None = None) -> None:
    """Run the server until SIGINT/SIGTERM; `ready(port)` is called once it listens."""
    await serve_until_signalled(SIP2Server(config), ready=ready)


def run(*, host: str = "127.0.0.1", port: int = 6001, encoding: str = "utf-8") -> None:
    """Serve until interrupted (the `kitab sip2 serve` command). Port 0 picks a free port."""
    config = ServerConfig(host=host, port=port, session=handlers.Config(encoding=encoding))
    run_in_foreground(
        SIP2Server(config),
        listening=lambda actual: f"Kitab SIP2 server listening on tcp:{host}:{actual}, character set {encoding}",
        stopped="Kitab SIP2 server stopped",
    )
