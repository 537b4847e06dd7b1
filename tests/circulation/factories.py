"""Circulation factories: records, items, rules, loans."""

from __future__ import annotations

from decimal import Decimal

import factory

from kitab.catalogue.models import Record
from kitab.circulation.models import CirculationRule
from kitab.items.models import Item, ItemType
from tests.patrons.factories import BranchFactory


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Record

    title = factory.Sequence(lambda n: f"Book {n}")
    raw = b""
    raw_digest = factory.Sequence(lambda n: f"{n:040d}")


class ItemTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemType
        django_get_or_create = ("code",)

    code = "BOOK"
    name = "Book"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    record = factory.SubFactory(RecordFactory)
    barcode = factory.Sequence(lambda n: f"3100{n:06d}")
    home_branch = factory.SubFactory(BranchFactory, code="MAIN")
    holding_branch = factory.SelfAttribute("home_branch")
    item_type = factory.SubFactory(ItemTypeFactory)
    status = Item.Status.AVAILABLE


RULE_VALUES: dict[str, object] = {
    "loan_period": 14,
    "loan_unit": CirculationRule.Unit.DAYS,
    "max_loans": 5,
    "renewals_allowed": 2,
    "renewal_period": None,
    "fine_per_day": Decimal("0.50"),
    "fine_cap": Decimal("10.00"),
    "grace_days": 0,
    "lost_item_charge": Decimal("25.00"),
}


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CirculationRule

    branch = None
    patron_category = None
    item_type = None
    loan_period = RULE_VALUES["loan_period"]
    loan_unit = RULE_VALUES["loan_unit"]
    max_loans = RULE_VALUES["max_loans"]
    renewals_allowed = RULE_VALUES["renewals_allowed"]
    fine_per_day = RULE_VALUES["fine_per_day"]
    fine_cap = RULE_VALUES["fine_cap"]
    grace_days = RULE_VALUES["grace_days"]
    lost_item_charge = RULE_VALUES["lost_item_charge"]


def default_rule(**values: object) -> CirculationRule:
    """The migration's default rule, set to known values (transactional tests flush it, so recreate it)."""
    rule, _created = CirculationRule.objects.get_or_create(branch=None, patron_category=None, item_type=None)
    for name, value in {**RULE_VALUES, **values}.items():
        setattr(rule, name, value)
    rule.save()
    return rule
