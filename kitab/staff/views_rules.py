"""Circulation rules, the "what would happen" tester, and branch calendars.

The forms parse the input; every write goes through kitab.circulation.settings_services, which validates it
and records who changed what. Changing them needs the staff permission rules.edit; every staff member may
read them and use the tester.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kitab.circulation import calendar, policy, settings_services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import BranchCalendar, CirculationRule, Closure, ExceptionalOpening
from kitab.core import clock
from kitab.core.alphabetical import alphabetical
from kitab.items.models import Branch

from .actors import desk_branch, holds, staff_actor
from .forms import CalendarForm, ClosureForm, OpeningForm, RuleForm, RuleTesterForm
from .views import staff_required

RULE_PERMISSION = CALENDAR_PERMISSION = "rules.edit"
RULE_FIELDS = settings_services.RULE_FIELDS


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/no_permission.html", {"permission": RULE_PERMISSION}, status=403)


@require_safe
@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    rows = (CirculationRule.objects.select_related("branch", "patron_category", "item_type")
            .order_by(F("branch__name").asc(nulls_first=True), F("patron_category__code").asc(nulls_first=True),
                      F("item_type__code").asc(nulls_first=True), "pk"))
    return render(request, "staff/rules.html", {"rules": rows, "may_edit": holds(request, RULE_PERMISSION)})


@require_http_methods(["GET", "POST"])
@staff_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not holds(request, RULE_PERMISSION):
        return _refuse(request)
    rule = get_object_or_404(CirculationRule, pk=pk) if pk is not None else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        try:
            saved = settings_services.save_rule(rule=rule, values=values, actor=staff_actor(request), at=clock.now())
        except CirculationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Rule #%(id)s saved.") % {"id": saved.pk})
            return redirect("staff:rules")
    return render(request, "staff/rule_form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
@staff_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not holds(request, RULE_PERMISSION):
        return _refuse(request)
    rule = get_object_or_404(CirculationRule.objects.select_related("branch", "patron_category", "item_type"), pk=pk)
    if request.method == "POST":
        try:
            settings_services.delete_rule(rule, actor=staff_actor(request), at=clock.now())
        except CirculationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Rule #%(id)s deleted.") % {"id": pk})
        return redirect("staff:rules")
    return render(request, "staff/rule_delete.html", {"rule": rule, "scope": policy.rule_scope(rule)})


@require_safe
@staff_required
def rule_tester(request: HttpRequest) -> HttpResponse:
    """Which rule applies to a branch × category × item type, and, for a patron and an item, whether the loan
    would be allowed now, until when, and why not."""
    form = RuleTesterForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        patron, item = data["patron"], data["item"]
        branch = data["branch"]
        category = patron.category if patron else data["category"]
        item_type = item.item_type if item else data["item_type"]
        if item is not None and branch is None:
            branch = item.holding_branch
        at = clock.now()
        context.update(branch=branch, category=category, item_type=item_type, at=at)
        try:
            match = policy.rule_for(branch, category, item_type)
            context["match"] = match
            if branch is not None:
                rule = match.rule
                context["due"] = calendar.due_at(branch, start=at, period=rule.loan_period, unit=rule.loan_unit)
            if patron is not None and item is not None:
                context["decision"] = policy.can_checkout(patron, item, at=at, branch=branch)
                context["patron"], context["item"] = patron, item
        except CirculationError as error:
            context["config_error"] = error.message
    return render(request, "staff/rule_tester.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def branch_calendar(request: HttpRequest) -> HttpResponse:
    """One branch's opening weekdays and closing time, and the closures that affect it."""
    branch = desk_branch(request)
    chosen = request.GET.get("branch")
    if chosen:
        branch = Branch.objects.filter(code=chosen).first() or branch
    if branch is None:
        return render(request, "staff/calendar.html", {"branch": None})
    week = BranchCalendar.objects.filter(branch=branch).first() or BranchCalendar(branch=branch)
    action = request.POST.get("action")
    calendar_form = CalendarForm(request.POST if action == "week" else None, instance=week)
    closure_form = ClosureForm(request.POST if action == "add_closure" else None, initial={"branch": branch.pk})
    opening_form = OpeningForm(request.POST if action == "add_opening" else None)
    if request.method == "POST":
        if not holds(request, CALENDAR_PERMISSION):
            return _refuse(request)
        actor, at = staff_actor(request), clock.now()
        try:
            if action == "week" and calendar_form.is_valid():
                data = calendar_form.cleaned_data
                settings_services.save_week(branch, open_weekdays="".join(data["open_days"]),
                                            closes_at=data["closes_at"], actor=actor, at=at)
                messages.success(request, _("Opening hours of %(branch)s saved.") % {"branch": branch.name})
                return redirect(f"{request.path}?branch={branch.code}")
            if action == "add_closure" and closure_form.is_valid():
                data = closure_form.cleaned_data
                closure = settings_services.add_closure(branch=data["branch"], name=data["name"],
                                                        start_date=data["start_date"], end_date=data["end_date"],
                                                        actor=actor, at=at)
                messages.success(request, _("Closure “%(name)s” added.") % {"name": closure.name})
                return redirect(f"{request.path}?branch={branch.code}")
            if action == "add_opening" and opening_form.is_valid():
                data = opening_form.cleaned_data
                settings_services.add_opening(branch, day=data["date"], name=data["name"], actor=actor, at=at)
                messages.success(request, _("%(branch)s opens exceptionally on %(date)s.")
                                 % {"branch": branch.name, "date": date_format(data["date"], "SHORT_DATE_FORMAT")})
                return redirect(f"{request.path}?branch={branch.code}")
        except CirculationError as error:
            forms = {"week": calendar_form, "add_closure": closure_form, "add_opening": opening_form}
            forms.get(action, closure_form).add_error(None, error.message)
        if action == "remove_opening":
            raw = str(request.POST.get("opening", ""))
            opening = ExceptionalOpening.objects.filter(pk=raw if raw.isdigit() else None, branch=branch).first()
            if opening is None:
                messages.error(request, _("This exceptional opening does not exist."))
            else:
                settings_services.remove_opening(opening, actor=actor, at=at)
                messages.success(request, _("The exceptional opening on %(date)s was removed.")
                                 % {"date": date_format(opening.date, "SHORT_DATE_FORMAT")})
            return redirect(f"{request.path}?branch={branch.code}")
        if action == "remove_closure":
            closure = Closure.objects.filter(pk=request.POST.get("closure") if str(
                request.POST.get("closure", "")).isdigit() else None).first()
            if closure is None:
                messages.error(request, _("This closure does not exist."))
            else:
                settings_services.remove_closure(closure, actor=actor, at=at)
                messages.success(request, _("Closure “%(name)s” removed.") % {"name": closure.name})
            return redirect(f"{request.path}?branch={branch.code}")
    closures = (Closure.objects.filter(branch=branch) | Closure.objects.filter(branch__isnull=True))
    context = {
        "branch": branch, "branches": alphabetical(Branch.objects.order_by("name", "code"), key=lambda b: b.name), "week": week,
        "calendar_form": calendar_form, "closure_form": closure_form, "opening_form": opening_form,
        "openings": ExceptionalOpening.objects.filter(branch=branch).order_by("-date"),
        "closures": closures.select_related("branch").order_by("-start_date", "pk"),
        "may_edit": holds(request, CALENDAR_PERMISSION),
    }
    return render(request, "staff/calendar.html", context)

