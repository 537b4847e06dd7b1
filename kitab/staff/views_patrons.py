"""The staff Users module: find, register, edit, renew, block, merge and anonymise patrons; their fines.

Each view parses its form, builds the staff Actor and calls one patron or fine service; a refusal shows the
service's translated message on the same page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.circulation import fines, policy
from kitab.circulation import selectors as circulation_selectors
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import FineAllocation, FineEntry
from kitab.core import clock
from kitab.core.alphabetical import alphabetical
from kitab.holds import selectors as hold_selectors
from kitab.holds.models import Hold
from kitab.notices import services as notice_services
from kitab.patrons import selectors, services
from kitab.patrons.errors import PatronError
from kitab.patrons.models import Patron, PatronBlock

from .actors import holds, requires, staff_actor
from .forms import BlockForm, LedgerEntryForm, MergeForm, PatronForm, PatronSearchForm, PaymentForm, WaiveForm
from .views import staff_required


def _patron(pk: int) -> Patron:
    return get_object_or_404(Patron.objects.select_related("category", "home_branch", "guarantor"), pk=pk)


def patron_overview(patron: Patron) -> dict[str, Any]:
    """What the patron page and the desk page show at a glance (reads only)."""
    at = clock.now()
    loans = list(circulation_selectors.current_loans(patron).select_related("item__item_type"))
    for loan in loans:
        loan.overdue = loan.is_overdue(at)  # type: ignore[attr-defined]
    entries = list(circulation_selectors.fine_entries(patron))
    # Holds waiting on the shelf first: the librarian hands those over.
    holds = sorted(hold_selectors.patron_holds(patron), key=lambda hold: hold.status != Hold.Status.READY)
    # One query gives the counts, the balance and whether a manual block is active (the blocks themselves are
    # only read when there is one).
    figures = circulation_selectors.patron_figures(patron, at)
    manual_blocks = list(patron.blocks.filter(lifted_at__isnull=True).order_by("created_at")) if figures.blocked else []
    return {
        "patron": patron,
        "now": at,
        "loans": loans,
        "overdue_count": sum(1 for loan in loans if loan.overdue),  # type: ignore[attr-defined]
        "auto_blocks": [b for b in policy.patron_blocks(patron, at, figures) if b.code != "patron_blocked"],
        "manual_blocks": manual_blocks,
        "balance": figures.owed,
        "fine_entries": entries,
        "open_charges": [e for e in entries if e.kind in FineEntry.CHARGES and e.outstanding > 0],
        "holds": holds,
        "holds_ready": [hold for hold in holds if hold.status == Hold.Status.READY],
    }


@require_safe
@staff_required
@requires("patrons.view")
def patron_search(request: HttpRequest) -> HttpResponse:
    form = PatronSearchForm(request.GET or None)
    results: list[Patron] | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        # At most a page of patrons (search_patrons has a limit): sorted here, by surname, for the interface language.
        results = alphabetical(
            selectors.search_patrons(data["q"] or "", category=data["category"], branch=data["branch"]),
            key=lambda p: (p.last_name, p.first_name, p.card_number))
    return render(request, "staff/patron_search.html", {"form": form, "results": results})


@require_safe
@staff_required
@requires("patrons.view")
def patron_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patron = _patron(pk)
    context = patron_overview(patron)
    context["block_form"] = BlockForm()
    context["merge_form"] = MergeForm()
    context["may"] = {code.replace(".", "_"): holds(request, code)
                      for code in ("patrons.edit", "patrons.merge", "fines.manage")}
    context["lifted_blocks"] = list(patron.blocks.filter(lifted_at__isnull=False).order_by("-lifted_at")[:10])
    context["events"] = list(patron.events.order_by("-at", "-pk")[:50])
    return render(request, "staff/patron_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("patrons.edit")
def patron_register(request: HttpRequest) -> HttpResponse:
    form = PatronForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            patron = services.register_patron(**form.service_values(), actor=staff_actor(request), at=clock.now())
        except PatronError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Patron %(name)s registered with card %(card)s.")
                             % {"name": patron.full_name, "card": patron.card_number})
            return redirect("staff:patron_detail", pk=patron.pk)
    return render(request, "staff/patron_form.html", {"form": form, "patron": None})


@require_http_methods(["GET", "POST"])
@staff_required
@requires("patrons.edit")
def patron_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patron = _patron(pk)
    form = PatronForm(request.POST or None, initial=PatronForm.initial_for(patron), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patron(patron, **form.service_values(), actor=staff_actor(request), at=clock.now())
        except PatronError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The patron's details were saved."))
            return redirect("staff:patron_detail", pk=patron.pk)
    return render(request, "staff/patron_form.html", {"form": form, "patron": patron})


@require_POST
@staff_required
@requires("patrons.edit")
def patron_renew_card(request: HttpRequest, pk: int) -> HttpResponse:
    patron = _patron(pk)
    try:
        patron = services.renew_card(patron, actor=staff_actor(request), at=clock.now())
    except PatronError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The card now expires on %(date)s.") % {"date": date_format(patron.expires_on, "SHORT_DATE_FORMAT")})
    return redirect("staff:patron_detail", pk=patron.pk)


@require_POST
@staff_required
@requires("patrons.edit")
def patron_block(request: HttpRequest, pk: int) -> HttpResponse:
    patron = _patron(pk)
    form = BlockForm(request.POST)
    form.is_valid()
    try:
        services.block_patron(patron, reason=form.cleaned_data.get("reason", ""), actor=staff_actor(request),
                              at=clock.now())
    except PatronError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The patron is blocked."))
    return redirect("staff:patron_detail", pk=patron.pk)


@require_POST
@staff_required
@requires("patrons.edit")
def patron_unblock(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    patron = _patron(pk)
    block = PatronBlock.objects.filter(pk=block_pk).first()
    try:
        services.unblock_patron(patron, block=block or PatronBlock(pk=block_pk), actor=staff_actor(request),
                                at=clock.now())
    except PatronError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The block was lifted."))
    return redirect("staff:patron_detail", pk=patron.pk)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("patrons.merge")
def patron_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Step one (GET with other_card): show both records side by side; step two (POST confirm): merge."""
    keep = _patron(pk)
    form = MergeForm(request.POST if request.method == "POST" else (request.GET or None))
    other: Patron | None = None
    if form.is_bound and form.is_valid():
        other = form.cleaned_data["other_card"]
        if request.method == "POST" and request.POST.get("confirm") == "1":
            try:
                services.merge_patrons(keep=keep, remove=other, actor=staff_actor(request), at=clock.now())
            except PatronError as error:
                form.add_error(None, error.message)
                other = None
            else:
                messages.success(request, _("The duplicate record was merged into this one."))
                return redirect("staff:patron_detail", pk=keep.pk)
    context: dict[str, Any] = {"patron": keep, "form": form, "other": other}
    if other is not None:
        context["other_loans"] = circulation_selectors.current_loans(other).count()
        context["other_balance"] = fines.balance(other)
        context["keep_loans"] = circulation_selectors.current_loans(keep).count()
        context["keep_balance"] = fines.balance(keep)
    return render(request, "staff/patron_merge.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("patrons.merge")
def patron_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    patron = _patron(pk)
    error_message = ""
    if request.method == "POST":
        try:
            services.anonymise_patron(patron, actor=staff_actor(request), at=clock.now())
        except PatronError as error:
            error_message = error.message
        else:
            messages.success(request, _("The patron record was anonymised."))
            return redirect("staff:patron_detail", pk=patron.pk)
    return render(request, "staff/patron_anonymise.html", {"patron": patron, "error": error_message})


@require_http_methods(["GET", "POST"])
@staff_required
@requires("fines.manage")
def patron_fines(request: HttpRequest, pk: int) -> HttpResponse:
    """The fine account: the ledger, a payment form (partial payments allowed), a waiver per open charge, a
    manual charge and a credit."""
    patron = _patron(pk)
    pay_form = PaymentForm(request.POST if request.POST.get("action") == "pay" else None)
    waive_form = WaiveForm(request.POST if request.POST.get("action") == "waive" else None)
    charge_form = LedgerEntryForm(request.POST if request.POST.get("action") == "charge" else None, prefix="charge")
    credit_form = LedgerEntryForm(request.POST if request.POST.get("action") == "credit" else None, prefix="credit")
    error_message = ""
    if request.method == "POST":
        actor, at = staff_actor(request), clock.now()
        try:
            if pay_form.is_bound and pay_form.is_valid():
                receipt = fines.pay(patron, pay_form.cleaned_data["amount"], actor=actor, at=at,
                                    note=pay_form.cleaned_data["note"])
                request.session[f"kitab_receipt_balance_{receipt.entry_id}"] = str(receipt.balance_after)
                return redirect("staff:fine_receipt", pk=patron.pk, entry_pk=receipt.entry_id)
            if waive_form.is_bound and waive_form.is_valid():
                entry = FineEntry.objects.filter(pk=waive_form.cleaned_data["entry"], patron=patron).first()
                if entry is None:
                    error_message = _("This fine account entry does not exist.")
                else:
                    waiver = fines.waive(entry, actor=actor, at=at, reason=waive_form.cleaned_data["reason"])
                    return redirect("staff:fine_receipt", pk=patron.pk, entry_pk=waiver.pk)
            if charge_form.is_bound and charge_form.is_valid():
                entry = fines.charge(patron, charge_form.cleaned_data["amount"], actor=actor, at=at,
                                     note=charge_form.cleaned_data["note"])
                messages.success(request, _("Charge of %(amount)s added.") % {"amount": entry.amount})
                return redirect("staff:patron_fines", pk=patron.pk)
            if credit_form.is_bound and credit_form.is_valid():
                receipt = fines.credit(patron, credit_form.cleaned_data["amount"], actor=actor, at=at,
                                       note=credit_form.cleaned_data["note"])
                request.session[f"kitab_receipt_balance_{receipt.entry_id}"] = str(receipt.balance_after)
                return redirect("staff:fine_receipt", pk=patron.pk, entry_pk=receipt.entry_id)
        except CirculationError as error:
            error_message = error.message
    context = patron_overview(patron)
    context.update(pay_form=pay_form, waive_form=waive_form, charge_form=charge_form, credit_form=credit_form,
                   error=error_message,
                   waive_entry=request.POST.get("entry", ""))
    return render(request, "staff/patron_fines.html", context)


@require_safe
@staff_required
@requires("fines.manage")
def fine_receipt(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A printable receipt for one payment, waiver or credit, rebuilt from the ledger's allocation rows."""
    patron = _patron(pk)
    entry = get_object_or_404(
        FineEntry.objects.prefetch_related(
            Prefetch("allocations_made", queryset=FineAllocation.objects.select_related("debit__loan__item"))),
        pk=entry_pk, patron=patron, kind__in=[FineEntry.Kind.PAYMENT, FineEntry.Kind.WAIVER, FineEntry.Kind.CREDIT],
    )
    balance_after = request.session.pop(f"kitab_receipt_balance_{entry.pk}", None)
    context = {
        "patron": patron, "entry": entry, "amount": -entry.amount,
        "allocations": list(entry.allocations_made.all()),
        "balance_after": balance_after, "balance_now": fines.balance(patron),
    }
    return render(request, "staff/fine_receipt.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("patrons.view")
def patron_notices(request: HttpRequest, pk: int) -> HttpResponse:
    """The patron's notice log (what was mailed or is to be printed, with the text), the notices due now, and
    a button that sends those at once instead of waiting for the scheduled `kitab notices run`."""
    patron = _patron(pk)
    may_send = holds(request, "circulation.checkout") and not patron.is_anonymised
    if request.method == "POST":
        if not may_send:
            return render(request, "staff/no_permission.html", {"permission": "circulation.checkout"}, status=403)
        report = notice_services.run_notices(at=clock.now(), actor=staff_actor(request), patron=patron)
        sent, printed = report.count("sent"), report.count("no_address")
        failed = report.count("failed")
        if not report.notices:
            messages.info(request, _("No notice is due for this patron."))
        else:
            messages.success(request, _("Notices sent: %(sent)s; to print: %(printed)s; failed: %(failed)s.")
                             % {"sent": sent, "printed": printed, "failed": failed})
        return redirect("staff:patron_notices", pk=patron.pk)
    due = notice_services.run_notices(at=clock.now(), actor=staff_actor(request), dry_run=True, patron=patron)
    log = patron.notices.order_by("-sent_at", "-pk")[:200]
    return render(request, "staff/patron_notices.html", {"patron": patron, "log": log, "due": due.notices,
                                                         "may_send": may_send})
