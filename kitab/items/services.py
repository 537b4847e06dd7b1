"""Item writes. Imported holdings are synchronised here so the import service never touches item rows itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kitab.marc.summary import Holding

from .models import Branch, Item, ItemType

DEFAULT_BRANCH_CODE = "MAIN"
_STATUSES = {choice for choice, _label in Item.Status.choices}


@dataclass(slots=True)
class HoldingCounts:
    added: int = 0
    updated: int = 0


class _CodeCache:
    """Branch / item type ids by code, creating unknown codes on first sight (named after their code)."""

    def __init__(self, model: type[Branch | ItemType]) -> None:
        self.model = model
        self.ids: dict[str, int] = {}

    def get(self, code: str) -> int:
        code = code.strip()[:32]
        if code not in self.ids:
            obj, _created = self.model.objects.get_or_create(code=code, defaults={"name": code})
            self.ids[code] = obj.pk
        return self.ids[code]

    def reset(self) -> None:
        self.ids.clear()


_branches = _CodeCache(Branch)
_item_types = _CodeCache(ItemType)


def reset_caches() -> None:
    """Forget cached codes (tests flush the database between cases)."""
    _branches.reset()
    _item_types.reset()


def _default_branch_id() -> int:
    if DEFAULT_BRANCH_CODE not in _branches.ids:
        obj, _created = Branch.objects.get_or_create(code=DEFAULT_BRANCH_CODE, defaults={"name": _("Main library")})
        _branches.ids[DEFAULT_BRANCH_CODE] = obj.pk
    return _branches.ids[DEFAULT_BRANCH_CODE]


def _apply(item: Item, record_id: int, holding: Holding) -> None:
    home = holding.home_branch or holding.holding_branch
    item.record_id = record_id
    item.home_branch_id = _branches.get(home) if home else _default_branch_id()
    current = holding.holding_branch or holding.home_branch
    item.holding_branch_id = _branches.get(current) if current else item.home_branch_id
    item.location = (holding.location or "")[:100]
    item.call_number = (holding.call_number or "")[:200]
    item.item_type_id = _item_types.get(holding.item_type) if holding.item_type else None
    item.status = holding.status if holding.status in _STATUSES else Item.Status.AVAILABLE
    item.price = (holding.price or "")[:32]
    item.source_tag = holding.source_tag[:3]


def sync_imported_holdings(
    holdings: Mapping[int, Sequence[Holding]], *, replace_for: Iterable[int] = ()
) -> HoldingCounts:
    """Create or update the copies described inside imported records.

    Copies with a barcode are matched on it (a re-import updates them, wherever they were); copies without one
    cannot be matched, so a re-imported record's barcode-less imported copies are replaced. Call inside the
    import's transaction.
    """
    counts = HoldingCounts()
    replace = list(replace_for)
    if replace:
        Item.objects.filter(record_id__in=replace, barcode__isnull=True).exclude(source_tag="").delete()
    wanted = [h.barcode.strip() for hs in holdings.values() for h in hs if h.barcode and h.barcode.strip()]
    existing = {item.barcode: item for item in Item.objects.filter(barcode__in=wanted)} if wanted else {}
    from_db = set(existing)
    to_create: list[Item] = []
    to_update: dict[str, Item] = {}
    for record_id, record_holdings in holdings.items():
        for holding in record_holdings:
            barcode = (holding.barcode or "").strip()[:64] or None
            if barcode and barcode in existing:
                item = existing[barcode]
                _apply(item, record_id, holding)
                to_update[barcode] = item
                continue
            item = Item(barcode=barcode)
            _apply(item, record_id, holding)
            to_create.append(item)
            if barcode:
                existing[barcode] = item  # a barcode repeated later in the same batch updates this one
    Item.objects.bulk_create(to_create)
    if to_update:
        Item.objects.bulk_update(
            [i for i in to_update.values() if i.pk],
            ["record", "home_branch", "holding_branch", "location", "call_number", "item_type", "status", "price",
             "source_tag"],
        )
    counts.added = len(to_create)
    counts.updated = len(from_db & set(to_update))
    return counts


def availability_for(record_ids: Iterable[int]) -> dict[int, tuple[list[str], bool]]:
    """For each record with copies: (branch codes holding one, whether any copy is available)."""
    ids = list(record_ids)
    result: dict[int, tuple[list[str], bool]] = {}
    codes = {pk: code for pk, code in Branch.objects.values_list("pk", "code")}
    for start in range(0, len(ids), 5000):
        rows = Item.objects.filter(record_id__in=ids[start : start + 5000]).values_list(
            "record_id", "holding_branch_id", "status"
        )
        for record_id, branch_id, status in rows:
            branches, available = result.get(record_id, ([], False))
            code = codes.get(branch_id)
            if code and code not in branches:
                branches.append(code)
            result[record_id] = (branches, available or status == Item.Status.AVAILABLE)
    return result
