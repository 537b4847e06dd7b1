"""Small MARC records built in tests (pymarc), for the editing, validation and duplicate tests."""

from __future__ import annotations

import pymarc

LEADER = "00000nam a2200000 a 4500"
F008 = "250101s2024    tu            000 0 tur d"


def bib(
    title: str = "Kitab-ı Dədə Qorqud",
    *,
    control: str | None = None,
    author: str | None = "Ergin, Muharrem",
    isbn: str | None = None,
    year: str = "2024",
    extra: list[pymarc.Field] | None = None,
    f008: str | None = None,
) -> pymarc.Record:
    record = pymarc.Record(force_utf8=True, leader=LEADER)
    if control:
        record.add_field(pymarc.Field(tag="001", data=control))
        record.add_field(pymarc.Field(tag="003", data="KITAB"))
    record.add_field(pymarc.Field(tag="008", data=f008 if f008 is not None else F008[:7] + year + F008[11:]))
    if isbn:
        record.add_field(
            pymarc.Field(tag="020", indicators=[" ", " "], subfields=[pymarc.Subfield("a", isbn)])
        )
    if author:
        record.add_field(
            pymarc.Field(tag="100", indicators=["1", " "], subfields=[pymarc.Subfield("a", author)])
        )
    record.add_field(pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)]))
    record.add_field(
        pymarc.Field(
            tag="264",
            indicators=[" ", "1"],
            subfields=[
                pymarc.Subfield("a", "İstanbul :"),
                pymarc.Subfield("b", "Kitab Yayınları,"),
                pymarc.Subfield("c", year),
            ],
        )
    )
    for field in extra or []:
        record.add_field(field)
    return record


def field(tag: str, *pairs: str, ind: str = "  ") -> pymarc.Field:
    """field("650", "a", "Epic poetry", "z", "Azerbaijan", ind=" 0")"""
    subfields = [pymarc.Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return pymarc.Field(tag=tag, indicators=[ind[0], ind[1]], subfields=subfields)


def book(title: str = "Kitab-ı Dədə Qorqud", **kwargs) -> pymarc.Record:  # type: ignore[no-untyped-def]
    """`bib` with the 336/337/338 the book framework requires."""
    extra = list(kwargs.pop("extra", []) or [])
    extra += [
        field("336", "a", "text", "b", "txt", "2", "rdacontent"),
        field("337", "a", "unmediated", "b", "n", "2", "rdamedia"),
        field("338", "a", "volume", "b", "nc", "2", "rdacarrier"),
    ]
    return bib(title, extra=extra, **kwargs)
