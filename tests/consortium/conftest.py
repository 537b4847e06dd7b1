"""A tiny OAI-PMH repository in a thread: canned ListRecords pages, resumption tokens, errors on demand."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from kitab.marc.iso2709 import parse_record
from kitab.marc.writer import to_marcxml
from tests.conftest import demo_raw_records

RESPONSE_DATE = "2025-05-01T10:00:00Z"


def marcxml(raw: bytes) -> str:
    """A demo record as a MARCXML <record> element (no XML declaration)."""
    record, _warnings = parse_record(raw)
    return to_marcxml(record).decode("utf-8").split("?>", 1)[1].strip()


def demo_xml(n: int) -> list[str]:
    return [marcxml(raw) for raw in demo_raw_records(n)]


def envelope(body: str, response_date: str = RESPONSE_DATE) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>{response_date}</responseDate><request>http://fake/oai</request>{body}</OAI-PMH>"
    ).encode()


def record_xml(identifier: str, metadata: str | None, datestamp: str = "2025-04-01T00:00:00Z") -> str:
    """One OAI record; metadata None: a deleted record (header only)."""
    if metadata is None:
        return (f'<record><header status="deleted"><identifier>{identifier}</identifier>'
                f"<datestamp>{datestamp}</datestamp></header></record>")
    return (f"<record><header><identifier>{identifier}</identifier><datestamp>{datestamp}</datestamp></header>"
            f"<metadata>{metadata}</metadata></record>")


def list_page(records: list[str], token: str | None = None, response_date: str = RESPONSE_DATE) -> bytes:
    tail = f"<resumptionToken>{token}</resumptionToken>" if token else ("<resumptionToken/>" if token == "" else "")
    return envelope(f"<ListRecords>{''.join(records)}{tail}</ListRecords>", response_date)


def error(code: str, message: str = "error") -> bytes:
    return envelope(f'<error code="{code}">{message}</error>')


IDENTIFY = envelope(
    "<Identify><repositoryName>Fake</repositoryName><baseURL>http://fake/oai</baseURL>"
    "<protocolVersion>2.0</protocolVersion><adminEmail>a@b.c</adminEmail>"
    "<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
    "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
)


@dataclass
class FakeRepository:
    """What the server answers. `pages`: resumption token ("" for the first request) -> body or HTTP status."""

    pages: dict[str, bytes | int] = field(default_factory=dict)
    identify: bytes = IDENTIFY
    fail_once: dict[str, int] = field(default_factory=dict)  # token -> HTTP status, answered once
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def answer(self, query: dict[str, str]) -> tuple[int, bytes]:
        self.requests.append(query)
        if query.get("verb") == "Identify":
            return 200, self.identify
        if query.get("verb") != "ListRecords":
            return 200, error("badVerb")
        token = query.get("resumptionToken", "")
        if token in self.fail_once:
            return self.fail_once.pop(token), b"Server exploded"
        body = self.pages.get(token)
        if body is None:
            return 200, error("badResumptionToken", "expired") if token else error("noRecordsMatch")
        if isinstance(body, int):
            return body, b"no"
        return 200, body

    def list_requests(self) -> list[dict[str, str]]:
        return [q for q in self.requests if q.get("verb") == "ListRecords"]


@pytest.fixture
def repository() -> Iterator[FakeRepository]:
    repo = FakeRepository()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            status, body = repo.answer(query)
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    repo.url = f"http://127.0.0.1:{server.server_address[1]}/oai"
    try:
        yield repo
    finally:
        server.shutdown()
        server.server_close()
