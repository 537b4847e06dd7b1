"""Printing labels: choose copies (from a copy table or a record list) or a barcode range, a sheet layout and
what to print; see a preview of the first sheet; download the PDF. Reads only: kitab.labels renders."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kitab.core.errors import KitabError
from kitab.items.models import Item
from kitab.labels import services
from kitab.labels.models import LabelLayout
from kitab.worklists import policy as list_policy
from kitab.worklists import selectors as list_selectors
from kitab.worklists.models import RecordList

from .actors import requires
from .forms_copies import LabelForm
from .views import staff_required


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _chosen(request: HttpRequest, form: LabelForm) -> tuple[list[services.Label], list[Item], RecordList | None]:
    """What to print: a barcode range when given, else the copies of `list`, else the `item` ids."""
    record_list = None
    if form.cleaned_data["barcode_range"].strip():
        return services.labels_for_range(form.cleaned_data["barcode_range"]), [], None
    if request.GET.get("list", "").isdigit():
        record_list = RecordList.objects.filter(pk=int(request.GET["list"])).first()
        if record_list is None or not list_policy.may_use(record_list, request.user.pk):
            raise _Refused(_("That list does not exist or is not shared with you."))
        items = list_selectors.copies_of_list(record_list)
    else:
        ids = [int(value) for value in request.GET.getlist("item") if value.isdigit()]
        by_id = {item.pk: item for item in Item.objects.select_related("record").filter(pk__in=ids)}
        items = [by_id[pk] for pk in ids if pk in by_id]
    return services.labels_for_items(items), items, record_list


def _render(request: HttpRequest, *, outlines: bool) -> tuple[bytes | None, dict[str, object]]:
    data = request.GET.copy()
    first_layout = LabelLayout.objects.order_by("name").first()
    data.setdefault("layout", first_layout.code if first_layout else "")
    for name in ("kind", "symbology", "start_at"):
        data.setdefault(name, str(LabelForm.base_fields[name].initial))
    data.setdefault("library_name", settings.KITAB_LIBRARY_NAME)
    form = LabelForm(data)
    context: dict[str, object] = {"form": form, "items": [], "record_list": None, "error": None, "labels": 0}
    if not form.is_valid():
        return None, context
    try:
        labels, items, record_list = _chosen(request, form)
        context.update(items=items, record_list=record_list, labels=len(labels))
        if not labels:
            return None, context
        cleaned = form.cleaned_data
        pdf = services.render_pdf(labels, layout=cleaned["layout"], kind=cleaned["kind"],
                                  symbology=cleaned["symbology"], start_at=cleaned["start_at"],
                                  library_name=cleaned["library_name"], outlines=outlines)
        context["labels"] = len(labels) * (2 if cleaned["kind"] == "both" else 1)
        context["pages"] = services.page_count(len(labels), layout=cleaned["layout"], kind=cleaned["kind"],
                                               start_at=cleaned["start_at"])
        return pdf, context
    except (KitabError, _Refused) as error:
        context["error"] = error.message
        return None, context


@require_safe
@staff_required
@requires("catalogue.edit")
def labels(request: HttpRequest) -> HttpResponse:
    """The label page; with `pdf` in the query, the PDF itself."""
    pdf, context = _render(request, outlines=False)
    if pdf is not None and "pdf" in request.GET:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="labels.pdf"'
        return response
    params = request.GET.copy()
    params.pop("pdf", None)
    context.update(query_string=params.urlencode(), ready=pdf is not None)
    return render(request, "labels/print.html", context, status=200)


@require_safe
@staff_required
@requires("catalogue.edit")
def labels_preview(request: HttpRequest) -> HttpResponse:
    """The first sheet as a PNG, label edges drawn in grey (the PDF has none)."""
    pdf, context = _render(request, outlines=True)
    if pdf is None:
        return HttpResponse(str(context["error"] or _("Nothing to print.")), status=400,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(services.render_preview_png(pdf, dpi=110), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response
