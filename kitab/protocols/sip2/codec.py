"""SIP2 (3M Standard Interchange Protocol 2.00) messages: bytes <-> `Message`, with no Django and no I/O.

A message is a two-digit command code, fixed-length fields in a set order, then variable-length fields, each a
two-letter code, a value and `|`. Error detection appends `AY<sequence digit>AZ<checksum>`: the checksum is
four hex digits, the 16-bit two's complement of the sum of every byte from the command code up to and
including `AZ`. A message ends with a carriage return.

Parsing is lenient where real terminals differ and strict where a mistake would change a transaction:

* fixed fields are checked for length and form (Y/N flags, dates of 18 characters, digits); a date of 18
  blanks is "no date", which the standard allows for the due date a terminal asks for (the `sip2` client
  from PyPI always sends it);
* unknown variable fields are kept but ignored by the handlers; a field repeated keeps every value;
* the checksum is accepted with fewer than four hex digits (some clients drop leading zeros) and counted over
  the bytes, or, for clients that sum characters, over the decoded characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

FIELD_END = "|"
BLANK_DATE = " " * 18

# Request layouts: command -> fixed fields (name, length, kind). Kinds: "flag" (Y/N), "flagu" (Y/N/U),
# "date" (a SIP date, or blank), "digits", "summary" (Y/N/blank positions), "text" (anything).
REQUESTS: dict[str, tuple[tuple[str, int, str], ...]] = {
    "93": (("uid_algorithm", 1, "text"), ("pwd_algorithm", 1, "text")),
    "99": (("status_code", 1, "digits"), ("max_print_width", 3, "text"), ("protocol_version", 4, "text")),
    "23": (("language", 3, "digits"), ("transaction_date", 18, "date")),
    "63": (("language", 3, "digits"), ("transaction_date", 18, "date"), ("summary", 10, "summary")),
    "17": (("transaction_date", 18, "date"),),
    "11": (
        ("sc_renewal_policy", 1, "flag"),
        ("no_block", 1, "flag"),
        ("transaction_date", 18, "date"),
        ("nb_due_date", 18, "date"),
    ),
    "09": (("no_block", 1, "flag"), ("transaction_date", 18, "date"), ("return_date", 18, "date")),
    "29": (
        ("third_party_allowed", 1, "flag"),
        ("no_block", 1, "flag"),
        ("transaction_date", 18, "date"),
        ("nb_due_date", 18, "date"),
    ),
    "65": (("transaction_date", 18, "date"),),
    "37": (
        ("transaction_date", 18, "date"),
        ("fee_type", 2, "digits"),
        ("payment_type", 2, "digits"),
        ("currency_type", 3, "text"),
    ),
    "15": (("hold_mode", 1, "hold_mode"), ("transaction_date", 18, "date")),
    "35": (("transaction_date", 18, "date"),),
    "97": (),
}

# Response layouts: command -> fixed fields (name, length, default). The defaults make a refusal: not ok.
RESPONSES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "94": (("ok", 1, "0"),),
    "98": (
        ("online_status", 1, "Y"),
        ("checkin_ok", 1, "Y"),
        ("checkout_ok", 1, "Y"),
        ("acs_renewal_policy", 1, "Y"),
        ("status_update_ok", 1, "N"),
        ("offline_ok", 1, "N"),
        ("timeout_period", 3, "100"),
        ("retries_allowed", 3, "003"),
        ("date_time_sync", 18, BLANK_DATE),
        ("protocol_version", 4, "2.00"),
    ),
    "24": (("patron_status", 14, " " * 14), ("language", 3, "000"), ("transaction_date", 18, BLANK_DATE)),
    "64": (
        ("patron_status", 14, " " * 14),
        ("language", 3, "000"),
        ("transaction_date", 18, BLANK_DATE),
        ("hold_items_count", 4, "0000"),
        ("overdue_items_count", 4, "0000"),
        ("charged_items_count", 4, "0000"),
        ("fine_items_count", 4, "0000"),
        ("recall_items_count", 4, "0000"),
        ("unavailable_holds_count", 4, "0000"),
    ),
    "18": (
        ("circulation_status", 2, "01"),
        ("security_marker", 2, "01"),
        ("fee_type", 2, "01"),
        ("transaction_date", 18, BLANK_DATE),
    ),
    "12": (
        ("ok", 1, "0"),
        ("renewal_ok", 1, "N"),
        ("magnetic_media", 1, "U"),
        ("desensitize", 1, "N"),
        ("transaction_date", 18, BLANK_DATE),
    ),
    "10": (
        ("ok", 1, "0"),
        ("resensitize", 1, "Y"),
        ("magnetic_media", 1, "U"),
        ("alert", 1, "Y"),
        ("transaction_date", 18, BLANK_DATE),
    ),
    "30": (
        ("ok", 1, "0"),
        ("renewal_ok", 1, "N"),
        ("magnetic_media", 1, "U"),
        ("desensitize", 1, "U"),
        ("transaction_date", 18, BLANK_DATE),
    ),
    "66": (
        ("ok", 1, "0"),
        ("renewed_count", 4, "0000"),
        ("unrenewed_count", 4, "0000"),
        ("transaction_date", 18, BLANK_DATE),
    ),
    "38": (("payment_accepted", 1, "N"), ("transaction_date", 18, BLANK_DATE)),
    "16": (("ok", 1, "0"), ("available", 1, "N"), ("transaction_date", 18, BLANK_DATE)),
    "36": (("end_session", 1, "N"), ("transaction_date", 18, BLANK_DATE)),
    "96": (),
}

RESPONSE_TO: dict[str, str] = {
    "93": "94",
    "99": "98",
    "23": "24",
    "63": "64",
    "17": "18",
    "11": "12",
    "09": "10",
    "29": "30",
    "65": "66",
    "37": "38",
    "15": "16",
    "35": "36",
}

_DATE = re.compile(r"\d{8}.{4}\d{6}")
_CHECKSUM = re.compile(rb"AZ([0-9A-Fa-f]{1,4})$")
_SEQUENCE = re.compile(r"AY(\d)\|?$")  # a few terminals end the sequence number with a field terminator


class SIP2Error(Exception):
    """A message that cannot be used. `command` is its command code when that much was readable."""

    def __init__(self, reason: str, *, command: str | None = None, kind: str = "malformed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.command = command
        self.kind = kind  # "malformed", "checksum", "encoding", "unknown"


@dataclass(frozen=True, slots=True)
class Message:
    """One SIP2 message. `fields` keeps the variable fields in order, without AY and AZ."""

    command: str
    fixed: dict[str, str]
    fields: tuple[tuple[str, str], ...] = ()
    sequence: str | None = None  # the AY digit, when the message had one
    checksummed: bool = False  # whether the message carried AZ

    def get(self, code: str, default: str = "") -> str:
        """The first value of variable field `code`."""
        return next((value for tag, value in self.fields if tag == code), default)

    def getall(self, code: str) -> list[str]:
        return [value for tag, value in self.fields if tag == code]

    def has(self, code: str) -> bool:
        return any(tag == code for tag, _v in self.fields)


def checksum(data: bytes) -> str:
    """The AZ value for `data` (everything from the command code up to and including "AZ")."""
    return f"{-sum(data) & 0xFFFF:04X}"


def _checksum_ok(head: bytes, value: str, encoding: str) -> bool:
    expected = int(value, 16)
    if -sum(head) & 0xFFFF == expected:
        return True
    try:  # clients that add up characters (code points) rather than bytes
        text = head.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return -sum(ord(ch) for ch in text) & 0xFFFF == expected


def _check_fixed(command: str, name: str, kind: str, value: str) -> None:
    bad = {
        "flag": value not in ("Y", "N"),
        "digits": not value.isdigit() or not value.isascii(),
        "summary": any(ch not in "YN " for ch in value),
        "date": value != BLANK_DATE and _DATE.fullmatch(value) is None,
        "hold_mode": value not in ("+", "-", "*"),
    }.get(kind, False)
    if bad:
        raise SIP2Error(f"fixed field {name} has an invalid value {value!r}", command=command)


def _layout(command: str, responses: bool) -> tuple[tuple[str, int, str], ...] | None:
    if responses:
        found = RESPONSES.get(command)
        return None if found is None else tuple((name, length, "text") for name, length, _d in found)
    return REQUESTS.get(command)


def decode(data: bytes, encoding: str = "utf-8", *, responses: bool = False) -> Message:
    """Parse one request (or, with `responses=True`, one response: what a client reads), without its CR
    terminator. Raises SIP2Error."""
    data = data.strip(b"\r\n")
    command = data[:2].decode("ascii", "replace")
    if len(data) < 2 or not command.isdigit():
        raise SIP2Error("not a SIP2 message", kind="unknown")
    layout = _layout(command, responses)
    if layout is None:
        raise SIP2Error(f"unsupported message {command}", command=command, kind="unknown")
    body, checksummed = data, False
    found = _CHECKSUM.search(data)
    if found is not None:
        head = data[: found.start() + 2]
        if not _checksum_ok(head, found.group(1).decode("ascii"), encoding):
            raise SIP2Error("checksum error", command=command, kind="checksum")
        body, checksummed = data[: found.start()], True
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SIP2Error(
            f"not valid {encoding} text at byte {exc.start}", command=command, kind="encoding"
        ) from None
    except LookupError:
        raise SIP2Error(f"unknown character set {encoding}", command=command, kind="encoding") from None
    sequence = None
    seq = _SEQUENCE.search(text)
    if seq is not None and (
        seq.start() == 0
        or text[seq.start() - 1] == FIELD_END
        or seq.start() == 2 + sum(n for _f, n, _k in layout)
    ):
        sequence, text = seq.group(1), text[: seq.start()]
    position, fixed = 2, {}
    for index, (name, length, kind) in enumerate(layout):
        value = text[position : position + length]
        if kind == "date" and index == len(layout) - 1 and text.startswith("AO", position) and not responses:
            # The `sip2` client from PyPI leaves out the transaction date of Renew All: when the last fixed
            # field is a date and the institution id (AO, always the first variable field) stands in its
            # place, the date is taken as absent.
            fixed[name] = BLANK_DATE
            continue
        if len(value) < length:
            raise SIP2Error(f"message truncated in fixed field {name}", command=command)
        _check_fixed(command, name, kind, value)
        fixed[name] = value
        position += length
    fields: list[tuple[str, str]] = []
    for chunk in text[position:].split(FIELD_END):
        if len(chunk) >= 2:
            fields.append((chunk[:2], chunk[2:]))
        elif chunk:
            raise SIP2Error(f"variable field {chunk!r} has no two-letter code", command=command)
    if any(tag in ("AY", "AZ") for tag, _v in fields):
        raise SIP2Error(
            "the sequence number must be one digit, followed only by the checksum", command=command
        )
    return Message(command, fixed, tuple(fields), sequence, checksummed)


def encode(message: Message, encoding: str = "utf-8") -> bytes:
    """The bytes of a message, with AY/AZ when `message.sequence` / `message.checksummed` ask for them,
    and the CR terminator. Fixed fields missing from `message.fixed` take the layout's default. Characters
    the charset cannot hold become "?" (a cp850 terminal gets "?" for ə)."""
    layout = (
        RESPONSES[message.command]
        if message.command in RESPONSES
        else tuple((n, ln, " " * ln) for n, ln, _k in REQUESTS[message.command])
    )
    parts = [message.command]
    for name, length, default in layout:
        value = message.fixed.get(name, default)
        if len(value) != length:
            raise ValueError(f"{message.command} field {name} must be {length} characters: {value!r}")
        parts.append(value)
    for tag, value in message.fields:
        clean = value.replace(FIELD_END, "/").replace("\r", " ").replace("\n", " ")
        parts.append(f"{tag}{clean}{FIELD_END}")
    if message.sequence is not None:
        parts.append(f"AY{message.sequence}")
    data = "".join(parts).encode(encoding, "replace")
    if message.checksummed:
        data += b"AZ"
        data += checksum(data).encode("ascii")
    return data + b"\r"


def resend_request(checksummed: bool = True) -> bytes:
    """96, "please send your last message again" (the answer to a corrupted message)."""
    return encode(Message("96", {}, checksummed=checksummed))


def format_date(at: datetime | None, tz: tzinfo | None = None) -> str:
    """A SIP date, YYYYMMDDZZZZHHMMSS, in local time (`tz`) with a blank zone; 18 blanks for None."""
    if at is None:
        return BLANK_DATE
    if tz is not None:
        at = at.astimezone(tz)
    return at.strftime("%Y%m%d    %H%M%S")


def parse_date(value: str, tz: tzinfo) -> datetime | None:
    """A SIP date as an aware datetime: a zone ending in "Z" is UTC, anything else local (`tz`).
    None for 18 blanks; raises ValueError for anything that is not a date."""
    if value == BLANK_DATE or not value.strip():
        return None
    if _DATE.fullmatch(value) is None:
        raise ValueError(f"not a SIP date: {value!r}")
    naive = datetime.strptime(value[:8] + value[12:], "%Y%m%d%H%M%S")
    if value[8:12].rstrip().endswith("Z"):
        return naive.replace(tzinfo=UTC)
    return naive.replace(tzinfo=tz)
