"""Patron factories (factory_boy). Dates are fixed so tests never depend on today's date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import factory

from kitab.items.models import Branch
from kitab.patrons.models import Patron, PatronBlock, PatronCategory

T0 = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)  # a Monday


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"BR{n}")
    name = factory.LazyAttribute(lambda o: f"Branch {o.code}")


class PatronCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatronCategory
        django_get_or_create = ("code",)

    code = "ADULT"
    name = "Adult"
    enrolment_period_days = 365


class PatronFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patron

    card_number = factory.Sequence(lambda n: f"P{n:06d}")
    first_name = "Ayşe"
    last_name = factory.Sequence(lambda n: f"Yılmaz{n}")
    home_branch = factory.SubFactory(BranchFactory, code="MAIN")
    category = factory.SubFactory(PatronCategoryFactory)
    expires_on = date(2030, 1, 1)
    created_at = T0
    updated_at = T0


class PatronBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatronBlock

    patron = factory.SubFactory(PatronFactory)
    reason = "Damaged a book"
    created_at = T0
    created_by = "staff:librarian"
