"""The Z39.50 TCP server: asyncio, one coroutine and one `handlers.Session` per connection.

A broken or hostile client can only lose its own connection:

* APDUs are framed from their BER header; one whose declared length exceeds `max_apdu_size` is refused before
  its body is read, and the connection is closed (a Close with reason protocolError is sent first when the
  socket still takes it). Bytes that are not BER, or BER that is not a Z39.50 APDU, end the same way.
* A connection that sends nothing for `idle_timeout` seconds gets a Close (lackOfActivity); one that starts an
  APDU and does not finish it within `request_timeout` seconds, or does not read our answer within that time,
  is dropped.
* At most `max_connections` connections at once; more are refused with a Close (resources).
* Searches, presents and scans run in worker threads (`asyncio.to_thread`), with Django's database
  connections checked and closed around each call, so a slow query never blocks other clients.
* Any unexpected error while answering is logged and ends only that connection (Close, systemProblem).
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
    serve_until_signalled,
    with_database,
)

from . import ber, codec, handlers

log = logging.getLogger("kitab.z3950")


@dataclass(slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 2100
    max_apdu_size: int = 1024 * 1024  # requests are small; the largest legitimate one is a few kilobytes
    idle_timeout: float = 600.0
    request_timeout: float = 30.0
    max_connections: int = 200
    session: handlers.Config = field(default_factory=handlers.Config)


class ProtocolViolation(Exception):
    """The peer broke the framing or sent something that is not an APDU."""


class _Idle(Exception):
    pass


async def read_apdu(
    reader: asyncio.StreamReader,
    buf: bytearray,
    *,
    max_size: int,
    idle_timeout: float,
    request_timeout: float,
) -> bytes | None:
    """The next whole APDU from `reader` (leftover bytes stay in `buf`), or None at a clean end of stream.

    Raises ProtocolViolation for bad framing or an oversized APDU, _Idle when nothing arrives for
    `idle_timeout`, TimeoutError when an APDU takes longer than `request_timeout` to arrive.
    """
    deadline: float | None = time.monotonic() + request_timeout if buf else None
    while True:
        if buf:
            try:
                total = ber.frame_length(buf, max_size)
            except ber.BERError as exc:
                raise ProtocolViolation(str(exc)) from None
            if total is not None and len(buf) >= total:
                data = bytes(buf[:total])
                del buf[:total]
                return data
        if deadline is None:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), idle_timeout)
            except TimeoutError:
                raise _Idle() from None
            deadline = time.monotonic() + request_timeout
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("APDU not completed in time")
            chunk = await asyncio.wait_for(reader.read(65536), remaining)
        if not chunk:
            if buf:
                raise ProtocolViolation("connection closed in the middle of an APDU")
            return None
        buf += chunk


class Z3950Server(ConnectionServer):
    name = "z3950"
    log = log

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        super().__init__(host=self.config.host, port=self.config.port, read_limit=65536)

    @property
    def max_connections(self) -> int:
        return self.config.max_connections

    async def refuse(self, writer: asyncio.StreamWriter, peer: object) -> None:
        await self._goodbye(writer, 4, "too many connections")

    async def _send(self, writer: asyncio.StreamWriter, apdus: list[codec.APDU]) -> None:
        for apdu in apdus:
            writer.write(codec.encode_apdu(apdu))
        await asyncio.wait_for(writer.drain(), self.config.request_timeout)

    async def _goodbye(self, writer: asyncio.StreamWriter, reason: int, why: str) -> None:
        """Best effort: tell the peer why we close; a peer that does not listen is simply dropped."""
        with contextlib.suppress(Exception):
            await self._send(writer, [codec.Close(reason=reason, diagnostic_information=why)])

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                               peer: object) -> None:
        cfg = self.config
        session = handlers.Session(cfg.session)
        buf = bytearray()
        while True:
            try:
                data = await read_apdu(
                    reader,
                    buf,
                    max_size=cfg.max_apdu_size,
                    idle_timeout=cfg.idle_timeout,
                    request_timeout=cfg.request_timeout,
                )
            except _Idle:
                log.info("z3950: %s idle, closing", peer)
                await self._goodbye(writer, codec.CLOSE_LACK_OF_ACTIVITY, "idle for too long")
                return
            except ProtocolViolation as exc:
                log.info("z3950: %s sent bad data (%s), closing", peer, exc)
                await self._goodbye(writer, codec.CLOSE_PROTOCOL_ERROR, str(exc))
                return
            except (TimeoutError, ConnectionError, OSError) as exc:
                log.info("z3950: %s dropped (%s)", peer, exc or type(exc).__name__)
                return
            if data is None:
                log.info("z3950: %s disconnected", peer)
                return
            try:
                apdu = codec.decode_apdu(data)
            except ber.BERError as exc:
                log.info("z3950: %s sent an undecodable APDU (%s), closing", peer, exc)
                await self._goodbye(writer, codec.CLOSE_PROTOCOL_ERROR, f"undecodable APDU: {exc}")
                return
            try:
                if session.needs_database(apdu):
                    reply = await asyncio.to_thread(with_database, session.respond, apdu)
                else:
                    reply = session.respond(apdu)
            except Exception:
                log.exception("z3950: error answering %s from %s", type(apdu).__name__, peer)
                await self._goodbye(writer, codec.CLOSE_SYSTEM_PROBLEM, "internal error")
                return
            try:
                await self._send(writer, reply.apdus)
            except (TimeoutError, ConnectionError, OSError) as exc:
                log.info("z3950: %s not reading (%s), dropped", peer, exc or type(exc).__name__)
                return
            if reply.close:
                return


async def serve(config: ServerConfig, *, ready: Callable[[int], None] | None = None) -> None:
    """Run the server until SIGINT/SIGTERM; `ready(port)` is called once it listens."""
    await serve_until_signalled(Z3950Server(config), ready=ready)


def run(*, host: str = "127.0.0.1", port: int = 2100, database: str = "Default") -> None:
    """Serve until interrupted (the `kitab z3950 serve` command). Port 0 picks a free port."""
    config = ServerConfig(host=host, port=port, session=handlers.Config(database=database))
    run_in_foreground(
        Z3950Server(config),
        listening=lambda actual: f"Kitab Z39.50 server listening on tcp:{host}:{actual}, database {database}",
        stopped="Kitab Z39.50 server stopped",
    )
