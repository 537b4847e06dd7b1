"""Hold decisions. Everything here reads; nothing writes.

A hold is placed for a record (any copy) or for one copy. The circulation rule that applies is the one for the
pickup branch (where the loan will be made), the patron's category and the copy's item type: its
`holds_allowed` says whether such copies can be held and `max_holds` how many live holds the patron may have.
A record-level hold needs at least one holdable copy; the patron may then have as many holds as the most
generous of those copies' rules allows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.circulation.calendar import closes_at, next_open_day
from kitab.circulation.models import CirculationRule, Loan
from kitab.circulation.policy import Decision, patron_blocks, rule_for
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

from .models import DEFAULT_SHELF_DAYS, Hold, HoldSettings

# Copies in these states may be held: they are, or will again be, on the shelf.
HOLDABLE_STATUSES = frozenset({Item.Status.AVAILABLE, Item.Status.ON_LOAN, Item.Status.IN_TRANSIT,
                               Item.Status.ON_HOLD_SHELF})
NOT_OVERRIDABLE = frozenset({"patron_anonymised", "item_not_of_record", "record_has_no_items", "hold_exists",
                             "invalid_expiry", "pickup_not_allowed"})


def _refuse(code: str, message: str) -> Decision:
    return Decision(False, code, message, overridable=code not in NOT_OVERRIDABLE, refusals=((code, message),))


def settings_for(branch: Branch) -> HoldSettings:
    """The branch's own hold settings, else the all-branch row, else the built-in defaults (unsaved)."""
    rows = {row.branch_id: row for row in HoldSettings.objects.filter(Q(branch=branch) | Q(branch__isnull=True))}
    return rows.get(branch.pk) or rows.get(None) or HoldSettings(shelf_days=DEFAULT_SHELF_DAYS)


def pickup_deadline(branch: Branch, *, ready_at: datetime) -> datetime:
    """Closing time of the first day the branch is open after its shelf days, counted from `ready_at`."""
    day = next_open_day(branch, timezone.localdate(ready_at) + timedelta(days=settings_for(branch).shelf_days))
    return timezone.make_aware(datetime.combine(day, closes_at(branch)))


def rule_allows(patron: Patron, item: Item, pickup_branch: Branch) -> CirculationRule | None:
    """The rule for `item` picked up at `pickup_branch` by `patron`, when it allows holds (else None)."""
    rule = rule_for(pickup_branch, patron.category, item.item_type).rule
    return rule if rule.holds_allowed else None


def may_fill(hold: Hold, item: Item, *, at_branch: Branch) -> bool:
    """Whether `item`, now at `at_branch`, may be set aside for `hold` (rule, pickup branch's transfer rule)."""
    if hold.item_id is not None and hold.item_id != item.pk:
        return False
    if hold.pickup_branch_id != at_branch.pk and not settings_for(hold.pickup_branch).accepts_transfers:
        return False
    return rule_allows(hold.patron, item, hold.pickup_branch) is not None


def can_place_hold(patron: Patron, record: Record, *, pickup_branch: Branch, at: datetime, item: Item | None = None,
                   expires_at: datetime | None = None) -> Decision:
    """May `patron` place a hold on `record` (or on its copy `item`) to collect at `pickup_branch`.

    Checks in order: the patron (anonymised, card, blocks, overdues, fines), the pickup branch, the copies
    (belongs to the record, holdable, the rule allows holds), the patron's holds and loans (limit, a hold or a
    loan on this record already). `refusals` lists every reason; an override must be allowed for each.
    """
    if patron.is_anonymised:
        return _refuse("patron_anonymised", _("This patron record has been anonymised."))
    if expires_at is not None and expires_at <= at:
        return _refuse("invalid_expiry", _("The hold would expire before it is placed."))
    if not settings_for(pickup_branch).pickup_allowed:
        return _refuse("pickup_not_allowed", _("Holds cannot be collected at %(branch)s.")
                               % {"branch": pickup_branch.name})
    if item is not None and item.record_id != record.pk:
        return _refuse("item_not_of_record", _("Item %(barcode)s is not a copy of this record.")
                               % {"barcode": str(item)})
    if Hold.objects.active().filter(patron=patron, record=record).exists():
        return _refuse("hold_exists", _("The patron already has a hold on this title."))
    refusals: list[tuple[str, str]] = [(b.code, b.message) for b in patron_blocks(patron, at)]
    copies = [item] if item is not None else list(Item.objects.filter(record=record).select_related("item_type"))
    if not copies:
        return _refuse("record_has_no_items", _("This title has no copies to hold."))
    holdable = [c for c in copies if c.status in HOLDABLE_STATUSES]
    rules = [r for r in (rule_allows(patron, c, pickup_branch) for c in holdable) if r is not None]
    if not holdable:
        refusals.append(("item_not_holdable", _("Item %(barcode)s cannot be held (%(status)s).")
                         % {"barcode": str(item), "status": item.get_status_display()} if item is not None
                         else _("No copy of this title can be held.")))
    elif not rules:
        refusals.append(("holds_not_allowed",
                         _("Holds are not allowed on these items for this patron category at this branch.")))
    if rules:
        allowed = max(r.max_holds for r in rules)
        count = Hold.objects.active().filter(patron=patron).count()
        if count >= allowed:
            refusals.append(("max_holds_reached", _("The patron already has %(count)s of %(max)s holds allowed.")
                             % {"count": count, "max": allowed}))
    if Loan.objects.current().filter(patron=patron, item__record=record).exists():
        refusals.append(("already_borrowed", _("The patron has already borrowed a copy of this title.")))
    if refusals:
        code, message = refusals[0]
        return Decision(False, code, message, overridable=all(c not in NOT_OVERRIDABLE for c, _m in refusals),
                        rule=rules[0] if rules else None, refusals=tuple(refusals))
    return Decision(True, "ok", _("The hold can be placed."), rule=rules[0])


def blocking_hold(item: Item, *, patron: Patron, at: datetime) -> Hold | None:
    """A hold of another patron that `item` could fill now; renewing the loan would keep it waiting."""
    holds = (Hold.objects.eligible(timezone.localdate(at)).filter(record_id=item.record_id)
             .filter(Q(item__isnull=True) | Q(item=item)).exclude(patron=patron)
             .select_related("patron__category", "pickup_branch").order_by("position", "pk"))
    for hold in holds:
        if hold.expires_at is not None and hold.expires_at <= at:
            continue
        if rule_allows(hold.patron, item, hold.pickup_branch) is not None:
            return hold
    return None


def ready_hold_for(item: Item) -> Hold | None:
    """The hold `item` is set aside for on the hold shelf, if any."""
    return Hold.objects.filter(trapped_item=item, status=Hold.Status.READY).first()
