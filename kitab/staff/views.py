"""The staff back office: login, dashboard, MARC view and downloads of a record.

Every page except login requires a staff account; a signed-in account without staff rights gets a 403 page that
says so instead of an endless redirect to the login form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kitab.catalogue.display import display_record, marc_lines, record_from_raw
from kitab.catalogue.models import ImportRun, Record
from kitab.items.models import Branch, Item
from kitab.marc.writer import to_marcxml

RECENT_IMPORTS = 10


class StaffAuthenticationForm(AuthenticationForm):
    """The usual login form, refusing accounts that are not staff with a message that says why."""

    error_messages: ClassVar[dict[str, Any]] = {
        **AuthenticationForm.error_messages,
        "not_staff": _(
            "This account has no access to the staff interface. Ask an administrator to give it staff rights."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


class StaffLoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = StaffAuthenticationForm
    next_page = reverse_lazy("staff:dashboard")

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # A staff member who is already signed in goes straight on; anyone else may sign in (as someone else).
        if request.user.is_authenticated and request.user.is_staff:
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)


class StaffLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("opac:home")


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; signed-in accounts without staff rights get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            return render(request, "staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "record_count": Record.objects.count(),
        "copy_count": Item.objects.count(),
        "branch_count": Branch.objects.count(),
        "import_runs": list(ImportRun.objects.order_by("-started_at", "-pk")[:RECENT_IMPORTS]),
    }
    return render(request, "staff/dashboard.html", context)


@require_safe
@staff_required
def record_marc(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    marc = record_from_raw(record.raw)
    context = {
        "record": record,
        "display": display_record(marc),
        "lines": marc_lines(marc),
        "leader": str(marc.leader),
    }
    return render(request, "staff/marc.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@staff_required
def record_iso2709(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    return _download(bytes(record.raw), "application/marc", f"record-{record.pk}.mrc")


@require_safe
@staff_required
def record_marcxml(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    xml = to_marcxml(record_from_raw(record.raw))
    return _download(xml, "application/marcxml+xml; charset=utf-8", f"record-{record.pk}.xml")
