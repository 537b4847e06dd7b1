"""Resolve the objects a request names (patron by id or card, item by barcode...) or answer 404."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.circulation.models import Loan
from kitab.holds.models import Hold
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

from ..errors import ApiError, not_found


def patron_by_id(pk: int) -> Patron:
    patron = Patron.objects.select_related("home_branch", "category").filter(pk=pk).first()
    if patron is None:
        raise not_found(_("There is no patron %(id)s.") % {"id": pk})
    return patron


def patron_by_card(card_number: str) -> Patron:
    patron = Patron.objects.filter(card_number=card_number.strip()).first()
    if patron is None:
        raise not_found(_("No patron has the card number %(card)s.") % {"card": card_number})
    return patron


def item_by_barcode(barcode: str) -> Item:
    item = Item.objects.filter(barcode=barcode.strip()).first()
    if item is None:
        raise not_found(_("No item has the barcode %(barcode)s.") % {"barcode": barcode})
    return item


def record_by_id(pk: int) -> Record:
    record = Record.objects.filter(pk=pk).first()
    if record is None:
        raise not_found(_("There is no record %(id)s.") % {"id": pk})
    return record


def loan_by_id(pk: int) -> Loan:
    loan = Loan.objects.select_related("item", "patron").filter(pk=pk).first()
    if loan is None:
        raise not_found(_("There is no loan %(id)s.") % {"id": pk})
    return loan


def hold_by_id(pk: int) -> Hold:
    hold = Hold.objects.select_related("patron", "record", "pickup_branch").filter(pk=pk).first()
    if hold is None:
        raise not_found(_("There is no hold %(id)s.") % {"id": pk})
    return hold


def branch_by_code(code: str) -> Branch:
    branch = Branch.objects.filter(code=code.strip()).first()
    if branch is None:
        raise ApiError("unknown_branch", _("Unknown branch: %(code)s.") % {"code": code})
    return branch
