"""Circulation decisions. Everything here reads; nothing writes.

Rule precedence (`rule_for`), like Koha's issuing rules: a rule row names a branch, a patron category and an
item type, each of which may be empty ("any"). Among the rows that fit, the most specific one wins, where
the branch counts more than the category, which counts more than the item type:

    1. branch + category + item type      5. any branch + category + item type
    2. branch + category + any type       6. any branch + category + any type
    3. branch + any category + item type  7. any branch + any category + item type
    4. branch + any category + any type   8. the default rule (all three empty)

The branch is the one where the loan is made (the desk's branch; the item's current branch when the caller
names none). The default rule must exist; without it (or any fitting row) rule_for raises
ConfigurationError no_circulation_rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from math import ceil

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.items.models import Branch, Item, ItemType
from kitab.patrons.models import Patron, PatronCategory

from . import cache, calendar
from .errors import ConfigurationError
from .models import CirculationRule, FineEntry, Loan
from .selectors import PatronFigures, patron_figures

# Refusals that no permission can go past: they would make the data lie (two loans of one copy).
NOT_OVERRIDABLE = frozenset({"item_on_loan", "item_lost", "item_in_transit", "item_on_hold_shelf",
                             "patron_anonymised", "loan_not_open"})


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: CirculationRule
    why: str
    # Every row that fitted, most specific first, with its scope: what the staff rule tester shows.
    candidates: list[tuple[CirculationRule, str]] = field(default_factory=list)


def rule_scope(rule: CirculationRule, branch: Branch | None = None, category: PatronCategory | None = None,
               item_type: ItemType | None = None) -> str:
    """'branch CENTRAL, any category, item type BOOK'. The objects the rule was matched for may be passed to
    save looking up the rule's own (a fitting rule names them or nothing)."""
    branch = branch if branch is not None and rule.branch_id == branch.pk else rule.branch
    category = category if category is not None and rule.patron_category_id == category.pk else rule.patron_category
    item_type = item_type if item_type is not None and rule.item_type_id == item_type.pk else rule.item_type
    branch_text = (_("branch %(code)s") % {"code": branch.code}) if rule.branch_id else _("any branch")
    category_text = ((_("category %(code)s") % {"code": category.code}) if rule.patron_category_id
                     else _("any category"))
    type_text = (_("item type %(code)s") % {"code": item_type.code}) if rule.item_type_id else _("any item type")
    return _("%(branch)s, %(category)s, %(item_type)s") % {"branch": branch_text, "category": category_text,
                                                           "item_type": type_text}


def rule_for(branch: Branch | None, category: PatronCategory | None, item_type: ItemType | None) -> RuleMatch:
    """The rule that applies, and why (see the module docstring for the order).

    Raises ConfigurationError no_circulation_rule when no row fits (the default rule is missing)."""
    # The whole matrix is small and cached per process (kitab.circulation.cache); match it here.
    scope = (branch.pk if branch else None, category.pk if category else None, item_type.pk if item_type else None)
    rows = [r for r in cache.current().rules()
            if r.branch_id in (None, scope[0]) and r.patron_category_id in (None, scope[1])
            and r.item_type_id in (None, scope[2])]
    if not rows:
        raise ConfigurationError("no_circulation_rule",
                                 _("No circulation rule applies; the default rule (any branch, any category, "
                                   "any item type) is missing."))
    rows.sort(key=lambda r: r.specificity, reverse=True)
    candidates = [(r, rule_scope(r, branch, category, item_type)) for r in rows]
    best, scope = candidates[0]
    if best.specificity == 0:
        why = _("Default rule #%(id)s (%(scope)s): no more specific rule fits.") % {"id": best.pk, "scope": scope}
    else:
        why = _("Rule #%(id)s (%(scope)s) is the most specific of %(count)s fitting rules.") % {
            "id": best.pk, "scope": scope, "count": len(rows)}
    return RuleMatch(rule=best, why=why, candidates=candidates)


@dataclass(frozen=True, slots=True)
class BlockReason:
    code: str  # card_expired, patron_blocked, overdue_items, fines_over_limit
    message: str


def balance(patron: Patron) -> Decimal:
    """What the patron owes (positive) or is owed (negative): the sum of the fine ledger."""
    total = FineEntry.objects.filter(patron=patron).aggregate(total=Sum("amount"))["total"]
    # SQLite sums decimals without their scale (4 instead of 4.00): always two places, as shown to people.
    return Decimal(total).quantize(Decimal("0.01")) if total is not None else Decimal("0.00")


