"""Hebrew: what `fold` and `exact` do beyond removing points.

* Niqqud (vowel points) and cantillation are dropped by `fold` (marks.HEBREW_POINTS): unpointed spelling is
  what books and readers use. `exact` keeps them (Tantivy keeps them inside the token).
* Geresh ׳ and gershayim ״ are deleted by both, keeping abbreviations whole ("צה״ל" -> "צהל"). Readers
  type them as ASCII ' and ", so an ASCII quote *between two Hebrew letters* is deleted as well.
* Final letter forms (ך ם ן ף ץ) are left alone: they are positional, and everybody types them correctly.
"""

from __future__ import annotations

import re

_QUOTE_IN_WORD_RE = re.compile("(?<=[\u05d0-\u05ea])[\"'\u05f3\u05f4](?=[\u05d0-\u05ea])")


def join_quoted_abbreviations(text: str) -> str:
    """Delete quote marks standing between two Hebrew letters (abbreviations typed with ASCII quotes)."""
    return _QUOTE_IN_WORD_RE.sub("", text)
