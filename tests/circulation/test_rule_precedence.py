"""policy.rule_for: the most specific rule wins, branch before category before item type."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from kitab.circulation import policy
from kitab.circulation.errors import ConfigurationError
from kitab.circulation.models import CirculationRule
from tests.circulation.factories import ItemTypeFactory, RuleFactory
from tests.patrons.factories import BranchFactory, PatronCategoryFactory


def test_specificity_weights_are_branch_category_item_type() -> None:
    # Pure: unsaved instances, ids only.
    assert CirculationRule(branch_id=1).specificity > CirculationRule(patron_category_id=1, item_type_id=1).specificity
    assert CirculationRule(patron_category_id=1).specificity > CirculationRule(item_type_id=1).specificity
    assert CirculationRule().specificity == 0


@pytest.fixture
def scene(rule):  # type: ignore[no-untyped-def]
    central, east = BranchFactory(code="CENTRAL"), BranchFactory(code="EAST")
    adult, child = PatronCategoryFactory(code="ADULT"), PatronCategoryFactory(code="CHILD", name="Child")
    book, dvd = ItemTypeFactory(code="BOOK"), ItemTypeFactory(code="DVD", name="DVD")
    rules = {
        "default": rule,
        "type": RuleFactory(item_type=dvd, loan_period=7),
        "category": RuleFactory(patron_category=child, loan_period=21),
        "category+type": RuleFactory(patron_category=child, item_type=dvd, loan_period=3),
        "branch": RuleFactory(branch=central, loan_period=28),
        "branch+type": RuleFactory(branch=central, item_type=book, loan_period=30),
    }
    return central, east, adult, child, book, dvd, rules


def test_each_level_of_precedence(scene) -> None:
    central, east, adult, child, book, dvd, rules = scene
    assert policy.rule_for(east, adult, book).rule == rules["default"]
    assert policy.rule_for(east, adult, dvd).rule == rules["type"]
    assert policy.rule_for(east, child, book).rule == rules["category"]
    assert policy.rule_for(east, child, dvd).rule == rules["category+type"]
    # A branch rule beats any rule that names no branch, however specific.
    assert policy.rule_for(central, child, dvd).rule == rules["branch"]
    assert policy.rule_for(central, child, book).rule == rules["branch+type"]
    assert policy.rule_for(None, None, None).rule == rules["default"]


def test_the_match_explains_itself(scene) -> None:
    central, east, adult, _child, book, _dvd, rules = scene
    match = policy.rule_for(central, adult, book)
    assert "branch CENTRAL, any category, item type BOOK" in match.why
    assert [r for r, _scope in match.candidates] == [rules["branch+type"], rules["branch"], rules["default"]]
    assert "Default rule" in policy.rule_for(east, adult, book).why


def test_one_rule_per_scope(scene) -> None:
    central, *_ = scene
    with pytest.raises(IntegrityError):
        RuleFactory(branch=central)


def test_without_a_default_rule(db) -> None:  # type: ignore[no-untyped-def]
    CirculationRule.objects.all().delete()
    with pytest.raises(ConfigurationError) as excinfo:
        policy.rule_for(None, None, None)
    assert excinfo.value.code == "no_circulation_rule"
