"""The "merge fields" action of a staged import, as a pure function on pymarc records (no database).

The rule, field by field (tag by tag): the incoming record wins for every tag it has; a tag the incoming record
does not have at all keeps the local record's fields. So a newer record from a vendor or a national library
replaces the description (245, 260/264, 300, 5XX, 6XX, …) while local additions the source never carries —
local notes (590), local subjects (69X), holdings (852/952), local 9XX fields, a 856 link we added — stay.
The leader and the control fields 001, 003, 005 and 008 always come from the incoming record (they describe it).
Fields keep MARC tag order: the kept local fields are put after the incoming fields with a lower or equal tag.
"""

from __future__ import annotations

import copy

import pymarc

# Always the incoming record's (when it has them): the identity and the coded data of the description.
_ALWAYS_INCOMING = {"001", "003", "005", "008"}


def merge_fields(local: pymarc.Record, incoming: pymarc.Record) -> pymarc.Record:
    """A new record: `incoming`, plus every field of `local` whose tag `incoming` lacks (see the module doc)."""
    merged = pymarc.Record(leader=copy.deepcopy(incoming.leader), force_utf8=True)
    incoming_tags = {field.tag for field in incoming.fields}
    kept = [
        field for field in local.fields if field.tag not in incoming_tags and field.tag not in _ALWAYS_INCOMING
    ]
    fields = [copy.deepcopy(field) for field in incoming.fields]
    for field in kept:
        # After the last field whose tag sorts at or before this one, so 590 lands after 500 and before 600.
        at = len(fields)
        for n in range(len(fields) - 1, -1, -1):
            if fields[n].tag <= field.tag:
                at = n + 1
                break
        else:
            at = 0
        fields.insert(at, copy.deepcopy(field))
    for field in fields:
        merged.add_field(field)
    return merged
