"""Standard numbers as catalogued in MARC (020, 022, 010), reduced to one comparable form.

ISBNs become ISBN-13 without hyphens (so a 10-digit and a 13-digit ISBN of the same book match), ISSNs become
NNNN-NNNX, LCCNs follow the Library of Congress normalisation rules
(https://www.loc.gov/marc/lccn-namespace.html).
Invalid check digits give None: a wrong ISBN must not link two different books.
"""

from __future__ import annotations

import re

# A run of digits with optional hyphens/spaces inside, ending in a digit or X: "0-19-852663-6", "978 0 19
# 852663 6".
_ISBN_CANDIDATE = re.compile(r"(?<![0-9])[0-9](?:[0-9\- ]{8,20})[0-9Xx](?![0-9])|(?<![0-9])[0-9]{9}[Xx]")
_ISSN = re.compile(r"(?<![0-9])([0-9]{4})[\- ]?([0-9]{3}[0-9Xx])(?![0-9])")
_SEPARATORS = str.maketrans("", "", "- ")


def _isbn10_check(first9: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _isbn13_check(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def _from_digits(digits: str) -> str | None:
    digits = digits.upper()
    if len(digits) == 10 and digits[:9].isdigit():
        if _isbn10_check(digits[:9]) != digits[9]:
            return None
        body = "978" + digits[:9]
        return body + _isbn13_check(body)
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        return digits if _isbn13_check(digits[:12]) == digits[12] else None
    return None


def normalize_isbn(text: str | None) -> str | None:
    """The ISBN-13 (digits only) found at the start of `text`, or None when there is no valid ISBN.

    Accepts any hyphenation or spacing and trailing qualifiers: "0-471-38314-7 (pbk. : alk. paper)".
    """
    if not text:
        return None
    for match in _ISBN_CANDIDATE.finditer(text):
        result = _from_digits(match.group(0).translate(_SEPARATORS))
        if result is not None:
            return result
    return None


def isbn_variants(isbn13: str) -> list[str]:
    """Both forms a user might type: the ISBN-13 and, for 978- ISBNs, the ISBN-10."""
    norm = normalize_isbn(isbn13)
    if norm is None:
        return []
    out = [norm]
    if norm.startswith("978"):
        out.append(norm[3:12] + _isbn10_check(norm[3:12]))
    return out


def normalize_issn(text: str | None) -> str | None:
    """ISSN as NNNN-NNNX, or None when there is no ISSN with a valid check digit in `text`."""
    if not text:
        return None
    for match in _ISSN.finditer(text):
        digits = (match.group(1) + match.group(2)).upper()
        total = sum((8 - i) * int(d) for i, d in enumerate(digits[:7]))
        check = (11 - total % 11) % 11
        if ("X" if check == 10 else str(check)) == digits[7]:
            return f"{digits[:4]}-{digits[4:]}"
    return None


def normalize_lccn(text: str | None) -> str | None:
    """LCCN normalised by LC's rules: no blanks, nothing from the first '/', serial after a '-' padded to 6
    digits.

    "   00020737 " -> "00020737", "n 78-890351 " -> "n78890351", "85-2 " -> "85000002", "75-425165//r75" ->
    "75425165".
    """
    if not text:
        return None
    value = "".join(text.split())
    value = value.split("/", 1)[0]
    if "-" in value:
        prefix, _, serial = value.partition("-")
        if serial.isdigit() and len(serial) < 6:
            serial = serial.zfill(6)
        value = prefix + serial
    if not value or not any(c.isdigit() for c in value):
        return None
    return value
