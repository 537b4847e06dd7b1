"""The asyncio server against hostile and ordinary clients over real sockets. No database: every message
here is answered (or refused) before a service would be called."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from kitab.protocols.sip2 import codec, handlers, server
from tests.live_servers import server_in_thread

STATUS = b"990 802.00"


@pytest.fixture
def sip2() -> Iterator[server.SIP2Server]:
    """A server on a free loopback port, in its own thread and event loop, with short timeouts."""
    config = server.ServerConfig(
        port=0,
        max_message=1024,
        idle_timeout=1.0,
        request_timeout=0.5,
        max_connections=40,
        max_errors=3,
        session=handlers.Config(institution="Kitab"),
    )
    srv = server.SIP2Server(config)
    with server_in_thread(srv):
        yield srv


class Terminal:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> bytes | None:
        """The next response (with its CR), or None when the server closed the connection."""
        while b"\r" not in self.buf:
            try:
                chunk = self.sock.recv(4096)
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            self.buf += chunk
        line, _sep, self.buf = self.buf.partition(b"\r")
        return line + b"\r"

    def ask(self, data: bytes) -> bytes | None:
        self.send(data + b"\r")
        return self.receive()

    def close(self) -> None:
        self.sock.close()


def _works(port: int) -> None:
    t = Terminal(port)
    try:
        reply = t.ask(STATUS)
        assert reply is not None and reply.startswith(b"98YYYYNN") and b"|BXYYYNYYYYYYYNNYYY|" in reply
    finally:
        t.close()


def test_sc_status(sip2):
    _works(sip2.port)


def test_crlf_lf_and_pipelined_messages(sip2):
    t = Terminal(sip2.port)
    t.send(
        STATUS
        + b"\r\n"
        + STATUS
        + b"AY1AZ"
        + codec.checksum(STATUS + b"AY1AZ").encode()
        + b"\r"
        + STATUS
        + b"\n"
    )
    first, second, third = t.receive(), t.receive(), t.receive()
    assert first and first.startswith(b"98") and b"AY" not in first
    assert second and second.startswith(b"98") and b"|AY1AZ" in second
    assert codec.decode(second, responses=True).sequence == "1"
    assert third and third.startswith(b"98")
    t.close()


def test_messages_before_login_are_refused(sip2):
    t = Terminal(sip2.port)
    reply = t.ask(b"17" + b"20250303    100000" + b"AOKitab|AB1|")
    assert reply is not None
    parsed = codec.decode(reply, responses=True)
    assert parsed.command == "18" and parsed.get("AB") == "1" and "log in" in parsed.get("AF")
    assert t.ask(b"97") == reply  # the last response again
    t.close()


@pytest.mark.parametrize(
    # Every byte value except the line ends: CR and LF would split one garbage line into several messages.
    "garbage", [b"GET / HTTP/1.1", b"\x00" * 64, bytes(b for b in range(256) if b not in (10, 13))]
)
def test_garbage_gets_resend_requests_then_the_connection_is_closed(sip2, garbage):
    t = Terminal(sip2.port)
    replies = [t.ask(garbage) for _ in range(3)]
    assert replies == [b"96\r"] * 3
    assert t.receive() is None  # max_errors (3) unusable messages in a row
    t.close()
    _works(sip2.port)


def test_bad_checksum_asks_for_a_resend(sip2):
    t = Terminal(sip2.port)
    assert t.ask(STATUS + b"AY1AZ0000") == b"96AZFEF6\r"
    reply = t.ask(STATUS + b"AY1AZ" + codec.checksum(STATUS + b"AY1AZ").encode())
    assert reply and reply.startswith(b"98")
    t.close()


def test_malformed_message_is_refused_on_its_own_connection(sip2):
    t = Terminal(sip2.port)
    reply = t.ask(b"23001" + b"2025")  # truncated inside the transaction date
    assert reply and reply.startswith(b"24") and b"truncated" in reply
    t.close()


def test_oversized_message_closes_the_connection(sip2):
    t = Terminal(sip2.port)
    t.send(b"17" + b"x" * 5000)
    assert t.receive() == b"96\r"
    assert t.receive() is None
    t.close()
    _works(sip2.port)


def test_truncated_message_then_hang_up(sip2):
    t = Terminal(sip2.port)
    t.send(b"9300CNkio")
    t.close()
    _works(sip2.port)


def test_unfinished_message_is_dropped(sip2):
    t = Terminal(sip2.port)
    t0 = time.monotonic()
    t.send(b"990 8")  # then nothing: slower than request_timeout (0.5 s)
    assert t.receive() is None
    assert time.monotonic() - t0 < 5
    t.close()


def test_idle_connection_is_closed(sip2):
    t = Terminal(sip2.port)
    assert t.ask(STATUS)
    assert t.receive() is None  # idle_timeout is 1 s
    t.close()


def test_concurrent_terminals(sip2):
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda _i: _works(sip2.port), range(40)))


def test_connection_limit(sip2):
    sip2.config.max_connections = 2
    held = [Terminal(sip2.port) for _ in range(2)]
    for t in held:
        assert t.ask(STATUS)
    extra = Terminal(sip2.port)
    assert extra.receive() is None
    for t in held:
        t.close()
    extra.close()
    time.sleep(0.1)
    sip2.config.max_connections = 40
    _works(sip2.port)
