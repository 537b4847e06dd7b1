"""Build ISO 2709 records byte by byte, so tests can contain any encoding and any damage we need."""

from __future__ import annotations

import pymarc
from pymarc import Field, Subfield
from pymarc.field import Indicators

FT = b"\x1e"
RT = b"\x1d"
SF = b"\x1f"


def raw_record(fields: list[tuple[str, bytes]], leader: str = "     nam a22     4i 4500") -> bytes:
    """Assemble a record from (tag, field bytes without terminator), with correct lengths and addresses."""
    directory = b""
    data = b""
    for tag, body in fields:
        body = body + FT
        directory += f"{tag}{len(body):04d}{len(data):05d}".encode("ascii")
        data += body
    directory += FT
    base = 24 + len(directory)
    total = base + len(data) + 1
    lead = f"{total:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("ascii")
    return lead + directory + data + RT


def data_field(ind: bytes, *subfields: tuple[str, bytes]) -> bytes:
    return ind + b"".join(SF + code.encode("ascii") + value for code, value in subfields)


def marc8_leader() -> str:
    return "     nam  22     4i 4500"


def make_record(*fields: Field, leader: str = "00000nam a2200000 i 4500") -> pymarc.Record:
    record = pymarc.Record()
    record.leader = pymarc.Leader(leader)
    record.fields = list(fields)
    return record


def df(tag: str, ind: str, *pairs: str) -> Field:
    """df("245", "10", "a", "Title :", "b", "subtitle") -> a data field."""
    subs = [Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subs)


def cf(tag: str, data: str) -> Field:
    return Field(tag=tag, data=data)
