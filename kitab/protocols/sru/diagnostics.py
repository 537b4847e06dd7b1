"""SRU diagnostics (info:srw/diagnostic/1/N): the codes Kitab uses and their standard messages. Pure."""

from __future__ import annotations

DIAGNOSTIC_PREFIX = "info:srw/diagnostic/1/"

MESSAGES: dict[int, str] = {
    1: "General system error",
    4: "Unsupported operation",
    5: "Unsupported version",
    6: "Unsupported parameter value",
    7: "Mandatory parameter not supplied",
    8: "Unsupported parameter",
    10: "Query syntax error",
    15: "Unsupported context set",
    16: "Unsupported index",
    19: "Unsupported relation",
    20: "Unsupported relation modifier",
    27: "Empty term unsupported",
    28: "Masking character not supported",
    29: "Masked words too short",
    31: "Anchoring character not supported",
    33: "Combination of proximity/adjacency and masking characters not supported",
    36: "Term in invalid format for index or relation",
    37: "Unsupported boolean operator",
    38: "Too many boolean operators in query",
    39: "Proximity not supported",
    46: "Unsupported boolean modifier",
    48: "Query feature unsupported",
    61: "First record position out of range",
    64: "Record temporarily unavailable",
    66: "Unknown schema for retrieval",
    71: "Unsupported record packing",
    72: "XPath retrieval unsupported",
    80: "Sort not supported",
    84: "Too many sort keys to sort",
    90: "Unsupported direction",
    110: "Stylesheets not supported",
    120: "Response position out of range",
}


class SRUDiagnostic(Exception):
    """A fatal SRU diagnostic: the request cannot be answered; `details` says what was wrong."""

    def __init__(self, code: int, details: str | None = None) -> None:
        super().__init__(f"{code} {MESSAGES.get(code, '')}: {details or ''}")
        self.code = code
        self.details = details

    @property
    def uri(self) -> str:
        return f"{DIAGNOSTIC_PREFIX}{self.code}"

    @property
    def message(self) -> str:
        return MESSAGES.get(self.code, "Unknown diagnostic")
