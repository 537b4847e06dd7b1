"""What a staged import would do with each incoming record: the one decision used by the preview and the run.

Pure reads: `plan()` looks up the local records an incoming record matches under the batch's matching rule and
says what the chosen action on a match makes of it. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record, RecordIdentifier
from kitab.catalogue.services import PreparedRecord

from .models import ImportBatch

MatchRule = ImportBatch.MatchRule
OnMatch = ImportBatch.OnMatch

# The RecordIdentifier kinds each matching rule looks at (only local records: harvested ones are scoped).
RULE_KINDS: dict[str, tuple[str, ...]] = {
    MatchRule.CONTROL: ("ctl",),
    MatchRule.ISBN: ("isbn",),
    MatchRule.SYSTEM: ("035",),
    MatchRule.NONE: (),
}


class Outcome:
    NEW = "new"
    UPDATE = "update"
    SKIP = "skip"
    REJECT = "reject"


@dataclass
class Decision:
    """What happens to one incoming record: `outcome` (new/update/skip/reject), the local record it matched
    (`target`), on which identifier (`matched_on`: ctl/isbn/035), and a sentence saying why (`reason`)."""

    outcome: str
    target: Record | None = None
    matched_on: str = ""
    matched_value: str = ""
    reason: str = ""
    also_matches: list[int] = field(default_factory=list)


def match_kinds(rule: str) -> tuple[str, ...]:
    return RULE_KINDS.get(rule, ())


def find_matches(
    prepared: Sequence[PreparedRecord], rule: str, *, with_raw: bool = False
) -> dict[tuple[str, str], list[Record]]:
    """Local records by (kind, value) for the match keys of `prepared` under `rule`, lowest id first."""
    kinds = match_kinds(rule)
    wanted = {(kind, value) for entry in prepared for kind, value in entry.keys if kind in kinds}
    if not wanted:
        return {}
    condition = Q()
    for kind, value in wanted:
        condition |= Q(kind=kind, value=value)
    rows = list(
        RecordIdentifier.objects.filter(condition, record__source="")
        .order_by("record_id")
        .values_list("kind", "value", "record_id")
    )
    records = Record.objects.all() if with_raw else Record.objects.defer("raw")
    by_id = records.in_bulk({record_id for _kind, _value, record_id in rows})
    found: dict[tuple[str, str], list[Record]] = {}
    for kind, value, record_id in rows:
        if record_id in by_id:
            found.setdefault((kind, value), []).append(by_id[record_id])
    return found


def decide(
    entry: PreparedRecord, matches: dict[tuple[str, str], list[Record]], *, rule: str, on_match: str
) -> Decision:
    """The decision for one prepared record, given the `find_matches` result of its chunk."""
    candidates: list[Record] = []
    matched_on = matched_value = ""
    for kind in match_kinds(rule):
        for key_kind, value in entry.keys:
            if key_kind == kind and (kind, value) in matches:
                for record in matches[(kind, value)]:
                    if all(record.pk != other.pk for other in candidates):
                        candidates.append(record)
                if not matched_on:
                    matched_on, matched_value = kind, value
    if not candidates:
        return Decision(Outcome.NEW, reason=_("New record"))
    target = candidates[0]
    others = [record.pk for record in candidates[1:]]
    if on_match == OnMatch.ADD:
        return Decision(
            Outcome.NEW, matched_on=matched_on, matched_value=matched_value, also_matches=[target.pk, *others],
            reason=_("Matches record %(id)s; added as a new record as chosen") % {"id": target.pk},
        )
    if on_match == OnMatch.KEEP:
        return Decision(
            Outcome.SKIP, target, matched_on, matched_value, also_matches=others,
            reason=_("Matches record %(id)s, which is kept as it is") % {"id": target.pk},
        )
    if target.raw_digest == entry.digest:
        return Decision(
            Outcome.SKIP, target, matched_on, matched_value, also_matches=others,
            reason=_("Identical to record %(id)s") % {"id": target.pk},
        )
    if on_match == OnMatch.MERGE:
        reason = _("Matches record %(id)s; fields merged into it") % {"id": target.pk}
    else:
        reason = _("Matches record %(id)s, which is replaced") % {"id": target.pk}
    return Decision(Outcome.UPDATE, target, matched_on, matched_value, reason=reason, also_matches=others)


def match_label(kind: str) -> str:
    labels = {"ctl": _("001/003"), "isbn": _("ISBN"), "035": _("035")}
    return labels.get(kind, kind)
