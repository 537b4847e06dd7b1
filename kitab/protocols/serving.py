"""What the protocol servers (Z39.50, SIP2) share: running until the operator stops them."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import Protocol


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
