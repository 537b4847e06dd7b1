"""The copies workbench: copy search, a record's copies, the add-copies wizard, editing one copy, and batch
actions over selected copies (edit, withdraw, lost, damaged, back on the shelf, delete, labels).

Each view parses its form, builds the staff Actor and calls one kitab.items service; a refusal shows the
service's translated message on the same page and changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.catalogue.display import display_record, record_from_raw
from kitab.catalogue.models import Record
from kitab.circulation.errors import CirculationError
from kitab.core.redirects import safe_next
from kitab.items import selectors, services
from kitab.items.errors import ItemError
from kitab.items.models import Item

from .actors import desk_branch, holds, requires, staff_actor
from .forms_copies import AddCopiesForm, BatchEditForm, CopySearchForm, EditCopyForm, StatusNoteForm
from .views import staff_required

PAGE_SIZE = 50
# Batch actions: the service, whether it needs a note, and the confirm button's text.
NOTE_REQUIRED = {"withdraw", "damaged"}
ACTIONS = ("edit", "withdraw", "lost", "damaged", "restore", "delete", "labels")


def _title(record: Record) -> str:
    if not record.raw:
        return record.title
    return display_record(record_from_raw(record.raw)).title.text or record.title


@require_safe
@staff_required
def copy_search(request: HttpRequest) -> HttpResponse:
    form = CopySearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = selectors.CopyQuery(barcode=data["barcode"], call_number=data["call_number"], branch=data["branch"],
                                    status=data["status"], added_from=data["added_from"], added_to=data["added_to"])
        if not query.is_empty():
            page = Paginator(selectors.search_copies(query), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "staff/copies/search.html", {
        "form": form, "page": page, "query_string": params.urlencode(), "may_edit": holds(request, "catalogue.edit"),
        "here": request.get_full_path(),
    })


@require_safe
@staff_required
def record_copies(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    copies = list(selectors.search_copies(selectors.CopyQuery(record_id=record.pk)).order_by("call_number", "barcode"))
    added = {int(value) for value in request.GET.getlist("added") if value.isdigit()}
    return render(request, "staff/copies/record.html", {
        "record": record, "title": _title(record), "copies": copies, "may_edit": holds(request, "catalogue.edit"),
        "here": reverse("staff:record_copies", args=[record.pk]), "added": added,
    })


@require_http_methods(["GET", "POST"])
@staff_required
@requires("catalogue.edit")
def add_copies(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    last = Item.objects.filter(record=record).order_by("-pk").first()
    initial = {"home_branch": desk_branch(request), "pattern": services.default_pattern()}
    if last is not None:  # a second batch of copies usually shelves like the first
        initial.update(location=last.location, call_number=last.call_number, item_type=last.item_type)
    form = AddCopiesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = services.CopyDetails(home_branch=data["home_branch"], location=data["location"],
                                       call_number=data["call_number"], item_type=data["item_type"],
                                       price=data["price"], acquisition_source=data["acquisition_source"],
                                       loanable=data["loanable"])
        mode = data["barcode_mode"]
        try:
            if mode == "range":
                barcodes: list[str] | None = services.barcodes_in_range(data["barcode_range"])
            elif mode == "list":
                barcodes = form.barcode_list()
            else:
                barcodes = None
            created = services.add_copies(record, details=details, barcodes=barcodes, count=data["count"] or 1,
                                          pattern=data["pattern"] if mode == "pattern" else None,
                                          actor=staff_actor(request))
        except ItemError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, ngettext("%(count)d copy added.", "%(count)d copies added.", len(created))
                             % {"count": len(created)})
            url = reverse("staff:record_copies", args=[record.pk])
            return redirect(f"{url}?{urlencode([('added', item.pk) for item in created])}")
    return render(request, "staff/copies/add.html", {"record": record, "title": _title(record), "form": form})


@require_http_methods(["GET", "POST"])
@staff_required
@requires("catalogue.edit")
def copy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("record"), pk=pk)
    initial = {"home_branch": item.home_branch, "holding_branch": item.holding_branch, "location": item.location,
               "call_number": item.call_number, "item_type": item.item_type, "price": item.price,
               "acquisition_source": item.acquisition_source, "loanable": item.status != Item.Status.NOT_FOR_LOAN}
    form = EditCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        if item.status not in (Item.Status.AVAILABLE, Item.Status.NOT_FOR_LOAN):
            changes.pop("loanable")
        try:
            services.update_copies([item], changes=changes, actor=staff_actor(request))
        except ItemError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Copy %(barcode)s saved.") % {"barcode": str(item)})
            return redirect(safe_next(request, reverse("staff:record_copies", args=[item.record_id])))
    return render(request, "staff/copies/edit.html", {"item": item, "title": _title(item.record), "form": form,
                                                      "next": safe_next(request, "")})


def _selected(request: HttpRequest) -> list[Item]:
    ids = [int(value) for value in request.POST.getlist("item") if value.isdigit()]
    return list(Item.objects.select_related("record", "home_branch", "holding_branch").filter(pk__in=ids)
                .order_by("call_number", "barcode"))


@require_POST
@staff_required
@requires("catalogue.edit")
def copies_batch(request: HttpRequest) -> HttpResponse:
    """Step 1 (from a copy table): the chosen action and copies; step 2 (`confirmed`): run it."""
    action = request.POST.get("action", "")
    items = _selected(request)
    back = safe_next(request, reverse("staff:copy_search"))
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do with the selected copies."))
        return redirect(back)
    if not items:
        messages.error(request, _("Select at least one copy."))
        return redirect(back)
    if action == "labels":
        return redirect(f"{reverse('staff:labels')}?{urlencode([('item', item.pk) for item in items])}")
    form: BatchEditForm | StatusNoteForm = BatchEditForm(request.POST if "confirmed" in request.POST else None) \
        if action == "edit" else StatusNoteForm(request.POST if "confirmed" in request.POST else None)
    if "confirmed" in request.POST and form.is_valid():
        actor = staff_actor(request)
        try:
            if action == "edit":
                count = services.update_copies(items, changes=form.changes(), actor=actor)  # type: ignore[union-attr]
            elif action == "withdraw":
                count = services.withdraw(items, reason=form.cleaned_data["note"], actor=actor)
            elif action == "damaged":
                count = services.mark_damaged(items, note=form.cleaned_data["note"], actor=actor)
            elif action == "lost":
                count = services.mark_lost(items, note=form.cleaned_data["note"], actor=actor)
            elif action == "restore":
                count = services.restore(items, actor=actor)
            else:
                count = services.delete_copies(items, actor=actor)
        except (ItemError, CirculationError) as error:
            form.add_error(None, error.message)
        else:
            done = {
                "edit": ngettext("%(count)d copy changed.", "%(count)d copies changed.", count),
                "withdraw": ngettext("%(count)d copy withdrawn.", "%(count)d copies withdrawn.", count),
                "damaged": ngettext("%(count)d copy marked damaged.", "%(count)d copies marked damaged.", count),
                "lost": ngettext("%(count)d copy marked lost.", "%(count)d copies marked lost.", count),
                "restore": ngettext("%(count)d copy back on the shelf.", "%(count)d copies back on the shelf.",
                                    count),
                "delete": ngettext("%(count)d copy deleted.", "%(count)d copies deleted.", count),
            }
            messages.success(request, done[action] % {"count": count})
            return redirect(back)
    return render(request, "staff/copies/batch.html", {
        "action": action, "items": items, "form": form, "next": back, "note_required": action in NOTE_REQUIRED,
    })
