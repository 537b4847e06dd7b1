"""Decimal digits of every script folded to ASCII 0-9 (fold only).

Persian records write years and numbers with Extended Arabic-Indic digits (۱۳۷۸), Arabic ones with
Arabic-Indic digits (١٣٧٨), readers usually type ASCII. NFKD does not map them, so a table is built from the
Unicode database: every character of category Nd with a decimal value. `exact` keeps the record's digits.
"""

from __future__ import annotations

import unicodedata


def _digit_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            table[ch] = str(unicodedata.decimal(ch))
    return table


DIGITS: dict[str, str] = _digit_table()
