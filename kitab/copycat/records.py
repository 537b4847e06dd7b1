"""Records as a remote target sends them (ISO 2709 or MARCXML bytes) to pymarc records. Pure, no Django.

Decoding goes through Kitab's own readers (`kitab.marc.iso2709.parse_record`, `kitab.marc.marcxml`), so MARC-8,
mislabelled UTF-8 and broken records are handled exactly as in a file import. A target whose leader/09 cannot be
trusted is read with the encoding its configuration names instead: the leader byte is set before decoding.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pymarc

from kitab.marc import iso2709, marcxml
from kitab.marc.errors import RecordRejected

ISO2709 = "iso2709"
MARCXML = "marcxml"
AUTO = "auto"
_LEADER_09 = {"utf-8": b"a", "marc-8": b" "}


@dataclass(slots=True)
class RemoteRecord:
    position: int  # 1-based position in the target's result set
    data: bytes  # exactly as received, so an import reads the same bytes again
    format: str  # ISO2709 | MARCXML
    record: pymarc.Record | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def control_number(self) -> str | None:
        if self.record is None:
            return None
        f001 = self.record.get("001")
        return f001.data.strip() if f001 is not None and f001.data else None


def read_remote(data: bytes, *, fmt: str, encoding: str = AUTO, position: int = 1) -> RemoteRecord:
    """Decode one record; a record that cannot be read comes back with `error` set instead of raising."""
    remote = RemoteRecord(position=position, data=data, format=fmt)
    try:
        if fmt == MARCXML:
            remote.record, remote.warnings = _read_xml(data)
        else:
            raw = data
            forced = _LEADER_09.get(encoding)
            if forced is not None and len(raw) > 9:
                raw = raw[:9] + forced + raw[10:]
            remote.record, remote.warnings = iso2709.parse_record(raw)
    except RecordRejected as exc:
        remote.error = str(exc)
    return remote


def _read_xml(data: bytes) -> tuple[pymarc.Record, list[str]]:
    for _offset, chunk, wrapper in marcxml.iter_record_chunks(io.BytesIO(data)):
        parsed = marcxml.parse_chunk(chunk, wrapper)
        if parsed:
            return parsed[0]
    raise RecordRejected("no MARCXML record in the data")
