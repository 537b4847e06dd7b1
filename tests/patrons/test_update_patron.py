from __future__ import annotations

import pytest

from kitab.patrons import services
from kitab.patrons.errors import PatronError
from tests.patrons.factories import PatronFactory


def test_update_changes_fields_and_refolds_the_name(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main, last_name="Ivanov")
    services.update_patron(patron, actor=desk, at=t0, last_name="Петров", phone="+994 50 123-45-67")
    patron.refresh_from_db()
    assert patron.last_name == "Петров"
    assert "petrov" in patron.name_folded
    assert patron.phone_digits == "994501234567"
    assert patron.updated_at == t0


def test_update_refuses_unknown_fields(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main)
    with pytest.raises(PatronError) as excinfo:
        services.update_patron(patron, actor=desk, at=t0, is_anonymised=True)
    assert excinfo.value.code == "unknown_field"


def test_update_checks_the_new_card_number(main, adult, desk, t0) -> None:
    PatronFactory(card_number="TAKEN-1", category=adult, home_branch=main)
    patron = PatronFactory(category=adult, home_branch=main)
    with pytest.raises(PatronError) as excinfo:
        services.update_patron(patron, actor=desk, at=t0, card_number="TAKEN-1")
    assert excinfo.value.code == "card_number_taken"
    services.update_patron(patron, actor=desk, at=t0, card_number=patron.card_number)  # its own number is fine


def test_moving_to_a_category_that_needs_a_guarantor(main, adult, child, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main)
    with pytest.raises(PatronError) as excinfo:
        services.update_patron(patron, actor=desk, at=t0, category=child)
    assert excinfo.value.code == "guarantor_required"
    with pytest.raises(PatronError) as excinfo:
        services.update_patron(patron, actor=desk, at=t0, category=child, guarantor=patron)
    assert excinfo.value.code == "invalid_guarantor"
