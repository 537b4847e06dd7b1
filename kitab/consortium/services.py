"""Consortium writes: registering member libraries. Harvesting their catalogues is in `harvesting.py`."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.search.types import LOCAL_LIBRARY

from .errors import ConsortiumError
from .models import CODE_PATTERN, MemberLibrary


@transaction.atomic
def add_member(
    code: str, name: str, base_url: str, *, actor: Actor, set_spec: str = "", metadata_prefix: str = "marc21"
) -> MemberLibrary:
    """Register a member library to harvest from `base_url` (its OAI-PMH endpoint).

    Raises ConsortiumError("bad_code" | "duplicate_code" | "bad_url" | "bad_name").
    """
    code = code.strip()
    if not re.match(CODE_PATTERN, code) or code.lower() == LOCAL_LIBRARY:
        raise ConsortiumError(
            "bad_code",
            _("%(code)r cannot be a library code: use up to 32 letters, digits, '-', '_' or '.' (not “%(local)s”).")
            % {"code": code, "local": LOCAL_LIBRARY},
        )
    if not name.strip():
        raise ConsortiumError("bad_name", _("A member library needs a name."))
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ConsortiumError(
            "bad_url", _("%(url)r is not an OAI-PMH base URL (http or https, without a query).") % {"url": base_url}
        )
    if MemberLibrary.objects.filter(code__iexact=code).exists():
        raise ConsortiumError("duplicate_code", _("A member library with code %(code)s exists already.") % {"code": code})
    try:
        return MemberLibrary.objects.create(
            code=code,
            name=name.strip(),
            base_url=base_url.strip(),
            set_spec=set_spec.strip(),
            metadata_prefix=metadata_prefix.strip() or "marc21",
        )
    except IntegrityError as exc:  # a concurrent add of the same code
        raise ConsortiumError(
            "duplicate_code", _("A member library with code %(code)s exists already.") % {"code": code}
        ) from exc
