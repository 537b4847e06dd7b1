"""Terminal password checks that do not hash the password again on every login.

A terminal account's password is stored as a Django password hash (PBKDF2, deliberately slow: about 0.3 s of
CPU here, much more on a loaded machine). Self-check machines log in on every connection, and after a network
blip or a server restart all of them reconnect at once: fifty slow hashes in a row held the server's CPU for
tens of seconds, and terminals timed out before they could log in.

So once a password has been verified the slow way, this process remembers a keyed BLAKE2 digest of it (the key
is random per process, so the cache is useless outside it), tied to the account's current password hash: a
changed password misses the cache. A wrong password always takes the slow path, one at a time per account, so
guessing gets no faster; concurrent first logins of one account wait for the first check instead of all hashing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

from .models import SipTerminal

_KEY = secrets.token_bytes(32)
_verified: dict[tuple[int, str], bytes] = {}
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


def _digest(raw: str) -> bytes:
    return hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), key=_KEY, digest_size=32).digest()


def _lock_for(terminal_pk: int) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(terminal_pk, threading.Lock())


def _remembered(key: tuple[int, str], raw: str) -> bool:
    known = _verified.get(key)
    return known is not None and hmac.compare_digest(known, _digest(raw))


def verify(terminal: SipTerminal, raw: str) -> bool:
    """Whether `raw` is the password of `terminal` (as SipTerminal.check_password, but fast when repeated)."""
    key = (terminal.pk, terminal.password)
    if _remembered(key, raw):
        return True
    with _lock_for(terminal.pk):
        if _remembered(key, raw):  # another connection verified it while we waited
            return True
        if not terminal.check_password(raw):
            return False
        _verified[key] = _digest(raw)
        return True


def forget() -> None:
    """Drop every remembered password (tests)."""
    _verified.clear()