def patron_blocks(patron: Patron, at: datetime, figures: PatronFigures | None = None) -> list[BlockReason]:
    """Why the patron may not borrow now, most serious first; an empty list means no block.
    `figures` (selectors.patron_figures for the same `at`) saves reading them again."""
    figures = figures or patron_figures(patron, at)
    reasons: list[BlockReason] = []
    if patron.is_expired(timezone.localdate(at)):
        reasons.append(BlockReason("card_expired", _("The card expired on %(date)s.")
                                   % {"date": date_format(patron.expires_on, "SHORT_DATE_FORMAT")}))
    if figures.blocked:
        for reason in patron.blocks.filter(lifted_at__isnull=True).order_by("created_at").values_list("reason",
                                                                                                      flat=True):
            reasons.append(BlockReason("patron_blocked", _("The patron is blocked: %(reason)s")
                                       % {"reason": reason}))
    category = patron.category
    if category.overdue_blocks:
        overdue = figures.overdue
        if overdue:
            reasons.append(BlockReason("overdue_items", _("The patron has %(count)s overdue item(s).")
                                       % {"count": overdue}))
    if category.fine_limit is not None:
        owed = figures.owed
        if owed > category.fine_limit:
            reasons.append(BlockReason("fines_over_limit",
                                       _("Fines of %(amount)s are over the limit of %(limit)s.")
                                       % {"amount": owed, "limit": category.fine_limit}))
    return reasons


@dataclass(frozen=True, slots=True)
class Decision:
    """A policy answer that explains itself: the same evaluation that said no says why."""

    allowed: bool
    code: str  # "ok" when allowed, else the stable refusal code
    message: str
    due_at: datetime | None = None
    rule_explanation: str = ""
    overridable: bool = False
    rule: CirculationRule | None = None
    refusals: tuple[tuple[str, str], ...] = ()  # every (code, message) found; the first is `code`
    # can_checkout: whether the patron has a live hold on the item's record (None: not known), and the
    # patron flags other apps registered (selectors.register_patron_flag), sent on with loan_checked_out.
    hold_on_record: bool | None = None
    patron_flags: dict[str, bool] | None = None

    @classmethod
    def refuse(cls, code: str, message: str) -> Decision:
        """A refusal found before any rule applied (nothing to override towards)."""
        return cls(False, code, message, overridable=code not in NOT_OVERRIDABLE, refusals=((code, message),))

    def may_proceed(self, *, override: bool, actor: Actor) -> bool:
        """Allowed, or refused only for reasons this actor asked to override and may override."""
        if self.allowed:
            return True
        return override and self.overridable and all(actor.may_override(code) for code, _m in self.refusals)


_ITEM_REFUSALS = {
    Item.Status.ON_LOAN: "item_on_loan",
    Item.Status.LOST: "item_lost",
    Item.Status.IN_TRANSIT: "item_in_transit",
    Item.Status.ON_HOLD_SHELF: "item_on_hold_shelf",
    Item.Status.NOT_FOR_LOAN: "item_not_loanable",
    Item.Status.DAMAGED: "item_not_loanable",
    Item.Status.WITHDRAWN: "item_not_loanable",
}


def _item_message(code: str, item: Item) -> str:
    messages = {
        "item_on_loan": _("Item %(barcode)s is already on loan."),
        "item_lost": _("Item %(barcode)s is recorded as lost; check it in first."),
        "item_in_transit": _("Item %(barcode)s is in transit; receive it first."),
        "item_on_hold_shelf": _("Item %(barcode)s is waiting on the hold shelf for another patron."),
        "item_not_loanable": _("Item %(barcode)s cannot be borrowed (%(status)s)."),
    }
    return messages[code] % {"barcode": str(item), "status": item.get_status_display()}


def _set_aside_for(patron: Patron, item: Item) -> bool:
    """Whether `item`, on the hold shelf, waits for `patron` (their hold is ready)."""
    from kitab.holds.policy import ready_hold_for  # holds builds on this module: imported when needed

    hold = ready_hold_for(item)
    return hold is not None and hold.patron_id == patron.pk


