"""Staff pages for authorities: search and browse, the authority record with its linked records, the MARC
editor, heading links of one bibliographic record, unlinked headings, and heading update progress.

Viewing needs a staff account; every change needs the catalogue.edit permission. Each view parses its input,
builds the Actor and calls one service (kitab.authorities.services).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.catalogue.display import marc_lines, record_from_raw
from kitab.catalogue.models import Record
from kitab.core import clock
from kitab.staff.actors import holds, requires, staff_actor
from kitab.staff.views import staff_required

from . import marctext, selectors, services
from .errors import AuthorityError
from .headings import KINDS, heading_subfields
from .models import Authority, HeadingLink, HeadingUpdateJob

PERMISSION = "catalogue.edit"
PAGE_SIZE = 50


class AuthoritySearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Heading or variant"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"), required=False,
        choices=[("", gettext_lazy("Any type")), *Authority.Kind.choices],
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Show"), required=False,
        choices=[("search", gettext_lazy("Matching headings")), ("browse", gettext_lazy("Browse from here"))],
    )


class MarcTextForm(forms.Form):
    marc = forms.CharField(
        label=gettext_lazy("MARC record"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "marc-text", "dir": "ltr"}),
        help_text=gettext_lazy(
            "One field per line: tag, indicators, then subfields starting with $ (for example "
            "100 1\\ $aTwain, Mark,$d1835-1910). A backslash stands for a blank; write {dollar} for a dollar sign."
        ),
    )


TEXT_PROBLEMS = {
    "tag": gettext_lazy("Line %(line)d: a field starts with a three-character tag."),
    "indicators": gettext_lazy("Line %(line)d: a data field needs two indicators (\\ for blank) after its tag."),
    "subfields": gettext_lazy("Line %(line)d: a data field needs subfields, each starting with $ and a code."),
    "leader": gettext_lazy("Line %(line)d: the leader must be 24 characters long."),
    "duplicate_leader": gettext_lazy("Line %(line)d: a record has only one leader."),
    "empty": gettext_lazy("The record is empty."),
}


@require_safe
@staff_required
def index(request: HttpRequest) -> HttpResponse:
    form = AuthoritySearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "kinds": Authority.Kind.choices, "can_edit": holds(request, PERMISSION)}
    q = kind = ""
    mode = "search"
    if form.is_valid():
        q, kind, mode = form.cleaned_data["q"], form.cleaned_data["kind"], form.cleaned_data["mode"] or "search"
    if mode == "browse" or not q:
        page = selectors.browse(request.GET.get("from", q), kind=kind)
        context.update(mode="browse", browse=page, entries=page.entries)
    else:
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        entries, total = selectors.search(q, kind=kind, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        context.update(
            mode="search", entries=entries, total=total, page=number,
            has_next=number * PAGE_SIZE < total, has_previous=number > 1,
        )
    context.update(q=q, kind=kind, total_authorities=Authority.objects.count())
    return render(request, "staff/authorities/index.html", context)


@require_safe
@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(selectors.with_link_counts(Authority.objects.all()), pk=pk)
    marc = record_from_raw(authority.raw)
    links = Paginator(selectors.linked_links(authority), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "authority": authority,
        "see_from": authority.forms.filter(relation="see_from").order_by("pk"),
        "see_also": authority.forms.filter(relation="see_also").order_by("pk"),
        "lines": marc_lines(marc),
        "leader": str(marc.leader),
        "links": links,
        "jobs": services.jobs_for([authority.pk])[:5],
        "can_edit": holds(request, PERMISSION),
    }
    return render(request, "staff/authorities/detail.html", context)


def _text_errors(exc: marctext.MarcTextError) -> list[str]:
    return [str(TEXT_PROBLEMS[p.code] % {"line": p.line}) for p in exc.problems]


def _save_from_form(request: HttpRequest, authority: Authority | None, form: MarcTextForm) -> HttpResponse | None:
    """Save the editor's text; on success the redirect to show, on failure None with the form's errors set."""
    try:
        marc = marctext.from_text(form.cleaned_data["marc"])
    except marctext.MarcTextError as exc:
        for message in _text_errors(exc):
            form.add_error("marc", message)
        return None
    actor = staff_actor(request)
    try:
        outcome = services.save_authority(authority=authority, marc=marc, actor=actor)
    except AuthorityError as exc:
        form.add_error("marc", exc.message)
        return None
    if outcome.job is not None:
        services.run_job_soon(outcome.job, actor=actor)
        messages.info(request, _("The heading changed: the linked records are being updated."))
        return redirect("authorities:job", pk=outcome.job.pk)
    messages.success(
        request, _("Authority record created.") if outcome.created else _("Authority record saved.")
    )
    return redirect("authorities:detail", pk=outcome.authority.pk)


def _heading_source(value: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """(authority tag, heading subfields, first indicator) of the bibliographic heading `value` (a HeadingLink
    id), for a new authority made from it; None when there is no such heading."""
    try:
        link = HeadingLink.objects.select_related("record").get(pk=int(value))
    except (ValueError, HeadingLink.DoesNotExist):
        return None
    marc = record_from_raw(link.record.raw)
    fields = [f for f in marc.fields if f.tag == link.tag]
    if link.occurrence > len(fields):
        return None
    fld = fields[link.occurrence - 1]
    pairs = heading_subfields(fld, main_only=True)
    if pairs:  # the record's ISBD punctuation at the end is not part of an authority heading
        code, text = pairs[-1]
        pairs[-1] = (code, text.rstrip(" .,;:") if not text.rstrip().endswith("-") else text)
    return link.authority_tag, pairs, (fld.indicators[0] if fld.tag[1:] in ("00", "10", "11") else "")


@require_http_methods(["GET", "POST"])
@staff_required
@requires(PERMISSION)
def create(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "100")
    if tag not in KINDS:
        tag = "100"
    heading, indicator = None, None
    source = _heading_source(request.GET.get("from", ""))
    if source is not None:  # "Create an authority record" from an unlinked heading: start from its subfields
        tag, heading, indicator = source
    form = MarcTextForm(
        request.POST or None,
        initial={"marc": marctext.new_authority_text(tag, clock.now().strftime("%y%m%d"), heading=heading,
                                                     first_indicator=indicator)},
    )
    if request.method == "POST" and form.is_valid():
        response = _save_from_form(request, None, form)
        if response is not None:
            return response
    return render(
        request, "staff/authorities/edit.html",
        {"form": form, "authority": None, "tags": [(t, Authority.Kind(k).label) for t, k in KINDS.items()
                                                   if k != "subdivision"], "tag": tag},
    )


@require_http_methods(["GET", "POST"])
@staff_required
@requires(PERMISSION)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(selectors.with_link_counts(Authority.objects.all()), pk=pk)
    form = MarcTextForm(request.POST or None, initial={"marc": marctext.to_text(record_from_raw(authority.raw))})
    if request.method == "POST" and form.is_valid():
        response = _save_from_form(request, authority, form)
        if response is not None:
            return response
    return render(request, "staff/authorities/edit.html", {"form": form, "authority": authority})


@require_http_methods(["GET", "POST"])
@staff_required
@requires(PERMISSION)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(selectors.with_link_counts(Authority.objects.all()), pk=pk)
    if request.method == "POST":
        heading = authority.heading
        unlinked = services.delete_authority(authority=authority, actor=staff_actor(request))
        messages.success(
            request,
            ngettext(
                "Authority record “%(heading)s” deleted; %(count)d record is no longer linked to it.",
                "Authority record “%(heading)s” deleted; %(count)d records are no longer linked to it.",
                unlinked,
            ) % {"heading": heading, "count": unlinked},
        )
        return redirect("authorities:index")
    return render(request, "staff/authorities/delete.html", {"authority": authority})


@require_POST
@staff_required
@requires(PERMISSION)
def relink(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(Authority, pk=pk)
    linked = services.link_matching(authority=authority, actor=staff_actor(request))
    messages.success(
        request,
        ngettext(
            "%(count)d more record is now linked to this heading.",
            "%(count)d more records are now linked to this heading.",
            linked,
        ) % {"count": linked},
    )
    return redirect("authorities:detail", pk=pk)


@require_safe
@staff_required
def record_headings(request: HttpRequest, record_pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=record_pk)
    links = selectors.record_links(record.pk)
    return render(
        request, "staff/authorities/record.html",
        {"record": record, "links": links, "can_edit": holds(request, PERMISSION)},
    )


@require_http_methods(["GET", "POST"])
@staff_required
@requires(PERMISSION)
def link_heading(request: HttpRequest, link_pk: int) -> HttpResponse:
    link = get_object_or_404(HeadingLink.objects.select_related("record", "authority"), pk=link_pk)
    if request.method == "POST":
        authority = None
        if request.POST.get("authority"):
            try:
                authority = Authority.objects.get(pk=int(request.POST["authority"]))
            except (ValueError, Authority.DoesNotExist):
                messages.error(request, _("No such authority record."))
                return redirect("authorities:link_heading", link_pk=link.pk)
        try:
            services.link_heading(link=link, authority=authority, actor=staff_actor(request))
        except AuthorityError as exc:
            messages.error(request, exc.message)
            return redirect("authorities:link_heading", link_pk=link.pk)
        messages.success(request, _("Heading linked.") if authority else _("Heading unlinked."))
        return redirect("authorities:record", record_pk=link.record_id)
    q = request.GET.get("q", "").strip()
    if q:
        found, _total = selectors.search(q, limit=30)
        candidates = [a for a in found if a.tag == link.authority_tag]
    else:
        candidates = selectors.candidates_for(link)
    return render(request, "staff/authorities/link.html", {"link": link, "candidates": candidates, "q": q})


@require_safe
@staff_required
def unlinked(request: HttpRequest) -> HttpResponse:
    tag = request.GET.get("tag", "")
    if tag not in KINDS:
        tag = ""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    rows, total = selectors.unlinked_headings(tag=tag, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    return render(
        request, "staff/authorities/unlinked.html",
        {"rows": rows, "total": total, "tag": tag, "page": number, "has_next": number * PAGE_SIZE < total,
         "can_edit": holds(request, PERMISSION),
         "tags": [(t, Authority.Kind(k).label) for t, k in KINDS.items() if k not in ("subdivision", "medium")]},
    )


@require_safe
@staff_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(HeadingUpdateJob.objects.select_related("authority"), pk=pk)
    return render(
        request, "staff/authorities/job.html",
        {"job": item, "progress_url": reverse("authorities:job_progress", args=[item.pk])},
    )


@require_safe
@staff_required
def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(HeadingUpdateJob, pk=pk)
    return JsonResponse(
        {
            "status": item.status,
            "status_label": str(item.get_status_display()),
            "done": item.done,
            "total": item.total,
            "changed": item.changed,
            "errors": item.error_count,
            "percent": item.percent,
            "active": item.is_active,
        }
    )
