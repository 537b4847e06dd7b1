"""Copy cataloguing: search remote Z39.50 and SRU targets side by side, preview their records, see which local
records they may duplicate, and import one (kitab.copycat.services). Needs the catalogue.edit permission."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kitab.catalogue.display import display_record, marc_lines
from kitab.catalogue.models import Record
from kitab.copycat import selectors, services
from kitab.copycat.clients import QueryFields
from kitab.copycat.errors import CopycatError
from kitab.copycat.models import RemoteTarget
from kitab.copycat.records import RemoteRecord
from kitab.core.redirects import safe_target

from .actors import requires, staff_actor
from .views import staff_required

PERMISSION = "catalogue.edit"


class CopycatSearchForm(forms.Form):
    targets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Targets"), queryset=RemoteTarget.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=True,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    author = forms.CharField(label=gettext_lazy("Author"), max_length=300, required=False)
    isbn = forms.CharField(label=gettext_lazy("ISBN"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = selectors.enabled_targets()
        self.fields["targets"].queryset = targets  # type: ignore[attr-defined]
        self.fields["targets"].initial = list(targets)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.query_fields(data):
            raise forms.ValidationError(_("Enter a title, an author or an ISBN."), code="empty_query")
        return data

    @staticmethod
    def query_fields(data: dict[str, Any]) -> QueryFields:
        return QueryFields(title=data.get("title") or "", author=data.get("author") or "", isbn=data.get("isbn") or "")


def _preview(remote: RemoteRecord) -> dict[str, Any]:
    item: dict[str, Any] = {"remote": remote}
    if remote.record is not None:
        item["display"] = display_record(remote.record)
        item["lines"] = marc_lines(remote.record)
        item["candidates"] = selectors.local_candidates(remote.record)
        item["data"] = base64.b64encode(remote.data).decode("ascii")
    return item


@require_safe
@staff_required
@requires(PERMISSION)
def copycat_search(request: HttpRequest) -> HttpResponse:
    searched = any(request.GET.get(name) for name in ("title", "author", "isbn", "targets"))
    form = CopycatSearchForm(request.GET if searched else None)
    columns = []
    if searched and form.is_valid():
        results = services.search_targets(
            list(form.cleaned_data["targets"]), form.query_fields(form.cleaned_data)
        )
        for result in results:
            columns.append(
                {"result": result, "items": [_preview(remote) for remote in result.records]}
            )
    context = {
        "form": form,
        "columns": columns,
        "searched": searched and form.is_valid(),
        "has_targets": selectors.enabled_targets().exists(),
        "back": request.get_full_path(),
    }
    return render(request, "staff/copycat.html", context)


def _safe_back(request: HttpRequest) -> str:
    return safe_target(request, request.POST.get("back", ""), reverse("staff:copycat"))


@require_POST
@staff_required
@requires(PERMISSION)
def copycat_import(request: HttpRequest) -> HttpResponse:
    target = get_object_or_404(RemoteTarget, pk=request.POST.get("target") or 0)
    try:
        raw = base64.b64decode(request.POST.get("data", ""), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not raw:
        messages.error(request, _("The record to import was missing or damaged; search again."))
        return redirect(_safe_back(request))
    try:
        outcome = services.import_remote_record(target=target, raw=raw, actor=staff_actor(request))
    except CopycatError as exc:
        messages.error(request, exc.message)
        return redirect(_safe_back(request))
    url = reverse("staff:copycat_imported", args=[outcome.record_id])
    return redirect(f"{url}?status={outcome.status}")


@require_safe
@staff_required
@requires(PERMISSION)
def copycat_imported(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record.objects.defer("raw"), pk=pk)
    status = request.GET.get("status", "")
    return render(request, "staff/copycat_imported.html", {"record": record, "status": status})
