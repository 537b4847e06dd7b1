"""Bib-1 diagnostics (diagnostic set 1.2.840.10003.4.1): the conditions Kitab's Z39.50 server uses. Pure."""

from __future__ import annotations

BIB1_DIAGNOSTICS = "1.2.840.10003.4.1"

MESSAGES: dict[int, str] = {
    1: "Permanent system error",
    2: "Temporary system error",
    3: "Unsupported search",
    5: "Too many argument words",
    6: "Too many boolean operators",
    9: "Truncated words too short",
    11: "Too many characters in search statement",
    13: "Present request out-of-range",
    14: "System error in presenting records",
    17: "Record exceeds Exceptional_record_size",
    18: "Result set not supported as a search term",
    21: "Result set exists and replace indicator off",
    25: "Specified element set name not valid for specified database",
    26: "Only generic form of element set name supported",
    30: "Specified result set does not exist",
    107: "Query type not supported",
    108: "Malformed query",
    110: "Operator unsupported",
    111: "Too many databases specified",
    112: "Too many result sets created",
    113: "Unsupported attribute type",
    114: "Unsupported Use attribute",
    116: "Use attribute required but not supplied",
    117: "Unsupported Relation attribute",
    118: "Unsupported Structure attribute",
    119: "Unsupported Position attribute",
    120: "Unsupported Truncation attribute",
    121: "Unsupported Attribute Set",
    122: "Unsupported Completeness attribute",
    123: "Unsupported attribute combination",
    125: "Malformed search term",
    126: "Illegal term value for attribute",
    128: "Illegal result set name",
    205: "Only zero step size supported for Scan",
    229: "Term type not supported",
    235: "Database does not exist",
    239: "Record syntax not supported",
    243: "Present: additional-ranges parameter not supported",
    244: "Present: comp-spec parameter not supported",
    245: "Type-1 query: restriction ('resultAttr') operand not supported",
    246: "Type-1 query: 'complex' attributeValue not supported",
}


class Bib1Diagnostic(Exception):
    """A Bib-1 condition that ends the operation; `addinfo` names what was wrong (an attribute value, ...)."""

    def __init__(self, condition: int, addinfo: str = "") -> None:
        super().__init__(f"{condition} {MESSAGES.get(condition, '')}: {addinfo}")
        self.condition = condition
        self.addinfo = addinfo