def can_checkout(patron: Patron, item: Item, *, at: datetime, branch: Branch | None = None) -> Decision:
    """May `patron` borrow `item` at `branch` (default: where the item is) at `at`, and until when.

    Checks in order: the item's status, the patron (anonymised, card, blocks, overdues, fines), then the rule
    (loanable at all, maximum loans). `code` and `message` give the first refusal and `refusals` all of them
    (an override must be allowed for each); `due_at` and the rule are filled in whenever a rule applies, so an
    authorised override knows the due date.
    """
    code = _ITEM_REFUSALS.get(item.status)  # type: ignore[call-overload]
    if code == "item_on_hold_shelf" and _set_aside_for(patron, item):
        code = None  # the patron collects their hold; checkout fulfils it (kitab.holds)
    if code in NOT_OVERRIDABLE:
        return Decision.refuse(code, _item_message(code, item))
    if patron.is_anonymised:
        return Decision.refuse("patron_anonymised", _("This patron record has been anonymised."))
    branch = branch or item.holding_branch
    match = rule_for(branch, patron.category, item.item_type)
    rule = match.rule
    due = calendar.due_at(branch, start=at, period=rule.loan_period, unit=rule.loan_unit)
    refusals: list[tuple[str, str]] = []
    if code:
        refusals.append((code, _item_message(code, item)))
    figures = patron_figures(patron, at, item_type_id=rule.item_type_id, hold_record_id=item.record_id)
    refusals.extend((block.code, block.message) for block in patron_blocks(patron, at, figures))
    if rule.loan_period == 0:
        refusals.append(("item_not_loanable",
                         _("Items of this type cannot be borrowed by this patron category here.")))
    count = figures.loans
    if count >= rule.max_loans:
        refusals.append(("max_loans_reached", _("The patron already has %(count)s of %(max)s loans allowed.")
                         % {"count": count, "max": rule.max_loans}))
    return _decide(refusals, due, match, hold_on_record=figures.hold_on_record, patron_flags=figures.flags)


def _decide(refusals: list[tuple[str, str]], due: datetime, match: RuleMatch,
            hold_on_record: bool | None = None, patron_flags: dict[str, bool] | None = None) -> Decision:
    if refusals:
        code, message = refusals[0]
        return Decision(False, code, message, due_at=due, rule_explanation=match.why,
                        overridable=all(c not in NOT_OVERRIDABLE for c, _m in refusals), rule=match.rule,
                        refusals=tuple(refusals), hold_on_record=hold_on_record, patron_flags=patron_flags)
    return Decision(True, "ok", _("Due %(due)s.") % {"due": date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT")},
                    due_at=due, rule_explanation=match.why, rule=match.rule, hold_on_record=hold_on_record,
                    patron_flags=patron_flags)


def can_renew(loan: Loan, *, at: datetime) -> Decision:
    """May `loan` be renewed at `at`, and until when.

    The renewal period counts from `at`, but a renewal never brings the due date forward. Overdue items do not
    block their own renewal; expiry, manual blocks and fines over the limit do.
    """
    if loan.status != Loan.Status.ON_LOAN:
        return Decision.refuse("loan_not_open", _("This loan is not open."))
    patron, item = loan.patron, loan.item
    if patron.is_anonymised:
        return Decision.refuse("patron_anonymised", _("This patron record has been anonymised."))
    match = rule_for(loan.branch, patron.category, item.item_type)
    rule = match.rule
    due = max(loan.due_at, calendar.due_at(loan.branch, start=at, period=rule.effective_renewal_period(),
                                           unit=rule.loan_unit))
    refusals = [(b.code, b.message) for b in patron_blocks(patron, at) if b.code != "overdue_items"]
    if loan.renewals >= rule.renewals_allowed:
        refusals.append(("no_renewals_left", _("No renewals left (%(used)s of %(allowed)s used).")
                         % {"used": loan.renewals, "allowed": rule.renewals_allowed}))
    from kitab.holds.policy import blocking_hold  # holds builds on this module: imported when needed

    if blocking_hold(item, patron=patron, at=at) is not None:
        refusals.append(("renewal_blocked_by_hold", _("Another patron is waiting for this title.")))
    return _decide(refusals, due, match)


def overdue_fine(loan: Loan, rule: CirculationRule, *, until: datetime) -> Decimal:
    """The overdue fine of `loan` if it ended at `until`: a fine per day late after the grace days, capped.

    Days late count calendar days (local time) from the due date, so returning a day loan at any time on the
    day after it was due is one day late; for hour loans every started 24 hours counts as a day.
    """
    if until <= loan.due_at or rule.fine_per_day <= 0:
        return Decimal("0.00")
    if rule.loan_unit == CirculationRule.Unit.HOURS:
        days = ceil((until - loan.due_at).total_seconds() / 86400)
    else:
        days = (timezone.localdate(until) - timezone.localdate(loan.due_at)).days
    chargeable = max(0, days - rule.grace_days)
    amount = rule.fine_per_day * chargeable
    if rule.fine_cap is not None:
        amount = min(amount, rule.fine_cap)
    return amount.quantize(Decimal("0.01"))
