"""Splitting a call number over the lines of a spine label (pure; no Django)."""

from __future__ import annotations

import re

# An LC cutter inside a token ("QA76.73.P98" -> "QA76.73", ".P98"): a full stop followed by a letter.
_CUTTER = re.compile(r"(?<=\w)(?=\.[A-Za-z])")


def spine_lines(call_number: str, *, max_lines: int = 6) -> list[str]:
    """One line per part: whitespace separates parts, and an LC cutter (".P98") starts a new one.

    "PL 314 .K5 2004" -> ["PL", "314", ".K5", "2004"]; "QA76.73.P98 L84" -> ["QA76.73", ".P98", "L84"];
    "891.7 Tol" -> ["891.7", "Tol"]. Parts beyond `max_lines` are joined onto the last line.
    """
    parts: list[str] = []
    for token in call_number.split():
        parts.extend(piece for piece in _CUTTER.split(token) if piece)
    if len(parts) > max_lines > 0:
        parts = [*parts[: max_lines - 1], " ".join(parts[max_lines - 1 :])]
    return parts
