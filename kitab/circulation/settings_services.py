"""Writes to the circulation settings: rules, a branch's opening week, closures, exceptional openings.

The staff rules and calendar pages (and any other adapter) parse their input and call these functions, which
validate, save, and record a SettingsChange (who, at which branch, through which channel, when, what) in the
same transaction. Saving goes through the model, so the settings cache token changes (receivers.py) and every
process sees the new rules at once.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.items.models import Branch

from .errors import CirculationError
from .models import BranchCalendar, CirculationRule, Closure, ExceptionalOpening, SettingsChange
from .policy import rule_scope

RULE_FIELDS = ("branch", "patron_category", "item_type", "loan_period", "loan_unit", "max_loans", "renewals_allowed",
               "renewal_period", "holds_allowed", "max_holds", "fine_per_day", "fine_cap", "grace_days",
               "lost_item_charge")
SCOPE_FIELDS = ("branch", "patron_category", "item_type")
MONEY_FIELDS = ("fine_per_day", "fine_cap", "lost_item_charge")


def _record(action: str, subject: str, values: dict[str, Any], *, actor: Actor, at: datetime) -> None:
    SettingsChange.objects.create(at=at, action=action, subject=subject[:300], values=values,
                                  **SettingsChange.audit(actor))


def _rule_values(rule: CirculationRule) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in RULE_FIELDS:
        value = getattr(rule, f"{name}_id") if name in SCOPE_FIELDS else getattr(rule, name)
        values[name] = str(value) if isinstance(value, Decimal) else value
    return values


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), _("The values are not valid."))


@transaction.atomic
def save_rule(*, rule: CirculationRule | None, values: dict[str, Any], actor: Actor, at: datetime) -> CirculationRule:
    """Create a rule (`rule=None`) or change `rule`, from `values` (the fields of RULE_FIELDS; the scope ones
    are Branch / PatronCategory / ItemType objects or None for "any"). Fields not given keep their value.

    Raises CirculationError: rule_exists (another rule has this branch × category × item type),
    default_rule_scope (the default rule must stay "any, any, any"), invalid_rule (a value out of range:
    the message says which), unknown_field."""
    unknown = sorted(set(values) - set(RULE_FIELDS))
    if unknown:
        raise CirculationError("unknown_field", _("Unknown rule field: %(name)s.") % {"name": unknown[0]})
    if rule is not None:
        rule = CirculationRule.objects.select_for_update().get(pk=rule.pk)
        was_default = rule.specificity == 0
    else:
        rule, was_default = CirculationRule(), False
    for name, value in values.items():
        setattr(rule, name, value)
    if was_default and rule.specificity != 0:
        raise CirculationError("default_rule_scope",
                               _("The default rule applies to any branch, category and item type; add a new rule "
                                 "for a narrower scope instead."))
    for name in ("loan_period", "max_loans", "renewals_allowed", "max_holds", "grace_days", "renewal_period"):
        value = getattr(rule, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise CirculationError("invalid_rule", _("%(field)s must be a whole number, zero or more.")
                                   % {"field": CirculationRule._meta.get_field(name).verbose_name})
    for name in MONEY_FIELDS:
        value = getattr(rule, name)
        if value is not None and Decimal(value) < 0:
            raise CirculationError("invalid_rule", _("%(field)s cannot be negative.")
                                   % {"field": CirculationRule._meta.get_field(name).verbose_name})
    if rule.fine_cap is not None and rule.fine_per_day and Decimal(rule.fine_cap) < Decimal(rule.fine_per_day):
        raise CirculationError("invalid_rule", _("The fine cap cannot be less than the fine for one day."))
    clash = CirculationRule.objects.filter(branch_id=rule.branch_id, patron_category_id=rule.patron_category_id,
                                           item_type_id=rule.item_type_id).exclude(pk=rule.pk)
    if clash.exists():
        raise CirculationError("rule_exists", _("A rule for this branch, category and item type already exists."))
    try:
        rule.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise CirculationError("invalid_rule", _first_message(error)) from None
    rule.save()
    _record(SettingsChange.Action.RULE_SAVED, _("Rule #%(id)s (%(scope)s)") % {"id": rule.pk, "scope": rule_scope(rule)},
            _rule_values(rule), actor=actor, at=at)
    return rule


@transaction.atomic
def delete_rule(rule: CirculationRule, *, actor: Actor, at: datetime) -> None:
    """Delete a rule; loans it governed follow the next most specific rule from now on.

    Raises CirculationError default_rule_required (the default rule cannot be deleted)."""
    rule = CirculationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.specificity == 0:
        # rule_for needs the default rule; without it no loan could be made anywhere.
        raise CirculationError("default_rule_required",
                               _("The default rule cannot be deleted; change its values instead."))
    subject = _("Rule #%(id)s (%(scope)s)") % {"id": rule.pk, "scope": rule_scope(rule)}
    values = _rule_values(rule)
    rule.delete()
    _record(SettingsChange.Action.RULE_DELETED, subject, values, actor=actor, at=at)


@transaction.atomic
def save_week(branch: Branch, *, open_weekdays: str, closes_at: time, actor: Actor, at: datetime) -> BranchCalendar:
    """Set the opening weekdays (ISO numbers, Monday = 1, e.g. "123456") and closing time of `branch`.

    Raises CirculationError invalid_calendar (no day, or a character that is not a weekday number)."""
    days = "".join(sorted(set(open_weekdays)))
    if not days or any(day not in "1234567" for day in days):
        raise CirculationError("invalid_calendar",
                               _("Choose at least one opening day (weekday numbers 1 to 7, Monday = 1)."))
    week, _created = BranchCalendar.objects.select_for_update().get_or_create(
        branch=branch, defaults={"open_weekdays": days, "closes_at": closes_at})
    week.open_weekdays, week.closes_at = days, closes_at
    week.save()
    _record(SettingsChange.Action.WEEK_SAVED, str(branch.name or branch.code),
            {"branch": branch.code, "open_weekdays": days, "closes_at": closes_at.strftime("%H:%M")},
            actor=actor, at=at)
    return week


@transaction.atomic
def add_closure(*, branch: Branch | None, name: str, start_date: date, end_date: date, actor: Actor,
                at: datetime) -> Closure:
    """A holiday at `branch` (None: every branch) from `start_date` to `end_date` inclusive. Loans due on those
    days move to the next open day (loans made from now on; existing due dates are kept).

    Raises CirculationError invalid_closure (no name, or the last day before the first)."""
    name = name.strip()
    if not name:
        raise CirculationError("invalid_closure", _("Give the closure a name."))
    if end_date < start_date:
        raise CirculationError("invalid_closure", _("The last day cannot be before the first day."))
    closure = Closure.objects.create(branch=branch, name=name, start_date=start_date, end_date=end_date)
    _record(SettingsChange.Action.CLOSURE_ADDED, name,
            {"branch": branch.code if branch else None, "start_date": start_date.isoformat(),
             "end_date": end_date.isoformat()}, actor=actor, at=at)
    return closure


@transaction.atomic
def remove_closure(closure: Closure, *, actor: Actor, at: datetime) -> None:
    """Remove a closure (the days become ordinary opening days again)."""
    values = {"branch": closure.branch.code if closure.branch_id else None,
              "start_date": closure.start_date.isoformat(), "end_date": closure.end_date.isoformat()}
    name = closure.name
    closure.delete()
    _record(SettingsChange.Action.CLOSURE_REMOVED, name, values, actor=actor, at=at)


@transaction.atomic
def add_opening(branch: Branch, *, day: date, name: str, actor: Actor, at: datetime) -> ExceptionalOpening:
    """`branch` opens on `day` although its week or a closure says it is closed (a Saturday exam session).

    Raises CirculationError invalid_opening (the branch already has an exceptional opening that day)."""
    if ExceptionalOpening.objects.filter(branch=branch, date=day).exists():
        raise CirculationError("invalid_opening", _("%(branch)s already opens exceptionally on %(date)s.")
                               % {"branch": branch.name or branch.code, "date": date_format(day, "SHORT_DATE_FORMAT")})
    opening = ExceptionalOpening.objects.create(branch=branch, date=day, name=name.strip())
    _record(SettingsChange.Action.OPENING_ADDED, name.strip() or day.isoformat(),
            {"branch": branch.code, "date": day.isoformat()}, actor=actor, at=at)
    return opening


@transaction.atomic
def remove_opening(opening: ExceptionalOpening, *, actor: Actor, at: datetime) -> None:
    """Remove an exceptional opening (the day follows the week and the closures again)."""
    values = {"branch": opening.branch.code, "date": opening.date.isoformat()}
    subject = opening.name or opening.date.isoformat()
    opening.delete()
    _record(SettingsChange.Action.OPENING_REMOVED, subject, values, actor=actor, at=at)
