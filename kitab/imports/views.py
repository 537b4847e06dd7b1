"""Staff pages for staged imports and exports: thin adapters over kitab.imports.services and
kitab.catalogue.exporting. Every page needs the catalogue.edit permission."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kitab.catalogue import exporting
from kitab.core import clock
from kitab.core.alphabetical import alphabetical
from kitab.staff.actors import requires, staff_actor
from kitab.staff.views import staff_required

from . import jobs, services
from .errors import ImportBatchError
from .models import BatchRecord, ImportBatch

PERMISSION = "catalogue.edit"
REPORT_PAGE = 100


class OptionsForm(forms.Form):
    match_rule = forms.ChoiceField(label=gettext_lazy("Match incoming records on"),
                                   choices=ImportBatch.MatchRule.choices)
    on_match = forms.ChoiceField(label=gettext_lazy("When a record matches"), choices=ImportBatch.OnMatch.choices,
                                 widget=forms.RadioSelect)
    with_items = forms.BooleanField(label=gettext_lazy("Create copies from 952/852/949 fields"), required=False)
    encoding = forms.CharField(label=gettext_lazy("Character set (only for old files without one)"), max_length=32,
                               required=False, help_text=gettext_lazy("e.g. cp1251, cp866, latin-1; leave empty"))


class StageForm(OptionsForm):
    upload = forms.FileField(label=gettext_lazy("Upload a file"), required=False)
    server_path = forms.CharField(label=gettext_lazy("Or a file on the server"), max_length=1000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["server_path"].help_text = _("A file in the import folder %(folder)s") % {
            "folder": services.inbox_dir()}
        self.fields["match_rule"].initial = ImportBatch.MatchRule.CONTROL
        self.fields["on_match"].initial = ImportBatch.OnMatch.REPLACE
        self.fields["with_items"].initial = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("upload")) == bool(data.get("server_path")):
            raise forms.ValidationError(_("Upload a file or give the name of a file on the server (one of them)."),
                                        code="one_source")
        return data


class ExportForm(forms.Form):
    SELECTIONS = [
        ("all", gettext_lazy("The whole catalogue")),
        ("query", gettext_lazy("The records a search finds")),
        ("ids", gettext_lazy("Record ids")),
        ("list", gettext_lazy("A staff list")),
    ]
    selection = forms.ChoiceField(label=gettext_lazy("Export"), choices=SELECTIONS, initial="all",
                                  widget=forms.RadioSelect)
    query = forms.CharField(label=gettext_lazy("Search"), max_length=500, required=False)
    ids = forms.CharField(label=gettext_lazy("Record ids"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                          help_text=gettext_lazy("Separated by commas, spaces or new lines"))
    record_list = forms.TypedChoiceField(label=gettext_lazy("Staff list"), required=False, coerce=int,
                                         empty_value=None)
    fmt = forms.ChoiceField(label=gettext_lazy("Format"), initial="iso2709", choices=[
        ("iso2709", gettext_lazy("MARC 21 (ISO 2709)")), ("marcxml", gettext_lazy("MARCXML")),
        ("csv", gettext_lazy("CSV (spreadsheet)")),
    ])
    with_items = forms.BooleanField(label=gettext_lazy("Include copies (as 952 fields; CSV: barcode columns)"),
                                    required=False)

    def __init__(self, *args: Any, lists: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_list"].choices = [("", "—"), *(lists or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        selection = data.get("selection")
        if selection == "query":
            self._check_query(data.get("query") or "")
        if selection == "list" and not data.get("record_list"):
            self.add_error("record_list", _("Choose a list."))
        if selection == "ids":
            try:
                data["id_list"] = [int(part) for part in (data.get("ids") or "").replace(",", " ").split()]
            except ValueError:
                self.add_error("ids", _("Record ids are numbers."))
            else:
                if not data["id_list"]:
                    self.add_error("ids", _("Enter at least one record id."))
        return data


    def _check_query(self, query: str) -> None:
        from kitab.search.services import SearchRequest, search
        from kitab.search.types import QuerySyntaxError

        if not query.strip():
            self.add_error("query", _("Enter a search."))
            return
        try:
            search(SearchRequest(query=query, limit=1, facets=False))
        except QuerySyntaxError as exc:
            self.add_error("query", str(exc))


def _staff_lists(request: HttpRequest) -> list[tuple[int, str]]:
    from django.apps import apps
    from django.db.models import Q

    if not apps.is_installed("kitab.worklists"):
        return []
    from kitab.worklists.models import RecordList

    lists = RecordList.objects.filter(Q(owner=request.user) | Q(shared=True)).order_by("name")
    return [(record_list.pk, record_list.name) for record_list in alphabetical(lists, key=lambda rl: rl.name)]


@require_safe
@staff_required
@requires(PERMISSION)
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = Paginator(ImportBatch.objects.order_by("-staged_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"batches": batches, "form": StageForm()})


@require_POST
@staff_required
@requires(PERMISSION)
def batch_stage(request: HttpRequest) -> HttpResponse:
    form = StageForm(request.POST, request.FILES)
    if not form.is_valid():
        batches = Paginator(ImportBatch.objects.order_by("-staged_at", "-pk"), 25).get_page(1)
        return render(request, "imports/batch_list.html", {"batches": batches, "form": form}, status=400)
    data = form.cleaned_data
    options = {"match_rule": data["match_rule"], "on_match": data["on_match"], "with_items": data["with_items"],
               "encoding": data["encoding"].strip()}
    try:
        if data.get("upload"):
            upload = data["upload"]
            batch = services.stage_upload(upload.chunks(), name=upload.name, actor=staff_actor(request), **options)
        else:
            path = Path(data["server_path"].strip())
            if not path.is_absolute():
                path = services.inbox_dir() / path
            batch = services.stage_file(path, actor=staff_actor(request), allowed_dir=services.inbox_dir(),
                                        **options)
    except ImportBatchError as exc:
        form.add_error(None, exc.message)
        batches = Paginator(ImportBatch.objects.order_by("-staged_at", "-pk"), 25).get_page(1)
        return render(request, "imports/batch_list.html", {"batches": batches, "form": form}, status=400)
    return redirect("imports:batch_detail", pk=batch.pk)


@require_safe
@staff_required
@requires(PERMISSION)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    context: dict[str, Any] = {"batch": batch, "Status": ImportBatch.Status, "jobs_mode": jobs.mode()}
    if batch.status == ImportBatch.Status.STAGED:
        context["options"] = OptionsForm(initial={"match_rule": batch.match_rule, "on_match": batch.on_match,
                                                  "with_items": batch.with_items, "encoding": batch.encoding})
        try:
            context["preview"] = services.preview(batch)
        except ImportBatchError as exc:
            context["preview_error"] = exc.message
    else:
        action = request.GET.get("action", "")
        rows = batch.records.order_by("position")
        if action in BatchRecord.Action.values:
            rows = rows.filter(action=action)
        elif action == "duplicates":
            rows = rows.exclude(duplicates=[])
        context["action"] = action
        context["rows"] = Paginator(rows, REPORT_PAGE).get_page(request.GET.get("page"))
        context["actions"] = BatchRecord.Action.choices
        if batch.status in (ImportBatch.Status.FINISHED, ImportBatch.Status.FAILED):
            context["undo_problems"] = services.undo_problems(batch)
    return render(request, "imports/batch_detail.html", context)


@require_safe
@staff_required
@requires(PERMISSION)
def batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    return JsonResponse({
        "status": batch.status, "status_label": batch.get_status_display(), "percent": batch.percent,
        "done": batch.done, "added": batch.added, "updated": batch.updated, "skipped": batch.skipped,
        "rejected": batch.rejected, "active": batch.is_active,
    })


@require_POST
@staff_required
@requires(PERMISSION)
def batch_options(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    form = OptionsForm(request.POST)
    if form.is_valid():
        try:
            services.set_options(batch, actor=staff_actor(request), match_rule=form.cleaned_data["match_rule"],
                                 on_match=form.cleaned_data["on_match"], with_items=form.cleaned_data["with_items"],
                                 encoding=form.cleaned_data["encoding"].strip())
        except ImportBatchError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a matching rule and an action."))
    return redirect("imports:batch_detail", pk=batch.pk)


@require_POST
@staff_required
@requires(PERMISSION)
def batch_run(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    # Only a failed batch is resumed from here: a "running" one may really be running in another process, and
    # only an operator who knows that process ended resumes it (`kitab batches run ID --resume`).
    resume = batch.status == ImportBatch.Status.FAILED
    try:
        jobs.start(batch, actor=staff_actor(request), resume=resume)
    except ImportBatchError as exc:
        messages.error(request, exc.message)
    return redirect("imports:batch_detail", pk=batch.pk)


@require_POST
@staff_required
@requires(PERMISSION)
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        report = services.undo_batch(batch, actor=staff_actor(request), at=clock.now())
    except ImportBatchError as exc:
        messages.error(request, exc.message)
        for problem in exc.problems[:20]:
            messages.error(request, problem)
        return redirect("imports:batch_detail", pk=batch.pk)
    messages.success(request, _("Batch undone. Records deleted: %(deleted)s; records restored: %(restored)s.")
                     % {"deleted": report.deleted, "restored": report.restored})
    return redirect("imports:batch_detail", pk=batch.pk)


@require_POST
@staff_required
@requires(PERMISSION)
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        services.delete_batch(batch, actor=staff_actor(request))
    except ImportBatchError as exc:
        messages.error(request, exc.message)
        return redirect("imports:batch_detail", pk=batch.pk)
    messages.success(request, _("The staged file was discarded."))
    return redirect("imports:batch_list")


@require_safe
@staff_required
@requires(PERMISSION)
def export(request: HttpRequest) -> HttpResponse:
    lists = _staff_lists(request)
    if "fmt" not in request.GET:
        return render(request, "imports/export.html", {"form": ExportForm(lists=lists)})
    form = ExportForm(request.GET, lists=lists)
    if not form.is_valid():
        return render(request, "imports/export.html", {"form": form}, status=400)
    data = form.cleaned_data
    selection = exporting.Selection()
    if data["selection"] == "query":
        selection = exporting.Selection(query=data["query"])
    elif data["selection"] == "ids":
        selection = exporting.Selection(ids=tuple(data["id_list"]))
    elif data["selection"] == "list":
        selection = exporting.Selection(list_id=data["record_list"])
    fmt = data["fmt"]
    response = StreamingHttpResponse(exporting.iter_export(fmt, selection, with_items=data["with_items"]),
                                     content_type=exporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="kitab-export-{clock.now():%Y%m%d-%H%M}.{exporting.EXTENSIONS[fmt]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
