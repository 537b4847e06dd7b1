from __future__ import annotations

import pytest

from kitab.patrons.selectors import search_patrons
from tests.patrons.factories import BranchFactory, PatronCategoryFactory, PatronFactory


@pytest.fixture
def people(main, adult):  # type: ignore[no-untyped-def]
    return {
        "az": PatronFactory(card_number="AZ-0001", first_name="Əli", last_name="Məmmədov", category=adult,
                            home_branch=main, email="ali@example.org", phone="+994 50 123 45 67"),
        "en": PatronFactory(card_number="EN-0001", first_name="Ali", last_name="Mammadov", category=adult,
                            home_branch=main),
        "ru": PatronFactory(card_number="RU-0001", first_name="Али", last_name="Мамедов", category=adult,
                            home_branch=main),
        "tr": PatronFactory(card_number="TR-0001", first_name="Ayşe", last_name="Yılmaz", category=adult,
                            home_branch=main),
    }


def found(query, **kwargs):  # type: ignore[no-untyped-def]
    return {p.card_number for p in search_patrons(query, **kwargs)}


@pytest.mark.parametrize("query", ["Məmmədov", "Mammadov", "Мамедов", "mamed", "MƏMMƏD", "Ali Mammadov"])
def test_names_match_across_scripts_and_spellings(people, query) -> None:
    assert found(query) == {"AZ-0001", "EN-0001", "RU-0001"}


def test_name_words_match_as_prefixes_in_any_order(people) -> None:
    assert found("yilm ays") == {"TR-0001"}
    assert found("Yılmaz Ali") == set()


def test_card_number_email_and_phone(people) -> None:
    assert found("tr-0001") == {"TR-0001"}
    assert found("ALI@example.org") == {"AZ-0001"}
    assert found("050 123 45 67") == set()  # the stored number has the country code, not the trunk 0
    assert found("50 123 45 67") == {"AZ-0001"}
    assert found("4567") == {"AZ-0001"}


def test_filters_by_category_and_branch(people, main) -> None:
    student = PatronCategoryFactory(code="STUDENT", name="Student")
    east = BranchFactory(code="EAST")
    PatronFactory(card_number="ST-0001", last_name="Mamedov", category=student, home_branch=east)
    assert found("mamedov", category=student) == {"ST-0001"}
    assert found("mamedov", branch=main) == {"AZ-0001", "EN-0001", "RU-0001"}
    assert found("") == set()
