"""Writes for SIP2 terminal accounts (the `kitab sip2 add-terminal` command)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kitab.items.models import Branch

from .errors import SIP2AccountError
from .models import SipTerminal, validate_charset


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
