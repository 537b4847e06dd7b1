from __future__ import annotations

from datetime import date

import pytest

from kitab.patrons import services
from kitab.patrons.errors import PatronError
from tests.patrons.factories import PatronFactory


def test_register_sets_expiry_from_category_period(main, adult, desk, t0) -> None:
    patron = services.register_patron(card_number="C-0001", first_name="Əli", last_name="Məmmədov", category=adult,
                                      home_branch=main, actor=desk, at=t0, language="az", email="ali@example.org")
    assert patron.pk
    assert patron.expires_on == date(2026, 3, 3)
    assert patron.language == "az"
    assert patron.name_folded == " eli memmedov "


@pytest.mark.parametrize("card", ["abc", "has space", "x" * 33, "ünï", ""])
def test_card_number_format_is_validated(main, adult, desk, t0, card) -> None:
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number=card, last_name="X", category=adult, home_branch=main, actor=desk, at=t0)
    assert excinfo.value.code == "invalid_card_number"


def test_card_number_pattern_is_a_setting(main, adult, desk, t0, settings) -> None:
    settings.KITAB_CARD_NUMBER_PATTERN = r"^\d{14}$"
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number="C-0001", last_name="X", category=adult, home_branch=main, actor=desk,
                                 at=t0)
    assert excinfo.value.code == "invalid_card_number"
    patron = services.register_patron(card_number="29000123456789", last_name="X", category=adult, home_branch=main,
                                      actor=desk, at=t0)
    assert patron.card_number == "29000123456789"


def test_card_number_is_unique(main, adult, desk, t0) -> None:
    PatronFactory(card_number="C-0001", category=adult, home_branch=main)
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number="C-0001", last_name="X", category=adult, home_branch=main, actor=desk,
                                 at=t0)
    assert excinfo.value.code == "card_number_taken"


def test_category_requiring_a_guarantor(main, adult, child, desk, t0) -> None:
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number="K-0001", last_name="Kid", category=child, home_branch=main, actor=desk,
                                 at=t0)
    assert excinfo.value.code == "guarantor_required"
    parent = PatronFactory(category=adult, home_branch=main)
    kid = services.register_patron(card_number="K-0001", last_name="Kid", category=child, home_branch=main,
                                   actor=desk, at=t0, guarantor=parent)
    assert kid.guarantor == parent
    assert kid.expires_on == date(2025, 8, 30)


def test_unknown_language_and_missing_last_name(main, adult, desk, t0) -> None:
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number="C-0002", last_name="X", category=adult, home_branch=main, actor=desk,
                                 at=t0, language="xx")
    assert excinfo.value.code == "invalid_language"
    with pytest.raises(PatronError) as excinfo:
        services.register_patron(card_number="C-0002", last_name="  ", category=adult, home_branch=main, actor=desk,
                                 at=t0)
    assert excinfo.value.code == "missing_field"
