"""Barcode arithmetic without the database: check digits, pattern formatting and barcode ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The characters a barcode may hold: what Code 39 and Code 128 both print and a scanner types back unchanged.
BARCODE_RE = re.compile(r"^[A-Za-z0-9\-.$/+% ]{1,64}$")
_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


class RangeError(ValueError):
    """A barcode range that cannot be expanded; `code` is the stable error code the services raise."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def mod10(digits: str) -> str:
    """Luhn check digit of a string of digits (non-digits are ignored)."""
    total = 0
    for position, char in enumerate(reversed([c for c in digits if c.isdigit()])):
        value = int(char)
        if position % 2 == 0:  # the rightmost digit of the payload is doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def mod11(digits: str) -> str:
    """Modulus 11 check digit with weights 2, 3, 4, ... from the right; "X" stands for ten."""
    total = sum(int(char) * (position + 2)
                for position, char in enumerate(reversed([c for c in digits if c.isdigit()])))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


CHECK_DIGITS = {"mod10": mod10, "mod11": mod11}


@dataclass(frozen=True, slots=True)
class PatternSpec:
    prefix: str = ""
    include_branch: bool = False
    width: int = 6
    check_digit: str = "none"

    def format(self, number: int, *, branch_code: str = "") -> str:
        """The barcode for sequence `number` (the check digit covers the sequence number only)."""
        sequence = str(number).zfill(self.width)
        check = CHECK_DIGITS[self.check_digit](sequence) if self.check_digit in CHECK_DIGITS else ""
        branch = branch_code.upper() if self.include_branch else ""
        return f"{self.prefix}{branch}{sequence}{check}"


def expand_range(first: str, last: str, *, limit: int) -> list[str]:
    """Every barcode from `first` to `last`: same prefix, numbers counted up with the width of `first`.

    "A0001".."A0100" gives A0001, A0002, ... A0100. Raises RangeError (codes range_invalid, range_reversed,
    range_too_long) for ends that are not prefix + number, differ in prefix, run backwards or hold more than
    `limit` barcodes.
    """
    first, last = first.strip(), last.strip()
    start, end = _TRAILING_DIGITS.match(first), _TRAILING_DIGITS.match(last)
    if not start or not end or start.group(1) != end.group(1):
        raise RangeError("range_invalid")
    prefix, width = start.group(1), len(start.group(2))
    low, high = int(start.group(2)), int(end.group(2))
    if high < low:
        raise RangeError("range_reversed")
    if high - low + 1 > limit:
        raise RangeError("range_too_long")
    return [f"{prefix}{str(n).zfill(width)}" for n in range(low, high + 1)]


def parse_range(text: str, *, limit: int) -> list[str]:
    """`A0001-A0100` (or `A0001..A0100`, or one barcode) as a list of barcodes; see expand_range.

    Barcodes may contain "-" themselves ("KT-0001-KT-0100"): the split chosen is one that leaves a barcode
    ending in digits on both sides with the same prefix.
    """
    text = text.strip()
    looked_like_range = False
    for separator in ("..", "-", ":"):
        for match in re.finditer(re.escape(separator), text):
            left, right = text[: match.start()].strip(), text[match.end():].strip()
            start, end = _TRAILING_DIGITS.match(left), _TRAILING_DIGITS.match(right)
            if not (start and end):
                continue
            if start.group(1) == end.group(1):
                return expand_range(left, right, limit=limit)
            # "A0001-B0003" is a range with mismatched prefixes, unless the whole text is a plain barcode
            looked_like_range = looked_like_range or not right[:1].isdigit()
    if looked_like_range or not _TRAILING_DIGITS.match(text):
        raise RangeError("range_invalid")
    return [text]
