"""Staff record lists: the lists page, one list with its batch actions (add a search's records, add to another
list, edit a field across all records, export, print labels, undo a batch edit), and "add to list" from a
record page. Each view calls one kitab.worklists service."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.catalogue.models import Record
from kitab.core.alphabetical import alphabetical
from kitab.core.errors import KitabError
from kitab.worklists import policy, selectors, services
from kitab.worklists.models import BatchEdit, RecordList

from .actors import requires, staff_actor
from .forms_copies import FieldEditForm, ListForm, SearchToListForm
from .views import staff_required

EXPORT_FORMATS = {"iso2709", "marcxml", "csv"}


def _usable(request: HttpRequest, pk: int) -> RecordList:
    record_list = get_object_or_404(RecordList.objects.select_related("owner"), pk=pk)
    if not policy.may_use(record_list, request.user.pk):
        raise Http404
    return record_list


@require_http_methods(["GET", "POST"])
@staff_required
@requires("catalogue.edit")
def lists(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_list(owner_id=request.user.pk, actor=staff_actor(request), **form.cleaned_data)
        except KitabError as error:
            form.add_error("name", error.message)
        else:
            return redirect("staff:list_detail", created.pk)
    return render(request, "worklists/lists.html", {
        "form": form, "lists": alphabetical(selectors.lists_for(request.user.pk), key=lambda rl: rl.name), "search_q": request.GET.get("q", "").strip(),
    })


@require_POST
@staff_required
@requires("catalogue.edit")
def add_search_to_list(request: HttpRequest) -> HttpResponse:
    """From OPAC search results (signed-in staff): every record the query finds, to a chosen or new list."""
    actor = staff_actor(request)
    query = request.POST.get("q", "").strip()
    try:
        # no list chosen: a new one, whose service refuses a missing name with its own message
        if request.POST.get("new_name", "").strip() or not request.POST.get("list"):
            target = services.create_list(owner_id=request.user.pk, name=request.POST["new_name"], actor=actor)
        else:
            target = _usable(request, int(request.POST.get("list") or 0))
        count = services.add_search_results(target, query, actor=actor)
    except KitabError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('staff:lists')}?{urlencode({'q': query})}")
    messages.success(request, ngettext("%(count)d record added.", "%(count)d records added.", count)
                     % {"count": count})
    return redirect("staff:list_detail", target.pk)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("catalogue.edit")
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record_list = _usable(request, pk)
    actor = staff_actor(request)
    action = request.POST.get("action", "")
    search_form = SearchToListForm(request.POST if action == "add_search" else None)
    edit_form = FieldEditForm(request.POST if action == "edit_field" else None)
    settings_form = ListForm(request.POST if action == "settings" else None, initial={
        "name": record_list.name, "description": record_list.description, "shared": record_list.shared})
    result = None
    if request.method == "POST":
        try:
            if action == "remove":
                ids = [int(v) for v in request.POST.getlist("record") if v.isdigit()]
                count = services.remove_records(record_list, ids, actor=actor)
                messages.success(request, ngettext("%(count)d record removed from the list.",
                                                   "%(count)d records removed from the list.", count)
                                 % {"count": count})
                return redirect("staff:list_detail", pk)
            if action == "add_search" and search_form.is_valid():
                count = services.add_search_results(record_list, search_form.cleaned_data["q"], actor=actor)
                messages.success(request, ngettext("%(count)d record added.", "%(count)d records added.", count)
                                 % {"count": count})
                return redirect("staff:list_detail", pk)
            if action == "copy_to":
                target = _usable(request, int(request.POST.get("target") or 0))
                count = services.add_to_other_list(record_list, target, actor=actor)
                messages.success(request, ngettext(
                    "%(count)d record added to %(name)s.", "%(count)d records added to %(name)s.", count)
                    % {"count": count, "name": target.name})
                return redirect("staff:list_detail", pk)
            if action == "edit_field" and edit_form.is_valid():
                data = edit_form.cleaned_data
                result = services.edit_field(record_list, services.FieldEdit(
                    data["tag"].strip(), data["code"].strip(), data["operation"], data["value"], data["match"]),
                    actor=actor)
                edit_form = FieldEditForm()
            if action == "settings" and settings_form.is_valid():
                if not policy.may_manage(record_list, request.user.pk):
                    raise Http404
                services.update_list(record_list, actor=actor, **settings_form.cleaned_data)
                messages.success(request, _("List saved."))
                return redirect("staff:list_detail", pk)
            if action == "delete" and policy.may_manage(record_list, request.user.pk):
                services.delete_list(record_list, actor=actor)
                messages.success(request, _("List deleted."))
                return redirect("staff:lists")
        except KitabError as error:
            messages.error(request, error.message)
    other_lists = [lst for lst in selectors.lists_for(request.user.pk) if lst.pk != record_list.pk]
    return render(request, "worklists/detail.html", {
        "record_list": record_list, "entries": selectors.entries(record_list), "search_form": search_form,
        "edit_form": edit_form, "settings_form": settings_form, "other_lists": other_lists, "result": result,
        "batches": record_list.batch_edits.all()[:10], "may_manage": policy.may_manage(record_list, request.user.pk),
    })


@require_safe
@staff_required
@requires("catalogue.edit")
def list_export(request: HttpRequest, pk: int) -> HttpResponse:
    from kitab.catalogue import exporting

    record_list = _usable(request, pk)
    fmt = request.GET.get("format", "iso2709")
    if fmt not in EXPORT_FORMATS:
        fmt = "iso2709"
    stream = exporting.iter_export(fmt, exporting.Selection(list_id=record_list.pk),
                                   with_items=request.GET.get("items") == "1")
    response = StreamingHttpResponse(stream, content_type=exporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="list-{record_list.pk}.{exporting.EXTENSIONS[fmt]}"'
    return response


@require_POST
@staff_required
@requires("catalogue.edit")
def list_undo(request: HttpRequest, pk: int, batch_pk: int) -> HttpResponse:
    record_list = _usable(request, pk)
    batch = get_object_or_404(BatchEdit, pk=batch_pk, record_list=record_list)
    try:
        undone = services.undo_batch_edit(batch, actor=staff_actor(request))
    except KitabError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("%(count)d record restored.", "%(count)d records restored.",
                                           undone.restored) % {"count": undone.restored})
        if undone.changed_since:
            messages.warning(request, _("Changed again since, so left as they are: %(ids)s.")
                             % {"ids": ", ".join(f"#{i}" for i in undone.changed_since)})
    return redirect("staff:list_detail", pk)


@require_POST
@staff_required
@requires("catalogue.edit")
def add_to_list(request: HttpRequest) -> HttpResponse:
    """From a record page: add the record(s) to a chosen list, or to a new list named here."""
    actor = staff_actor(request)
    ids = [int(v) for v in request.POST.getlist("record") if v.isdigit()]
    back = request.POST.get("next") or reverse("staff:lists")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("staff:lists")
    try:
        if request.POST.get("new_name", "").strip() or not request.POST.get("list"):
            target = services.create_list(owner_id=request.user.pk, name=request.POST.get("new_name", ""), actor=actor)
        else:
            target = _usable(request, int(request.POST.get("list") or 0))
        count = services.add_records(target, ids, actor=actor)
    except KitabError as error:
        messages.error(request, error.message)
        return redirect(back)
    if count:
        messages.success(request, ngettext("%(count)d record added to %(name)s.",
                                           "%(count)d records added to %(name)s.", count)
                         % {"count": count, "name": target.name})
    elif Record.objects.filter(pk__in=ids).exists():
        messages.info(request, _("Already on the list %(name)s.") % {"name": target.name})
    return redirect(back)
