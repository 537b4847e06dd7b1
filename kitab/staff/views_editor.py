"""The cataloguing workbench's record pages: the MARC editor and the guided form (one record, two views),
drafts,
duplicate candidates and merging, record history with restore, and deleting a record with its safeguards.

Views parse the request, build the Actor and call kitab.catalogue's services (editing, merging); the rules
(validation, frameworks, duplicates) live there. Needs the catalogue.edit permission.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

import pymarc
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.catalogue import (
    editing,
    editor_state,
    fixedfields,
    frameworks,
    guided,
    marctags,
    merging,
    validation,
)
from kitab.catalogue.display import language_name, material_type_name
from kitab.catalogue.duplicates import Candidate, find_duplicates
from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import Record, RecordDraft, RecordVersion
from kitab.core import clock
from kitab.core.errors import KitabError
from kitab.marc.iso2709 import parse_record
from kitab.marc.mapping import summarize
from kitab.search import services as search_services
from kitab.search.types import SearchRequest

from .actors import requires, staff_actor
from .views import staff_required

PERMISSION = "catalogue.edit"
# Languages offered first on the guided form: the libraries' own and their neighbours'.
GUIDED_LANGUAGES = (
    "aze",
    "tur",
    "ota",
    "kaz",
    "uzb",
    "kir",
    "tuk",
    "tgk",
    "per",
    "ara",
    "rus",
    "eng",
    "ger",
    "fre",
    "chu",
    "geo",
    "arm",
    "und",
    "mul",
    "zxx",
)


# ---- What the editor template draws ----


@dataclass
class FixedElement:
    element: fixedfields.Element
    value: str

    @property
    def shown(self) -> str:
        return self.value.replace(" ", "#")

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        return [
            (value, f"{value.replace(' ', '#')} – {label}", value == self.value)
            for value, label in self.element.values
        ]

    @property
    def known(self) -> bool:
        return not self.element.values or any(value == self.value for value, _label in self.element.values)


def _fixed(value: str, elements: tuple[fixedfields.Element, ...], width: int) -> list[FixedElement]:
    return [FixedElement(element, part) for element, part in fixedfields.split(value, elements, width)]


def _rows(
    state: editor_state.State, spec: frameworks.FrameworkSpec | None, issues: list[validation.Issue]
) -> list[dict[str, Any]]:
    """Editor rows: one per field, with names, framework flags and the issues of its tag."""
    flagged = {issue.tag for issue in issues if issue.tag}
    leader = str(state.get("leader", ""))
    rows = []
    for entry in state.get("fields", []):
        tag = str(entry.get("tag", ""))
        field_spec = spec.field(tag) if spec else None
        row: dict[str, Any] = {
            "tag": tag,
            "name": field_spec.name if field_spec else marctags.field_name(tag),
            "required": bool(field_spec and field_spec.required),
            "repeatable": field_spec.repeatable if field_spec else True,
            "flagged": tag in flagged,
            "control": editor_state.is_control_tag(tag),
        }
        if tag == "008":
            row["fixed"] = _fixed(str(entry.get("data", "")), fixedfields.elements_008(leader), 40)
            row["data"] = str(entry.get("data", "")).ljust(40)[:40]
        elif row["control"]:
            row["data"] = str(entry.get("data", ""))
        else:
            row["ind1"] = (str(entry.get("ind1", " "))[:1] or " ").replace(" ", "#")
            row["ind2"] = (str(entry.get("ind2", " "))[:1] or " ").replace(" ", "#")
            row["subfields"] = [
                {
                    "code": str(code),
                    "value": str(value),
                    "name": (
                        field_spec.subfield_name(str(code))
                        if field_spec
                        else marctags.subfield_name(tag, str(code))
                    ),
                    "values": (
                        field_spec.subfield(str(code)).values
                        if field_spec and field_spec.subfield(str(code))
                        else ()
                    ),
                }
                for code, value in entry.get("subfields", []) or []
            ] or [{"code": "a", "value": "", "name": "", "values": ()}]
        rows.append(row)
    return rows


def _summary(marc: pymarc.Record) -> dict[str, Any]:
    summary = summarize(marc)
    return {
        "title": summary.title,
        "responsibility": summary.responsibility or "",
        "authors": summary.authors,
        "edition": summary.edition or "",
        "imprint": summary.imprint or "",
        "year": summary.year,
        "physical": summary.physical_description or "",
        "isbns": summary.isbns,
        "lccn": summary.lccn or "",
        "control_number": summary.control_number or "",
        "language": ", ".join(str(language_name(code)) for code in summary.languages),
        "material_type": material_type_name(summary.material_type),
    }


def _candidate_view(candidate: Candidate) -> dict[str, Any]:
    record = Record.objects.get(pk=candidate.record.pk)
    return {
        "record": record,
        "reasons": candidate.reason_labels,
        "summary": _summary(parse_record(bytes(record.raw))[0]),
        "copies": record.items.count(),
    }


def _framework_code(request: HttpRequest, default: str) -> str:
    code = (request.POST.get("framework") or request.GET.get("framework") or default).strip()
    return code if frameworks.spec(code) is not None else default


def _guided_values(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(f"g-{key}", "") for key in guided.SINGLE + guided.MULTI}


def _editor_context(
    *,
    state: editor_state.State,
    mode: str,
    framework: str,
    record: Record | None,
    draft: RecordDraft | None,
    issues: list[validation.Issue],
    candidates: list[dict[str, Any]] | None = None,
    reason: str = "",
    tolerated: bool = False,
) -> dict[str, Any]:
    spec = frameworks.spec(framework)
    leader = str(state.get("leader", "")).ljust(24)[:24]
    marc, _parse_issues = editor_state.from_state(state)
    values = guided.read(marc)
    language_codes = list(GUIDED_LANGUAGES)
    if values["language"] and values["language"] not in language_codes:
        language_codes.insert(0, values["language"])
    config = fixedfields.config_for(leader)
    return {
        "record": record,
        "draft": draft,
        "state_json": json.dumps(state, ensure_ascii=False),
        "mode": mode,
        "framework": framework,
        "framework_name": frameworks.display_name(spec.code, spec.name) if spec else framework,
        "framework_choices": [
            (code, frameworks.display_name(code, name)) for code, name in frameworks.choices()
        ],
        "leader": _fixed(leader, fixedfields.LEADER, 24),
        "leader_raw": leader,
        "config_name": fixedfields.CONFIGS[config][0],
        "rows": _rows(state, spec, issues),
        "field_specs": [f for f in spec.fields if f.shown] if spec else [],
        "errors": [i for i in issues if i.is_error],
        "warnings": [i for i in issues if not i.is_error],
        "guided": values,
        "languages": [(code, language_name(code)) for code in language_codes],
        "candidates": candidates or [],
        "this_summary": _summary(marc) if candidates else None,
        "reason": reason,
        "tolerated": tolerated,
        # drafts of this record kept by someone (the one being edited aside), so no one's work is overlooked
        "other_drafts": list(
            RecordDraft.objects.filter(record=record)
            .exclude(pk=draft.pk if draft else None)
            .order_by("-updated_at")
        )
        if record is not None
        else [],
    }


def _render_editor(request: HttpRequest, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "staff/cataloguing/editor.html", _editor_context(**kwargs), status=status)


def _editor(request: HttpRequest, *, record: Record | None, draft: RecordDraft | None) -> HttpResponse:
    actor = staff_actor(request)
    default_framework = (
        draft.framework
        if draft and draft.framework
        else frameworks.code_for(record.material_type)
        if record
        else "book"
    )
    framework = _framework_code(request, default_framework)
    if request.method != "POST":
        if draft is not None:
            state = draft.state
        elif record is not None:
            state = editor_state.to_state(parse_record(bytes(record.raw))[0])
        else:
            spec = frameworks.spec(framework)
            marc = spec.new_record(today=clock.now().date()) if spec else pymarc.Record(force_utf8=True)
            state = editor_state.to_state(marc)
        mode = "guided" if request.GET.get("mode") == "guided" else "marc"
        return _render_editor(
            request, state=state, mode=mode, framework=framework, record=record, draft=draft, issues=[]
        )

    state = editor_state.load(request.POST.get("record_json", ""))
    posted_mode = request.POST.get("mode", "marc")
    if posted_mode == "guided":
        marc, _ignored = editor_state.from_state(state)
        state = editor_state.to_state(guided.apply(marc, _guided_values(request)))
    action = request.POST.get("action", "save")
    reason = request.POST.get("reason", "").strip()[:500]
    common = {"state": state, "framework": framework, "record": record, "draft": draft, "reason": reason}
    if action in ("marc", "guided", "refresh"):
        return _render_editor(
            request, mode=posted_mode if action == "refresh" else action, issues=[], **common
        )
    if action == "draft":
        saved = editing.save_draft(
            state=state, actor=actor, draft=draft, record=record, framework=framework, note=reason
        )
        messages.success(request, _("Draft saved. It is not in the catalogue until you save it as a record."))
        return redirect("staff:cataloguing_draft", pk=saved.pk)

    marc, issues = editor_state.from_state(state)
    spec = frameworks.spec(framework)
    issues += validation.validate(marc, spec)
    tolerated = False
    if record is not None and spec is not None:
        before = spec.check(parse_record(bytes(record.raw))[0])
        issues, tolerated = validation.tolerate_existing(issues, before)
    if action == "validate" or validation.errors(issues):
        if action == "validate" and not validation.errors(issues):
            messages.info(request, _("The record is valid."))
        return _render_editor(
            request,
            status=200 if action == "validate" else 422,
            mode=posted_mode,
            issues=issues,
            tolerated=tolerated,
            **common,
        )
    if not request.POST.get("confirm_duplicates"):
        candidates = find_duplicates(marc, exclude=record.pk if record else None)
        if candidates:
            return _render_editor(
                request,
                status=409,
                mode=posted_mode,
                issues=issues,
                tolerated=tolerated,
                candidates=[_candidate_view(c) for c in candidates],
                **common,
            )
    try:
        saved_record = editing.save_record(
            record=record,
            marc=marc,
            actor=actor,
            channel=editing.Channel.EDITOR,
            reason=reason,
            # checked above, with the requirements the record already missed before this edit tolerated
            framework=None if tolerated else spec,
        )
    except validation.RecordInvalid as exc:
        return _render_editor(request, status=422, mode=posted_mode, issues=exc.issues, **common)
    except CatalogueError as exc:
        messages.error(request, exc.message)
        return _render_editor(request, status=422, mode=posted_mode, issues=issues, **common)
    if draft is not None:
        editing.discard_draft(draft=draft, actor=actor)
    messages.success(request, _("Record %(id)s saved.") % {"id": saved_record.pk})
    return redirect(
        reverse("staff:record_edit", args=[saved_record.pk]) + f"?framework={framework}&mode={posted_mode}"
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
@requires(PERMISSION)
def editor_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, record=None, draft=None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
@requires(PERMISSION)
def editor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, record=get_object_or_404(Record, pk=pk), draft=None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
@requires(PERMISSION)
def editor_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(RecordDraft.objects.select_related("record"), pk=pk)
    return _editor(request, record=draft.record, draft=draft)


@require_POST
@staff_required
@requires(PERMISSION)
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(RecordDraft, pk=pk)
    editing.discard_draft(draft=draft, actor=staff_actor(request))
    messages.success(request, _("Draft discarded."))
    return redirect("staff:cataloguing")


@require_safe
@staff_required
@requires(PERMISSION)
def cataloguing_home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    hits = []
    if query.isdigit() and Record.objects.filter(pk=int(query)).exists():
        return redirect("staff:record_edit", pk=int(query))
    if query:
        try:
            hits = search_services.search(SearchRequest(query=query, limit=20, facets=False)).hits
        except KitabError as exc:  # a query the search language cannot take: say why
            messages.error(request, exc.message)
    drafts = RecordDraft.objects.select_related("record").order_by("-updated_at")[:50]
    recent = (
        RecordVersion.objects.select_related("record")
        .defer("raw", "record__raw")
        .order_by("-saved_at", "-pk")[:20]
    )
    return render(
        request,
        "staff/cataloguing/home.html",
        {
            "query": query,
            "hits": hits,
            "drafts": drafts,
            "recent": recent,
            "framework_choices": [
                (code, frameworks.display_name(code, name)) for code, name in frameworks.choices()
            ],
        },
    )


# ---- History ----


def _lines(raw: bytes) -> list[str]:
    marc = parse_record(bytes(raw))[0]
    out = ["LDR " + str(marc.leader).replace(" ", "#")]
    for field in marc.fields:
        if field.is_control_field():
            out.append(f"{field.tag}    {(field.data or '').replace(' ', '#')}")
        else:
            ind = "".join((i or " ").replace(" ", "#") for i in (field.indicators or ("", "")))
            out.append(f"{field.tag} {ind} " + "".join(f"${code}{value}" for code, value in field.subfields))
    return out


def _diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """(kind, line): kind is "same", "removed" or "added"."""
    rows: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [("same", line) for line in old[i1:i2]]
            continue
        rows += [("removed", line) for line in old[i1:i2]]
        rows += [("added", line) for line in new[j1:j2]]
    return rows


@require_safe
@staff_required
@requires(PERMISSION)
def record_history(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    versions = Paginator(RecordVersion.objects.filter(record=record).defer("raw").order_by("-number"), 50)
    page = versions.get_page(request.GET.get("page"))
    return render(request, "staff/cataloguing/history.html", {"record": record, "page": page})


@require_safe
@staff_required
@requires(PERMISSION)
def record_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    version = get_object_or_404(RecordVersion, record=record, number=number)
    against = request.GET.get("against", "previous")
    if against == "current":
        base_raw, base_label = bytes(version.raw), _("this version")
        other_raw, other_label = bytes(record.raw), _("current record")
        diff = _diff(_lines(base_raw), _lines(other_raw))
    else:
        previous = editing.version_before(version)
        base_label = _("version %(n)d") % {"n": previous.number} if previous else _("nothing (first version)")
        other_label = _("version %(n)d") % {"n": version.number}
        diff = _diff(_lines(bytes(previous.raw)) if previous else [], _lines(bytes(version.raw)))
    return render(
        request,
        "staff/cataloguing/version.html",
        {
            "record": record,
            "version": version,
            "diff": diff,
            "against": against,
            "from_label": base_label,
            "to_label": other_label,
            "is_current": bytes(version.raw) == bytes(record.raw),
        },
    )


@require_POST
@staff_required
@requires(PERMISSION)
def record_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    version = get_object_or_404(RecordVersion, record=record, number=number)
    try:
        editing.restore_version(
            version=version, actor=staff_actor(request), reason=request.POST.get("reason", "").strip()[:500]
        )
    except CatalogueError as exc:
        messages.error(request, exc.message)
        return redirect("staff:record_version", pk=pk, number=number)
    messages.success(request, _("Version %(n)d restored.") % {"n": number})
    return redirect("staff:record_history", pk=pk)


# ---- Delete ----


def _circulation_facts(record: Record) -> dict[str, int]:
    from kitab.circulation.models import Loan
    from kitab.holds.models import Hold

    return {
        "copies": record.items.count(),
        "on_loan": Loan.objects.filter(item__record=record).open().count(),
        "holds": Hold.objects.filter(record=record, status__in=Hold.ACTIVE).count(),
        "loan_history": Loan.objects.filter(item__record=record).count(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
@requires(PERMISSION)
def record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    if request.method == "POST":
        try:
            editing.delete_record(record=record, actor=staff_actor(request))
        except CatalogueError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "staff/cataloguing/delete.html",
                {"record": record, "facts": _circulation_facts(record), "refusal": exc},
                status=409,
            )
        messages.success(request, _("Record %(id)s deleted.") % {"id": pk})
        return redirect("staff:cataloguing")
    refusal = None
    try:
        editing.delete_checks(record)
    except CatalogueError as exc:
        refusal = exc
    return render(
        request,
        "staff/cataloguing/delete.html",
        {"record": record, "facts": _circulation_facts(record), "refusal": refusal},
    )


# ---- Duplicates and merge ----


@require_safe
@staff_required
@requires(PERMISSION)
def record_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    marc = parse_record(bytes(record.raw))[0]
    candidates = [_candidate_view(c) for c in find_duplicates(marc, exclude=record.pk, source=record.source)]
    return render(
        request,
        "staff/cataloguing/duplicates.html",
        {
            "record": record,
            "summary": _summary(marc),
            "copies": record.items.count(),
            "candidates": candidates,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
@requires(PERMISSION)
def record_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    first = get_object_or_404(Record, pk=pk)
    second = get_object_or_404(Record, pk=other)
    if request.method == "POST":
        keep = request.POST.get("survivor")
        describe = request.POST.get("description", "survivor")
        if keep not in (str(first.pk), str(second.pk)) or first.pk == second.pk:
            messages.error(request, _("Choose which record to keep."))
            return redirect("staff:record_merge", pk=pk, other=other)
        survivor, loser = (first, second) if keep == str(first.pk) else (second, first)
        marc = bytes(loser.raw) if describe == "other" else None
        try:
            result = merging.merge_records(
                survivor=survivor,
                loser=loser,
                actor=staff_actor(request),
                marc=marc,
                reason=request.POST.get("reason", "").strip()[:500],
            )
        except validation.RecordInvalid as exc:
            messages.error(
                request,
                _("The description you chose cannot be saved: %(reasons)s") % {"reasons": exc.message},
            )
            return redirect("staff:record_merge", pk=pk, other=other)
        except CatalogueError as exc:
            messages.error(request, exc.message)
            return redirect("staff:record_merge", pk=pk, other=other)
        messages.success(
            request,
            _("Record %(loser)s merged into record %(survivor)s: %(items)d copies and %(holds)d holds moved.")
            % {
                "loser": result.merged_id,
                "survivor": result.survivor.pk,
                "items": result.items_moved,
                "holds": result.holds_moved,
            },
        )
        return redirect("staff:record_edit", pk=result.survivor.pk)
    sides = []
    for record in (first, second):
        marc = parse_record(bytes(record.raw))[0]
        facts = _circulation_facts(record)
        sides.append(
            {"record": record, "summary": _summary(marc), "facts": facts, "lines": _lines(bytes(record.raw))}
        )
    return render(request, "staff/cataloguing/merge.html", {"first": first, "second": second, "sides": sides})
