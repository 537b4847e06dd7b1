"""Item writes: copies added, edited, withdrawn, lost, damaged, restored or deleted by cataloguers, barcode
allocation, and the holdings imported records carry (so the import service never touches item rows itself).

Every change queues the copies' records in the search outbox in the same transaction and indexes them once it
commits, so the OPAC's availability and branch facets follow at once. Errors are ItemError with the codes
listed in kitab/items/errors.py; a refused batch changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kitab.catalogue.models import Record
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.marc.summary import Holding

from . import barcodes as codes
from .errors import ItemError
from .models import BarcodePattern, Branch, Item, ItemType

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


# Copies that are gone from the shelves: the record is not "held" at their branch any more.
GONE = (Item.Status.WITHDRAWN, Item.Status.LOST)


def availability_for(record_ids: Iterable[int]) -> dict[int, tuple[list[str], bool]]:
    """For each record with copies: (branch codes holding one that is not withdrawn or lost, whether any copy is
    available)."""
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
            if code and code not in branches and status not in GONE:
                branches.append(code)
            result[record_id] = (branches, available or status == Item.Status.AVAILABLE)
    return result


# ---------------------------------------------------------------------------------------------------------------
# Copies added and changed by cataloguers

MAX_COPIES_AT_ONCE = 500
S = Item.Status
# Copies a cataloguer may not take off the shelf by hand: circulation has them (a loan, a transfer, a hold).
IN_CIRCULATION = (S.ON_LOAN, S.IN_TRANSIT, S.ON_HOLD_SHELF)
TEXT_LIMITS = {"location": 100, "call_number": 200, "price": 32, "acquisition_source": 200}
EDITABLE = ("home_branch", "holding_branch", "location", "call_number", "item_type", "price", "acquisition_source",
            "loanable")


@dataclass(slots=True)
class CopyDetails:
    """What the copies added together share."""

    home_branch: Branch | None
    location: str = ""
    call_number: str = ""
    item_type: ItemType | None = None
    price: str = ""
    acquisition_source: str = ""
    loanable: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def records_changed(record_ids: Iterable[int]) -> None:
    """Queue records whose copies changed in the search outbox (same transaction); index them after commit."""
    from kitab.search import services as search

    ids = sorted(set(record_ids))
    if not ids:
        return
    search.queue(ids)
    if getattr(settings, "KITAB_INDEX_AFTER_CIRCULATION", True):
        transaction.on_commit(search.index_pending_soon)


def _check_text(name: str, value: str) -> str:
    value = (value or "").strip()
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        raise ItemError("field_too_long", _("%(field)s is longer than %(limit)d characters.")
                        % {"field": Item._meta.get_field(name).verbose_name, "limit": limit})
    return value


def _check_barcodes(wanted: Sequence[str]) -> list[str]:
    """Trimmed barcodes, refusing malformed ones, repeats within the list and barcodes already in use."""
    cleaned = [b.strip() for b in wanted]
    bad = [b for b in cleaned if not codes.BARCODE_RE.match(b)]
    if bad:
        raise ItemError("barcode_invalid", _("Not a valid barcode: %(barcodes)s. Use letters, digits and - . $ / + %%.")
                        % {"barcodes": ", ".join(repr(b) for b in bad[:5])})
    repeated = sorted({b for b in cleaned if cleaned.count(b) > 1})
    if repeated:
        raise ItemError("barcode_repeated", _("These barcodes are given more than once: %(barcodes)s.")
                        % {"barcodes": ", ".join(repeated[:10])})
    taken = sorted(Item.objects.filter(barcode__in=cleaned).values_list("barcode", flat=True))
    if taken:
        raise ItemError("barcode_taken", ngettext(
            "This barcode is already used by another copy: %(barcodes)s.",
            "These barcodes are already used by other copies: %(barcodes)s.", len(taken),
        ) % {"barcodes": ", ".join(taken[:10]) + (" …" if len(taken) > 10 else "")})
    return cleaned


def barcodes_in_range(text: str, *, limit: int = MAX_COPIES_AT_ONCE) -> list[str]:
    """The barcodes of a range such as `A0001-A0100`. Raises ItemError range_invalid, range_reversed or
    range_too_long."""
    try:
        return codes.parse_range(text, limit=limit)
    except codes.RangeError as error:
        messages = {
            "range_invalid": _("Give a range as first-last barcode with the same prefix, e.g. A0001-A0100."),
            "range_reversed": _("The range ends before it starts."),
            "range_too_long": _("A range may hold at most %(limit)d barcodes.") % {"limit": limit},
        }
        raise ItemError(error.code, messages[error.code]) from error


def allocate_barcodes(pattern: BarcodePattern, *, count: int, branch_code: str = "") -> list[str]:
    """Reserve `count` new barcodes from `pattern`, skipping any already on a copy.

    The counter moves with one UPDATE ... SET next_number = next_number + n, which takes the row's write lock
    on PostgreSQL and the database write lock on SQLite, so two cataloguers allocating at once get disjoint
    numbers. Runs in the caller's transaction (a refused addition gives its numbers back). Raises ItemError
    barcodes_exhausted when the numbers no longer fit the pattern's width.
    """
    spec = codes.PatternSpec(pattern.prefix, pattern.include_branch, pattern.width, pattern.check_digit)
    allocated: list[str] = []
    with transaction.atomic():
        while len(allocated) < count:
            need = count - len(allocated)
            BarcodePattern.objects.filter(pk=pattern.pk).update(next_number=F("next_number") + need)
            end = BarcodePattern.objects.values_list("next_number", flat=True).get(pk=pattern.pk)
            if len(str(end - 1)) > pattern.width:
                raise ItemError("barcodes_exhausted", _(
                    "The barcode pattern %(name)s has run out of %(width)d-digit numbers; widen it or start a "
                    "new one.") % {"name": pattern.name, "width": pattern.width})
            candidates = [spec.format(n, branch_code=branch_code) for n in range(end - need, end)]
            taken = set(Item.objects.filter(barcode__in=candidates).values_list("barcode", flat=True))
            allocated.extend(c for c in candidates if c not in taken)
    return allocated


def default_pattern() -> BarcodePattern | None:
    return BarcodePattern.objects.filter(is_default=True).first() or BarcodePattern.objects.first()


@transaction.atomic
def add_copies(record: Record, *, details: CopyDetails, actor: Actor, at: datetime | None = None, count: int = 1,
               barcodes: Sequence[str] | None = None, pattern: BarcodePattern | None = None) -> list[Item]:
    """Add copies of `record` that share `details`.

    Barcodes: the given list (one copy each; `count` is then ignored), else `count` barcodes allocated from
    `pattern`, else `count` copies without a barcode (to be barcoded later). Raises ItemError no_branch,
    invalid_count, too_many_copies, barcode_invalid, barcode_repeated, barcode_taken, barcodes_exhausted,
    field_too_long.
    """
    at = at or clock.now()
    if details.home_branch is None:
        raise ItemError("no_branch", _("Choose the branch the copies belong to."))
    values = {name: _check_text(name, getattr(details, name)) for name in TEXT_LIMITS}
    if barcodes is not None:
        wanted: list[str | None] = list(_check_barcodes(barcodes))
        count = len(wanted)
    elif count < 1:
        raise ItemError("invalid_count", _("Add at least one copy."))
    if count > MAX_COPIES_AT_ONCE:
        raise ItemError("too_many_copies", _("Add at most %(limit)d copies at once.") % {"limit": MAX_COPIES_AT_ONCE})
    if count < 1:
        raise ItemError("invalid_count", _("Add at least one copy."))
    if barcodes is None:
        wanted = list(allocate_barcodes(pattern, count=count, branch_code=details.home_branch.code)) if pattern \
            else [None] * count
    status = S.AVAILABLE if details.loanable else S.NOT_FOR_LOAN
    items = [Item(record=record, barcode=barcode, home_branch=details.home_branch, holding_branch=details.home_branch,
                  item_type=details.item_type, status=status, status_changed_at=at,
                  status_changed_by=actor.label()[:150], **values) for barcode in wanted]
    try:
        with transaction.atomic():
            created = Item.objects.bulk_create(items)
    except IntegrityError as error:  # a barcode typed in by someone else since we checked
        raise ItemError("barcode_taken", _("One of these barcodes was just given to another copy; try again.")) \
            from error
    if any(item.pk is None for item in created):  # backends that do not return ids from bulk inserts
        created = list(Item.objects.filter(record=record, barcode__in=[b for b in wanted if b])) if all(wanted) \
            else list(Item.objects.filter(record=record).order_by("-pk")[:count])[::-1]
    records_changed([record.pk])
    return created


def _lock(items: Iterable[Item]) -> list[Item]:
    ids = sorted({item.pk for item in items})
    if not ids:
        raise ItemError("nothing_selected", _("Select at least one copy."))
    return list(Item.objects.select_for_update().select_related("home_branch", "holding_branch").filter(pk__in=ids)
                .order_by("pk"))


def _has_open_loan(item: Item) -> bool:
    from kitab.circulation.models import Loan

    return Loan.objects.filter(item=item, status=Loan.Status.ON_LOAN).exists()


def _refuse_in_circulation(locked: list[Item], on_loan_message: str) -> None:
    """Refuse copies that circulation has; `on_loan_message` (with %(barcodes)s) says what to do for loans."""
    on_loan = [str(i) for i in locked if i.status == S.ON_LOAN or _has_open_loan(i)]
    if on_loan:
        raise ItemError("item_on_loan", on_loan_message % {"barcodes": ", ".join(on_loan[:10])})
    busy = [str(i) for i in locked if i.status in IN_CIRCULATION]
    if busy:
        raise ItemError("item_in_circulation", _(
            "%(barcodes)s: in transit or on the hold shelf; receive the copy or clear its hold first.")
            % {"barcodes": ", ".join(busy[:10])})


def _set_status(locked: list[Item], status: str, *, note: str, actor: Actor, at: datetime) -> None:
    for item in locked:
        item.status = status
        item.status_note = note[:255]
        item.status_changed_at = at
        item.status_changed_by = actor.label()[:150]
    Item.objects.bulk_update(locked, ["status", "status_note", "status_changed_at", "status_changed_by"])
    records_changed(item.record_id for item in locked)


@transaction.atomic
def update_copies(items: Iterable[Item], *, changes: Mapping[str, object], actor: Actor,
                  at: datetime | None = None) -> int:
    """Apply the same `changes` to every copy (one copy is a batch of one). Returns how many changed.

    Keys: home_branch, holding_branch (Branch), item_type (ItemType or None), location, call_number, price,
    acquisition_source (text; "" clears), loanable (bool: available <-> not for loan, only for copies in one of
    those two states). The current branch cannot be changed for copies on loan, in transit or on the hold shelf
    (circulation moves them). Raises ItemError nothing_selected, nothing_to_change, no_branch, field_too_long,
    item_in_circulation.
    """
    at = at or clock.now()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        raise ItemError("nothing_to_change", _("Choose at least one field to change."))
    locked = _lock(items)
    values: dict[str, object] = {}
    for name, value in changes.items():
        if name in TEXT_LIMITS:
            values[name] = _check_text(name, str(value or ""))
        elif name in ("home_branch", "holding_branch") and value is None:
            raise ItemError("no_branch", _("A copy always belongs to a branch."))
        else:
            values[name] = value
    if "holding_branch" in values:
        busy = [i for i in locked if i.status in IN_CIRCULATION and i.holding_branch_id != values["holding_branch"].pk]
        if busy:
            raise ItemError("item_in_circulation", _(
                "%(barcodes)s: on loan, in transit or on the hold shelf; circulation decides where these copies "
                "are.") % {"barcodes": ", ".join(str(i) for i in busy[:10])})
    fields: set[str] = set()
    for item in locked:
        for name, value in values.items():
            if name == "loanable":
                if item.status in (S.AVAILABLE, S.NOT_FOR_LOAN):
                    item.status = S.AVAILABLE if value else S.NOT_FOR_LOAN
                    fields.add("status")
                continue
            setattr(item, name, value)
            fields.add(name)
    if fields:
        Item.objects.bulk_update(locked, sorted(fields))
    records_changed(item.record_id for item in locked)
    return len(locked)


@transaction.atomic
def withdraw(items: Iterable[Item], *, reason: str, actor: Actor, at: datetime | None = None) -> int:
    """Take copies out of the collection for `reason` (worn out, weeded, transferred away...). Returns how many.

    Raises ItemError missing_reason, nothing_selected, item_on_loan, item_in_circulation.
    """
    at = at or clock.now()
    if not reason.strip():
        raise ItemError("missing_reason", _("Say why the copies are withdrawn."))
    locked = _lock(items)
    _refuse_in_circulation(locked, _("%(barcodes)s: on loan; check the copy in before you withdraw it."))
    _set_status(locked, S.WITHDRAWN, note=reason.strip(), actor=actor, at=at)
    return len(locked)


@transaction.atomic
def mark_damaged(items: Iterable[Item], *, note: str, actor: Actor, at: datetime | None = None) -> int:
    """Set copies aside as damaged (out of circulation until restored). Raises ItemError missing_reason,
    nothing_selected, item_on_loan, item_in_circulation."""
    at = at or clock.now()
    if not note.strip():
        raise ItemError("missing_reason", _("Describe the damage."))
    locked = _lock(items)
    _refuse_in_circulation(locked, _("%(barcodes)s: on loan; check the copy in before you mark it damaged."))
    _set_status(locked, S.DAMAGED, note=note.strip(), actor=actor, at=at)
    return len(locked)


@transaction.atomic
def mark_lost(items: Iterable[Item], *, note: str = "", actor: Actor, at: datetime | None = None) -> int:
    """Declare copies lost. A copy on loan is declared lost through circulation (kitab.circulation.services
    .mark_lost: the overdue fine is closed and the lost item charge added to the borrower's account); a copy on
    the shelf simply becomes lost. Raises ItemError nothing_selected, item_in_circulation; CirculationError from
    circulation's own checks."""
    from kitab.circulation import services as circulation
    from kitab.circulation.models import Loan

    at = at or clock.now()
    locked = _lock(items)
    busy = [str(i) for i in locked if i.status in (S.IN_TRANSIT, S.ON_HOLD_SHELF)]
    if busy:
        raise ItemError("item_in_circulation", _(
            "%(barcodes)s: in transit or on the hold shelf; receive the copy or clear its hold first.")
            % {"barcodes": ", ".join(busy[:10])})
    for item in locked:
        loan = Loan.objects.filter(item=item, status=Loan.Status.ON_LOAN).first()
        if loan is not None:
            circulation.mark_lost(loan, actor=actor, at=at)
            item.refresh_from_db()
    _set_status(locked, S.LOST, note=note.strip(), actor=actor, at=at)
    return len(locked)


@transaction.atomic
def restore(items: Iterable[Item], *, actor: Actor, at: datetime | None = None) -> int:
    """Put withdrawn, damaged or lost copies back on the shelf as available. A lost copy still charged to a
    borrower comes back through check-in at the desk instead (which credits the charge). Raises ItemError
    nothing_selected, invalid_status_change, item_on_loan."""
    from kitab.circulation.models import Loan

    at = at or clock.now()
    locked = _lock(items)
    wrong = [str(i) for i in locked if i.status not in (S.WITHDRAWN, S.DAMAGED, S.LOST)]
    if wrong:
        raise ItemError("invalid_status_change", _(
            "%(barcodes)s: only withdrawn, damaged or lost copies can be put back on the shelf.")
            % {"barcodes": ", ".join(wrong[:10])})
    charged = [str(i) for i in locked if Loan.objects.filter(item=i, status=Loan.Status.LOST).exists()]
    if charged:
        raise ItemError("item_on_loan", _(
            "%(barcodes)s: lost while on loan; check the copy in at the desk so the borrower's charge is "
            "credited.") % {"barcodes": ", ".join(charged[:10])})
    _set_status(locked, S.AVAILABLE, note="", actor=actor, at=at)
    return len(locked)


@transaction.atomic
def delete_copies(items: Iterable[Item], *, actor: Actor, at: datetime | None = None) -> int:
    """Delete copies added by mistake. Copies that were ever lent keep their history: withdraw them instead.
    Raises ItemError nothing_selected, item_has_history."""
    from kitab.circulation.models import Loan

    locked = _lock(items)
    _refuse_in_circulation(locked, _("%(barcodes)s: on loan; check the copy in before you delete it."))
    lent = [str(i) for i in locked if Loan.objects.filter(item=i).exists()]
    if lent:
        raise ItemError("item_has_history", _(
            "%(barcodes)s: these copies have been lent; withdraw them instead of deleting them.")
            % {"barcodes": ", ".join(lent[:10])})
    record_ids = [i.record_id for i in locked]
    Item.objects.filter(pk__in=[i.pk for i in locked]).delete()
    records_changed(record_ids)
    return len(locked)
