"""Copies (items) embedded in bibliographic records, as exported by other library systems.

Three conventions are understood:

- **952, Koha**: $p barcode, $a home branch, $b holding branch, $c shelving location, $o call number, $y item
  type,
  $g purchase price (else $v replacement price). Status flags: $1 lost, $0 withdrawn, $4 damaged, $7 not for
  loan
  (any value other than empty/"0" sets the flag), $q due date (the item is on loan).
- **852, MARC 21 holdings / Evergreen export**: $b sublocation or branch (the last $b when repeated: Evergreen
  writes
  owning library then circulating library), $c shelving location, $h classification + $i item part = call
  number
  (Evergreen puts the whole call number in $j), $p barcode, $y price (Evergreen), $z public status text.
- **949, local item field**: there is no standard. We follow what the real exports we have use
  (Evergreen/Unicorn and
  III item-load tables): $a call number, $i barcode (else $b), $l shelving location, $m library/branch, $t
  item type,
  $p price. A 949 without a barcode or call number is somebody else's local data and is ignored.

Anything that does not look like an item (no barcode, branch or call number) is skipped rather than guessed
at.
"""

from __future__ import annotations

import pymarc

from kitab.marc.summary import Holding

_STATUS_TEXT = {
    "checked out": "on_loan",
    "on loan": "on_loan",
    "lost": "lost",
    "missing": "lost",
    "withdrawn": "withdrawn",
    "discard": "withdrawn",
    "damaged": "damaged",
    "reference": "not_for_loan",
    "not for loan": "not_for_loan",
}


def _flag(value: str | None) -> bool:
    return bool(value and value.strip() and value.strip() != "0")


def _first(subs: dict[str, list[str]], code: str) -> str | None:
    values = subs.get(code)
    if not values:
        return None
    value = values[0].strip()
    return value or None


def _collect(field: pymarc.Field) -> dict[str, list[str]]:
    subs: dict[str, list[str]] = {}
    for code, value in field.subfields:
        subs.setdefault(code, []).append(value)
    return subs


def _is_code(value: str | None) -> bool:
    # branch codes are short and have no spaces ("CPL", "BR1"); prose in $a is a note, not a branch
    return bool(value) and len(value) <= 20 and " " not in value  # type: ignore[arg-type]


def _from_952(field: pymarc.Field) -> Holding | None:
    subs = _collect(field)
    barcode = _first(subs, "p")
    home = _first(subs, "a")
    holding = _first(subs, "b")
    call = _first(subs, "o")
    if not (
        barcode or call or _first(subs, "y") or (_is_code(home) and (holding is None or _is_code(holding)))
    ):
        return None
    if _flag(_first(subs, "1")):
        status = "lost"
    elif _flag(_first(subs, "0")):
        status = "withdrawn"
    elif _first(subs, "q"):
        status = "on_loan"
    elif _flag(_first(subs, "4")):
        status = "damaged"
    elif _flag(_first(subs, "7")):
        status = "not_for_loan"
    else:
        status = "available"
    return Holding(
        barcode=barcode,
        home_branch=home,
        holding_branch=holding or home,
        location=_first(subs, "c"),
        call_number=call,
        item_type=_first(subs, "y"),
        status=status,
        price=_first(subs, "g") or _first(subs, "v"),
        source_tag="952",
    )


def _from_852(field: pymarc.Field) -> Holding | None:
    subs = _collect(field)
    branches = [b.strip() for b in subs.get("b", []) if b.strip()]
    call_parts = [v.strip() for code in ("h", "i") for v in subs.get(code, []) if v.strip()]
    call = " ".join(call_parts) or _first(subs, "j")
    barcode = _first(subs, "p")
    if not (branches or call or barcode):
        return None
    status = "available"
    status_text = (_first(subs, "z") or "").lower()
    for text, value in _STATUS_TEXT.items():
        if text in status_text:
            status = value
            break
    price = _first(subs, "y")
    return Holding(
        barcode=barcode,
        home_branch=branches[0] if branches else None,
        holding_branch=branches[-1] if branches else None,
        location=_first(subs, "c"),
        call_number=call,
        item_type=None,
        status=status,
        price=price if price and price[:1].isdigit() else None,
        source_tag="852",
    )


def _from_949(field: pymarc.Field) -> Holding | None:
    subs = _collect(field)
    barcode = _first(subs, "i") or _first(subs, "b")
    call = _first(subs, "a")
    if not (barcode or call):
        return None
    branch = _first(subs, "m")
    return Holding(
        barcode=barcode,
        home_branch=branch,
        holding_branch=branch,
        location=_first(subs, "l"),
        call_number=call,
        item_type=_first(subs, "t"),
        status="available",
        price=_first(subs, "p"),
        source_tag="949",
    )


_EXTRACTORS = {"952": _from_952, "852": _from_852, "949": _from_949}


def extract_holdings(record: pymarc.Record) -> list[Holding]:
    """Every item found in 952, 852 and 949 fields, in record order."""
    out = []
    for field in record.fields:
        extractor = _EXTRACTORS.get(field.tag)
        if extractor is not None and not field.control_field:
            holding = extractor(field)
            if holding is not None:
                out.append(holding)
    return out
