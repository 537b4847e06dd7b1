"""A minimal blocking Z39.50 client over the codec, for tests that drive the server with raw sockets."""

from __future__ import annotations

import socket

from kitab.protocols.z3950 import ber, codec


class Client:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 10.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = bytearray()

    def send(self, *apdus: codec.APDU) -> None:
        self.sock.sendall(b"".join(codec.encode_apdu(a) for a in apdus))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> codec.APDU | None:
        """The next APDU, or None when the server closed the connection."""
        while True:
            if self.buf:
                total = ber.frame_length(self.buf, 1 << 30)
                if total is not None and len(self.buf) >= total:
                    data = bytes(self.buf[:total])
                    del self.buf[:total]
                    return codec.decode_apdu(data)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk

    def ask(self, apdu: codec.APDU) -> codec.APDU | None:
        self.send(apdu)
        return self.receive()

    def init(self) -> codec.InitializeResponse:
        resp = self.ask(
            codec.InitializeRequest(options=frozenset({"search", "present", "scan", "namedResultSets"}))
        )
        assert isinstance(resp, codec.InitializeResponse) and resp.result
        return resp

    def closed(self) -> bool:
        """True when the server has closed the connection (after any APDUs it sent first)."""
        while True:
            apdu = self.receive()
            if apdu is None:
                return True
            if not isinstance(apdu, codec.Close):
                return False

    def close(self) -> None:
        self.sock.close()
