"""The shipped templates: every kind in every language renders without leftovers, in that language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.conf import settings

from kitab.circulation.models import FineEntry
from kitab.notices.models import Kind, NoticeTemplate
from kitab.notices.services import render
from kitab.patrons.models import Patron


def _context() -> dict[str, object]:
    due = datetime(2025, 3, 17, 23, 59, 59, tzinfo=UTC)
    return {"patron": Patron(first_name="Ann", last_name="Reader"), "patron_name": "Ann Reader",
            "library_name": "City Library", "title": "Title", "barcode": "31000001", "due_at": due,
            "pickup_branch": "Main", "pickup_deadline": due, "uncollected": True,
            "fine": FineEntry(kind=FineEntry.Kind.LOST), "amount": Decimal("25.00"), "balance": Decimal("25.00")}


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("kind", Kind.values)
def test_every_template_renders(kind, language) -> None:
    assert NoticeTemplate.objects.filter(kind=kind, language=language).exists()
    subject, body = render(kind, language, _context())
    assert subject and "{" not in subject and "{" not in body and "%" not in body
    assert "City Library" in body
    if language != "en":
        assert "Dear" not in body


@pytest.mark.django_db
def test_a_missing_language_falls_back_to_english() -> None:
    NoticeTemplate.objects.filter(language="tr", kind="fine").delete()
    subject, _body = render("fine", "tr", _context())
    assert subject == "A charge on your library account"
