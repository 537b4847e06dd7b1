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


# Why a record gets its outcome: a stable code, stored in the report and turned into a sentence in the reader's
# language when shown (`reason_text`).
REASONS = ("new", "add", "keep", "identical", "merge", "replace")


def reason_text(code: str, record_id: int | None = None) -> str:
    """The sentence for a reason code (in the active language); "" for an unknown code."""
    texts = {
        "new": _("New record"),
        "add": _("Matches record %(id)s; added as a new record as chosen"),
        "keep": _("Matches record %(id)s, which is kept as it is"),
        "identical": _("Identical to record %(id)s"),
        "merge": _("Matches record %(id)s; fields merged into it"),
        "replace": _("Matches record %(id)s, which is replaced"),
    }
    text = texts.get(code, "")
    return text % {"id": record_id} if "%(id)s" in text else text


@dataclass
class Decision:
    """What happens to one incoming record: `outcome` (new/update/skip/reject), the local record it matched
    (`target`), on which identifier (`matched_on`: ctl/isbn/035), and why (`code`, one of REASONS)."""

    outcome: str
    target: Record | None = None
    matched_on: str = ""
    matched_value: str = ""
    code: str = "new"
    also_matches: list[int] = field(default_factory=list)

    @property
    def matched_id(self) -> int | None:
        if self.target is not None:
            return self.target.pk
        return self.also_matches[0] if self.also_matches else None

    @property
    def reason(self) -> str:
        return reason_text(self.code, self.matched_id)


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
        return Decision(Outcome.NEW, code="new")
    target = candidates[0]
    others = [record.pk for record in candidates[1:]]
    if on_match == OnMatch.ADD:
        return Decision(Outcome.NEW, matched_on=matched_on, matched_value=matched_value, code="add",
                        also_matches=[target.pk, *others])
    if on_match == OnMatch.KEEP:
        return Decision(Outcome.SKIP, target, matched_on, matched_value, code="keep", also_matches=others)
    if target.raw_digest == entry.digest:
        return Decision(Outcome.SKIP, target, matched_on, matched_value, code="identical", also_matches=others)
    code = "merge" if on_match == OnMatch.MERGE else "replace"
    return Decision(Outcome.UPDATE, target, matched_on, matched_value, code=code, also_matches=others)


def match_label(kind: str) -> str:
    labels = {"ctl": _("001/003"), "isbn": _("ISBN"), "035": _("035")}
    return labels.get(kind, kind)
