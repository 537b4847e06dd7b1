"""Online registrations waiting for a librarian (when the library requires approval): approve or turn down; and
the library's registration settings (open or not, staff approval, category and card prefix) per branch.

Thin adapter over kitab.accounts.services (approve_registration, reject_registration,
save_registration_settings)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kitab.accounts import selectors, services
from kitab.accounts.errors import AccountError
from kitab.accounts.models import RegistrationRequest, RegistrationSettings
from kitab.core import clock
from kitab.core.alphabetical import AlphabeticalModelChoiceField
from kitab.items.models import Branch
from kitab.patrons.errors import PatronError
from kitab.patrons.models import PatronCategory

from .actors import holds, requires, staff_actor
from .views import staff_required

SETTINGS_PERMISSION = "rules.edit"


class RegistrationSettingsForm(forms.Form):
    branch = AlphabeticalModelChoiceField(label=gettext_lazy("Branch"), queryset=Branch.objects.order_by("name"),
                                    required=False, empty_label=gettext_lazy("All branches (default)"))
    open = forms.BooleanField(label=gettext_lazy("Online registration open"), required=False)
    requires_approval = forms.BooleanField(label=gettext_lazy("Registration needs staff approval"), required=False)
    category = forms.ModelChoiceField(label=gettext_lazy("Category of new patrons"),
                                      queryset=PatronCategory.objects.order_by("code"), required=False,
                                      empty_label=gettext_lazy("The first category by code"))
    card_prefix = forms.CharField(label=gettext_lazy("Card number prefix"), max_length=8, required=False)


@require_safe
@staff_required
@requires("patrons.edit")
def registrations(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/registrations.html", {
        "pending": list(selectors.pending_registrations()), "decided": list(selectors.recent_decisions()),
        "settings_rows": list(RegistrationSettings.objects.select_related("branch", "category")
                              .order_by("branch__name")),
        "settings_form": RegistrationSettingsForm(initial={"open": True, "card_prefix": "W"}),
        "may_change_settings": holds(request, SETTINGS_PERMISSION)})


@require_POST
@staff_required
@requires(SETTINGS_PERMISSION)
def registration_settings(request: HttpRequest) -> HttpResponse:
    form = RegistrationSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The settings could not be read. Please check the form."))
        return redirect("staff:registrations")
    data = form.cleaned_data
    try:
        services.save_registration_settings(branch=data["branch"], open=data["open"],
                                            requires_approval=data["requires_approval"], category=data["category"],
                                            card_prefix=data["card_prefix"], actor=staff_actor(request),
                                            at=clock.now())
    except AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The registration settings are saved."))
    return redirect("staff:registrations")


@require_POST
@staff_required
@requires("patrons.edit")
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(RegistrationRequest, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            patron = services.approve_registration(registration, actor=staff_actor(request), at=clock.now())
            messages.success(request, _("%(name)s is registered with card %(card)s.")
                             % {"name": patron.full_name, "card": patron.card_number})
        else:
            services.reject_registration(registration, reason=request.POST.get("reason", ""),
                                         actor=staff_actor(request), at=clock.now())
            messages.success(request, _("The registration of %(name)s was turned down.")
                             % {"name": registration.full_name})
    except (AccountError, PatronError) as error:
        messages.error(request, error.message)
    return redirect("staff:registrations")
