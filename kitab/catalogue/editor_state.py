"""The editor's view of a record: plain JSON (leader, fields, subfields in order), to and from pymarc.

The MARC editor page edits this structure in the browser and posts it back; drafts store it as it is, so a
draft may hold an unfinished field that a MARC record could not.
"""

from __future__ import annotations

import json
from typing import Any

import pymarc
from django.utils.translation import gettext as _

from .validation import ERROR, Issue

State = dict[str, Any]


def to_state(record: pymarc.Record) -> State:
    fields: list[dict[str, Any]] = []
    for field in record.fields:
        if field.is_control_field():
            fields.append({"tag": field.tag, "data": field.data or ""})
        else:
            ind = field.indicators or (" ", " ")
            fields.append(
                {
                    "tag": field.tag,
                    "ind1": ind[0] or " ",
                    "ind2": ind[1] or " ",
                    "subfields": [[code, value] for code, value in field.subfields],
                }
            )
    return {"leader": str(record.leader), "fields": fields}


def load(text: str) -> State:
    """Parse posted JSON; anything malformed becomes an empty record (the page then says what is missing)."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {"leader": "", "fields": []}
    if not isinstance(data, dict):
        return {"leader": "", "fields": []}
    fields = (
        [f for f in data.get("fields", []) if isinstance(f, dict)]
        if isinstance(data.get("fields"), list)
        else []
    )
    return {"leader": str(data.get("leader", "")), "fields": fields}


def is_control_tag(tag: str) -> bool:
    return len(tag) == 3 and tag.isdigit() and tag < "010"


def from_state(state: State) -> tuple[pymarc.Record, list[Issue]]:
    """A pymarc.Record from the editor's state, and what could not be carried over. Subfields left empty and
    fields left without any value are dropped: a template offers them, the record may not need them."""
    issues: list[Issue] = []
    leader = str(state.get("leader", "")).replace("#", " ")
    record = pymarc.Record(force_utf8=True, leader=leader.ljust(24)[:24] if len(leader) < 24 else leader)
    if len(leader) != 24:
        record.leader = leader  # validation reports the wrong length
    for index, raw in enumerate(state.get("fields", [])):
        tag = str(raw.get("tag", "")).strip()
        if is_control_tag(tag):
            data = str(raw.get("data", "")).replace("#", " ") if tag == "008" else str(raw.get("data", ""))
            record.add_field(pymarc.Field(tag=tag, data=data))
            continue
        pairs: list[tuple[str, str]] = []
        for pair in raw.get("subfields", []) or []:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            code, value = str(pair[0]).strip(), str(pair[1])
            if not value.strip():
                continue  # an empty row, or a template subfield left empty: not applicable to this record
            if not code:
                issues.append(
                    Issue(
                        ERROR,
                        "subfield_code_missing",
                        _("A subfield of field %(tag)s has no code.") % {"tag": tag or "?"},
                        tag,
                        index,
                    )
                )
                continue
            pairs.append((code, value))
        if not pairs:
            continue  # a field with nothing in it (the framework check says when a required one is missing)
        ind1 = (str(raw.get("ind1", " ")) or " ").replace("#", " ")[:1] or " "
        ind2 = (str(raw.get("ind2", " ")) or " ").replace("#", " ")[:1] or " "
        record.add_field(
            pymarc.Field(
                tag=tag,
                indicators=[ind1, ind2],
                subfields=[pymarc.Subfield(code, value) for code, value in pairs],
            )
        )
    return record, issues
