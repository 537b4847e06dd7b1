"""SIP2 writes: terminal accounts (the `kitab sip2 add-terminal` command) and the replay of resent writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kitab.items.models import Branch

from .errors import SIP2AccountError
from .models import SipReplay, SipTerminal, validate_charset


@transaction.atomic
def add_terminal(
    login: str, *, password: str, branch_code: str, charset: str = "", enabled: bool = True
) -> SipTerminal:
    """Create the terminal account `login` at branch `branch_code`, or replace its password, branch and
    character set. Raises SIP2AccountError: missing_password, unknown_branch, invalid_charset."""
    if not password:
        raise SIP2AccountError("missing_password", _("A terminal needs a password."))
    branch = Branch.objects.filter(code=branch_code).first()
    if branch is None:
        raise SIP2AccountError("unknown_branch", _("Unknown branch: %(code)s.") % {"code": branch_code})
    try:
        validate_charset(charset)
    except ValidationError:
        raise SIP2AccountError(
            "invalid_charset", _("Unknown character set: %(value)s") % {"value": charset}
        ) from None
    terminal, _created = SipTerminal.objects.update_or_create(
        login=login,
        defaults={
            "password": make_password(password),
            "branch": branch,
            "charset": charset,
            "enabled": enabled,
        },
    )
    return terminal


#: How long a write's response is kept for a resend; terminals retry within seconds or minutes.
REPLAY_KEPT = timedelta(days=2)


@transaction.atomic
def once(terminal: SipTerminal, key: str, *, command: str, at: datetime, answer: Callable[[], bytes]) -> bytes:
    """`answer()` the first time `terminal` sends the request identified by `key`; the same response again
    every later time, without calling it. The key row is written before `answer()` runs, in the same
    transaction: a concurrent resend waits for the first to commit and then gets its response (on
    PostgreSQL through the unique key; SQLite lets one writer in at a time). If `answer()` raises, nothing is
    kept and a resend is answered afresh."""
    replay, created = SipReplay.objects.get_or_create(
        key=key, defaults={"terminal": terminal, "command": command, "created_at": at})
    if not created:
        return bytes(replay.response)
    response = answer()
    replay.response = response
    replay.save(update_fields=["response"])
    # Forget old responses of this terminal as new ones come (an indexed delete, usually of nothing).
    SipReplay.objects.filter(terminal=terminal, created_at__lt=at - REPLAY_KEPT).delete()
    return response
