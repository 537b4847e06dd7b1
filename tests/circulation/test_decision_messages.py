"""Refusal messages come out in the language the desk asks for; the code stays the same."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from kitab.circulation import policy, services
from kitab.circulation.errors import CirculationError


@pytest.mark.parametrize(("language", "word"), [("en", "expired"), ("az", "bitib"), ("tr", "sona"),
                                                 ("ru", "истёк")])
def test_message_in_the_librarians_language(patron, item, desk, t0, language, word) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    with translation.override(language):
        decision = policy.can_checkout(patron, item, at=t0)
        with pytest.raises(CirculationError) as excinfo:
            services.checkout(item, patron, actor=desk, at=t0)
    assert decision.code == excinfo.value.code == "card_expired"
    assert word in decision.message
    assert word in excinfo.value.message
