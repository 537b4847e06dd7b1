"""The asyncio server against hostile and ordinary clients over real sockets. No database: every request
here is answered (or refused) before the search service would be called."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from kitab.protocols.z3950 import ber, codec, handlers, server
from tests.live_servers import server_in_thread

from .client import Client
from .pqf import pqf


@pytest.fixture
def z3950() -> Iterator[server.Z3950Server]:
    """A server on a free loopback port, in its own thread and event loop, with short timeouts."""
    config = server.ServerConfig(
        port=0,
        max_apdu_size=64 * 1024,
        idle_timeout=1.0,
        request_timeout=0.5,
        max_connections=40,
        session=handlers.Config(database="Default"),
    )
    srv = server.Z3950Server(config)
    with server_in_thread(srv):
        yield srv


def _works(port: int) -> None:
    """A normal client still gets answers: Init, a search refused for its database name (235), Close."""
    c = Client(port)
    try:
        assert c.init().implementation_id == "Kitab"
        resp = c.ask(codec.SearchRequest(query=pqf("history"), database_names=("Elsewhere",)))
        assert isinstance(resp, codec.SearchResponse) and resp.diagnostics[0].condition == 235
        assert c.ask(codec.Close()) == codec.Close(reason=codec.CLOSE_FINISHED)
        assert c.receive() is None
    finally:
        c.close()


def test_init_search_close(z3950):
    _works(z3950.port)


def test_pipelined_apdus_are_answered_in_order(z3950):
    c = Client(z3950.port)
    c.send(
        codec.InitializeRequest(reference_id=b"1"),
        codec.SearchRequest(query=pqf("x"), database_names=("nope",), reference_id=b"2"),
        codec.Close(reference_id=b"3"),
    )
    answers = [c.receive(), c.receive(), c.receive(), c.receive()]
    assert [type(a).__name__ for a in answers[:3]] == ["InitializeResponse", "SearchResponse", "Close"]
    assert [a.reference_id for a in answers[:3]] == [b"1", b"2", b"3"]
    assert answers[3] is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x00" * 64,
        b"\xff" * 10,
        bytes(range(256)),
    ],
)
def test_garbage_closes_only_that_connection(z3950, garbage):
    c = Client(z3950.port)
    c.send_raw(garbage)
    assert c.closed()
    c.close()
    _works(z3950.port)


def test_well_formed_ber_that_is_not_an_apdu(z3950):
    c = Client(z3950.port)
    c.init()
    c.send_raw(ber.encode(ber.cons(ber.CONTEXT, 22, [])))  # a searchRequest with no fields
    reply = c.receive()
    assert isinstance(reply, codec.Close) and reply.reason == codec.CLOSE_PROTOCOL_ERROR
    assert c.receive() is None
    _works(z3950.port)


def test_oversized_apdu_is_refused_from_its_header(z3950):
    c = Client(z3950.port)
    c.init()
    c.send_raw(b"\xb6\x84\x7f\xff\xff\xff")  # a searchRequest announcing 2 GiB; the body never comes
    reply = c.receive()
    assert isinstance(reply, codec.Close) and reply.reason == codec.CLOSE_PROTOCOL_ERROR
    assert "larger than the maximum" in reply.diagnostic_information
    _works(z3950.port)


def test_truncated_apdu_then_hang_up(z3950):
    data = codec.encode_apdu(codec.InitializeRequest())
    c = Client(z3950.port)
    c.send_raw(data[: len(data) // 2])
    c.close()
    _works(z3950.port)


def test_slow_apdu_is_dropped(z3950):
    data = codec.encode_apdu(codec.InitializeRequest())
    c = Client(z3950.port)
    t0 = time.monotonic()
    c.send_raw(data[:5])  # then nothing: slower than request_timeout (0.5 s)
    assert c.closed()
    assert time.monotonic() - t0 < 5
    _works(z3950.port)


def test_idle_connection_gets_a_close(z3950):
    c = Client(z3950.port)
    c.init()
    reply = c.receive()  # idle_timeout is 1 s
    assert isinstance(reply, codec.Close) and reply.reason == codec.CLOSE_LACK_OF_ACTIVITY
    assert c.receive() is None


def test_first_apdu_must_be_init(z3950):
    c = Client(z3950.port)
    reply = c.ask(codec.PresentRequest())
    assert isinstance(reply, codec.Close) and reply.reason == codec.CLOSE_PROTOCOL_ERROR
    assert c.receive() is None


def test_unsupported_apdu_is_refused(z3950):
    c = Client(z3950.port)
    c.init()
    c.send_raw(ber.encode(ber.cons(ber.CONTEXT, 43, [ber.prim(ber.CONTEXT, 2, b"sort")])))  # sortRequest
    reply = c.receive()
    assert isinstance(reply, codec.Close) and reply.reference_id == b"sort"
    assert "sortRequest is not supported" in reply.diagnostic_information


def test_concurrent_clients(z3950):
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda _i: _works(z3950.port), range(40)))


def test_connection_limit(z3950):
    z3950.config.max_connections = 2
    held = [Client(z3950.port) for _ in range(2)]
    for c in held:
        c.init()
    extra = Client(z3950.port)
    reply = extra.receive()
    assert isinstance(reply, codec.Close) and reply.reason == 4
    for c in held:
        c.ask(codec.Close())
        c.close()
    time.sleep(0.1)
    _works(z3950.port)
