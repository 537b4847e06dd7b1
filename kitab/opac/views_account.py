"""The patron's own pages in the public catalogue: registration, sign-in, password reset, and the account (summary,
loans and renewals, holds, fines, reading history, profile).

Thin adapters: each view parses its form, resolves the signed-in patron (kitab.opac.patron_request), builds the
patron's Actor (channel "opac") and calls one service of kitab.accounts, kitab.circulation or kitab.holds; a
refusal shows the service's translated message. A patron only ever reaches their own loans and holds: every
object is looked up through the patron, so another patron's id gives 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.accounts import policy as account_policy
from kitab.accounts import selectors as account_selectors
from kitab.accounts import services as accounts
from kitab.accounts.backends import client_ip
from kitab.accounts.errors import AccountError
from kitab.accounts.models import NoticeChoice
from kitab.catalogue.models import Record
from kitab.circulation import fines, policy
from kitab.circulation import selectors as circulation_selectors
from kitab.circulation import services as circulation
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.core.alphabetical import alphabetical
from kitab.core.redirects import safe_next
from kitab.holds import policy as holds_policy
from kitab.holds import selectors as hold_selectors
from kitab.holds import services as holds
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.items.models import Branch, Item
from kitab.patrons.errors import PatronError
from kitab.patrons.models import Patron

from .forms_account import (
    HoldForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
    SuspendForm,
    form_age,
)
from .patron_request import current_patron, patron_actor, patron_required

PATRON_BACKEND = "kitab.accounts.backends.PatronBackend"


def _switch_language(response: HttpResponse, language: str) -> None:
    """Make `language` the interface language from the next page on (the same cookie the language menu sets)."""
    translation.activate(language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)


# -- registration ---------------------------------------------------------------------------------------------


@sensitive_post_parameters("password", "password_again")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    branches = account_policy.registration_branches()
    form = RegistrationForm(request.POST or None, branches=branches,
                            initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = clock.now()
        try:
            accounts.request_registration(
                first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                branch=data["branch"], password=data["password"], language=data["language"],
                phone=data["phone"], address=data["address"], date_of_birth=data["date_of_birth"],
                confirm_url=lambda token: request.build_absolute_uri(reverse("opac:confirm_email", args=[token])),
                actor=Actor(channel="opac"), at=now, client_ip=client_ip(request), honeypot=data["website"],
                form_age=form_age(data["started"], now))
        except AccountError as error:
            if error.code == "invalid_password":
                form.add_error("password", error.message)
            else:
                form.add_error(None, error.message)
        else:
            request.session["kitab_registration_email"] = data["email"]
            return redirect("opac:register_sent")
    return render(request, "opac/account/register.html", {"form": form, "branches": branches})


@require_safe
def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "opac/account/register_sent.html",
                  {"email": request.session.get("kitab_registration_email", "")})


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; the POST confirms (mail scanners that follow links must not confirm anything)."""
    if request.method == "GET":
        return render(request, "opac/account/confirm.html", {"token": token})
    try:
        registration = accounts.confirm_email(token, actor=Actor(channel="opac"), at=clock.now())
    except AccountError as error:
        return render(request, "opac/account/confirm.html", {"token": token, "error": error.message}, status=400)
    return render(request, "opac/account/confirmed.html", {"registration": registration})


# -- signing in and out --------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, reverse("opac:account"))
    if request.method == "GET" and current_patron(request) is not None:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.authenticate_patron(identifier=form.cleaned_data["identifier"],
                                                password=form.cleaned_data["password"],
                                                client_ip=client_ip(request), at=clock.now())
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend=PATRON_BACKEND)
            response = redirect(next_url)
            patron = current_patron(request)
            if patron is not None and patron.language:
                _switch_language(response, patron.language)
            return response
    return render(request, "opac/account/login.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("opac:home")


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def reset_url(user: Any) -> str:
            return request.build_absolute_uri(reverse("opac:password_reset_confirm", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user)}))

        accounts.request_password_reset(form.cleaned_data["identifier"], reset_url=reset_url,
                                        actor=Actor(channel="opac"), at=clock.now())
        # The same answer whether or not the card or address exists.
        return render(request, "opac/account/password_reset_sent.html")
    return render(request, "opac/account/password_reset.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's signed-token check and SetPasswordForm; afterwards the account is no longer locked."""

    template_name = "opac/account/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("opac:login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        accounts.password_changed(form.user, at=clock.now())
        messages.success(self.request, _("Your new password is set. You can sign in now."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "opac/account/password_change.html"
    success_url = reverse_lazy("opac:account_profile")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_patron(request) is None:
            return redirect(f"{reverse('opac:login')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "section": "profile", "patron": current_patron(self.request)}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        accounts.password_changed(form.user, at=clock.now())
        messages.success(self.request, _("Your password was changed."))
        return response


# -- the account ---------------------------------------------------------------------------------------------


def _loans(patron: Patron) -> list[Loan]:
    at = clock.now()
    loans = list(circulation_selectors.current_loans(patron)
                 .select_related("item__record", "item__item_type", "branch", "patron__category")
                 .order_by("due_at", "pk"))
    for loan in loans:
        loan.overdue = loan.is_overdue(at)  # type: ignore[attr-defined]
    return loans


def _holds(patron: Patron) -> list[Hold]:
    # Holds waiting on the shelf first: the patron should come for those.
    return sorted(hold_selectors.patron_holds(patron), key=lambda hold: hold.status != Hold.Status.READY)


@require_safe
@patron_required
def account(request: HttpRequest, patron: Patron) -> HttpResponse:
    at = clock.now()
    holds_list = _holds(patron)
    loans = _loans(patron)
    return render(request, "opac/account/summary.html", {
        "section": "summary", "patron": patron, "now": at,
        "blocks": policy.patron_blocks(patron, at), "balance": fines.balance(patron),
        "loans": loans, "overdue_count": sum(1 for loan in loans if loan.overdue),  # type: ignore[attr-defined]
        "holds": holds_list, "holds_ready": [h for h in holds_list if h.status == Hold.Status.READY],
        "card_expires_soon": (patron.expires_on - at.date()).days <= 30,
    })


@require_safe
@patron_required
def loans(request: HttpRequest, patron: Patron) -> HttpResponse:
    at = clock.now()
    current = _loans(patron)
    for loan in current:
        # The same decision the renew service will make, so the page says beforehand why a loan cannot be renewed.
        loan.renewal = policy.can_renew(loan, at=at)  # type: ignore[attr-defined]
    return render(request, "opac/account/loans.html", {
        "section": "loans", "patron": patron, "loans": current,
        "results": request.session.pop("kitab_renew_results", None)})


@require_POST
@patron_required
def renew(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    loan = get_object_or_404(Loan.objects.current(), pk=pk, patron=patron)
    try:
        renewed = circulation.renew(loan, actor=patron_actor(request, patron), at=clock.now())
    except CirculationError as refusal:
        messages.error(request, _("“%(title)s” was not renewed: %(reason)s") % {
            "title": loan.item.record.title or str(loan.item), "reason": refusal.message})
    else:
        messages.success(request, _("“%(title)s” is renewed. It is now due on %(date)s.") % {
            "title": loan.item.record.title or str(loan.item),
            "date": _local_date(renewed.due_at)})
    return redirect("opac:account_loans")


@require_POST
@patron_required
def renew_all(request: HttpRequest, patron: Patron) -> HttpResponse:
    results = circulation.renew_all(patron, actor=patron_actor(request, patron), at=clock.now())
    request.session["kitab_renew_results"] = [
        {"title": r.loan.item.record.title or str(r.loan.item), "renewed": r.renewed, "message": r.message,
         "due": _local_date(r.due_at)} for r in results]
    if not results:
        messages.info(request, _("You have nothing on loan to renew."))
    return redirect("opac:account_loans")


def _local_date(value: Any) -> str:
    from django.utils import formats
    from django.utils.timezone import localtime

    return formats.date_format(localtime(value), "SHORT_DATE_FORMAT")


# -- holds ---------------------------------------------------------------------------------------------------


def _pickup_branches() -> list[Branch]:
    branches = [b for b in Branch.objects.order_by("name", "code") if holds_policy.settings_for(b).pickup_allowed]
    return alphabetical(branches, key=lambda b: b.name)


def _own_hold(patron: Patron, pk: int) -> Hold:
    return get_object_or_404(Hold.objects.select_related("record"), pk=pk, patron=patron)


@require_safe
@patron_required
def holds_view(request: HttpRequest, patron: Patron) -> HttpResponse:
    return render(request, "opac/account/holds.html", {
        "section": "holds", "patron": patron, "holds": _holds(patron), "suspend_form": SuspendForm(),
        "now": clock.now()})


@require_http_methods(["GET", "POST"])
@patron_required
def place_hold(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    copies = alphabetical(Item.objects.filter(record=record).select_related("home_branch").order_by("pk"),
                          key=lambda item: (item.home_branch.name, item.call_number))
    branches = _pickup_branches()
    choices = [(item.pk, " · ".join(part for part in (item.home_branch.name, item.call_number,
                                                      item.get_status_display()) if part)) for item in copies]
    form = HoldForm(request.POST or None, branches=branches, copies=choices,
                    initial={"pickup_branch": patron.home_branch_id})
    key = request.POST.get("key") or uuid.uuid4().hex
    if request.method == "POST" and form.is_valid():
        item = next((c for c in copies if c.pk == form.cleaned_data["item"]), None)
        try:
            hold = holds.place_hold(patron, record, pickup_branch=form.cleaned_data["pickup_branch"], item=item,
                                    actor=patron_actor(request, patron), at=clock.now(),
                                    idempotency_key=f"opac-{patron.pk}-{key}"[:100])
        except HoldError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("You have reserved “%(title)s”. You are number %(position)s in the queue.")
                             % {"title": record.title or _("[Untitled]"), "position": hold.position})
            return redirect("opac:account_holds")
    return render(request, "opac/account/place_hold.html", {
        "patron": patron, "record": record, "form": form, "key": key, "copies": copies,
        "queue_length": hold_selectors.queue_for(record).count()})


@require_POST
@patron_required
def cancel_hold(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    hold = _own_hold(patron, pk)
    try:
        holds.cancel_hold(hold, actor=patron_actor(request, patron), at=clock.now(),
                          reason=_("Cancelled by the patron in the online catalogue."))
    except HoldError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your hold on “%(title)s” is cancelled.") % {"title": hold.record.title})
    return redirect("opac:account_holds")


@require_POST
@patron_required
def suspend_hold(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    hold = _own_hold(patron, pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date as year-month-day, or leave it empty."))
        return redirect("opac:account_holds")
    try:
        holds.suspend_hold(hold, until=form.cleaned_data["until"], actor=patron_actor(request, patron),
                           at=clock.now())
    except HoldError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your hold on “%(title)s” is suspended. It keeps its place in the queue.")
                         % {"title": hold.record.title})
    return redirect("opac:account_holds")


@require_POST
@patron_required
def resume_hold(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    hold = _own_hold(patron, pk)
    try:
        holds.resume_hold(hold, actor=patron_actor(request, patron), at=clock.now())
    except HoldError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your hold on “%(title)s” is active again.") % {"title": hold.record.title})
    return redirect("opac:account_holds")


# -- fines ---------------------------------------------------------------------------------------------------


@require_safe
@patron_required
def fines_view(request: HttpRequest, patron: Patron) -> HttpResponse:
    entries = list(circulation_selectors.fine_entries(patron))
    return render(request, "opac/account/fines.html", {
        "section": "fines", "patron": patron, "entries": entries, "balance": fines.balance(patron)})


# -- reading history -----------------------------------------------------------------------------------------


@require_safe
@patron_required
def history(request: HttpRequest, patron: Patron) -> HttpResponse:
    entries = account_selectors.reading_history(patron).select_related("record")
    return render(request, "opac/account/history.html", {
        "section": "history", "patron": patron, "prefs": account_selectors.preferences(patron),
        "entries": entries[:500], "total": entries.count()})


@require_POST
@patron_required
def history_switch(request: HttpRequest, patron: Patron) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    accounts.set_reading_history(patron, enabled=enabled, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, _("Your reading history is now kept.") if enabled else
                     _("Your reading history is no longer kept. Titles already listed stay until you erase them."))
    return redirect("opac:account_history")


@require_POST
@patron_required
def history_erase(request: HttpRequest, patron: Patron) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that you want to erase your reading history."))
        return redirect("opac:account_history")
    count = accounts.erase_reading_history(patron, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, ngettext("Your reading history is erased (%(count)s title).",
                                       "Your reading history is erased (%(count)s titles).", count) % {"count": count})
    return redirect("opac:account_history")


@require_safe
@patron_required
def history_csv(request: HttpRequest, patron: Patron) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reading-history.csv"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 (Azerbaijani, Persian letters) with the BOM
    accounts.write_reading_history_csv(patron, response)
    return response


# -- profile -------------------------------------------------------------------------------------------------


@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
@patron_required
def profile(request: HttpRequest, patron: Patron) -> HttpResponse:
    prefs = account_selectors.preferences(patron)
    initial = {"email": patron.email, "phone": patron.phone, "address": patron.address,
               "language": patron.language,
               "notices": [kind for kind in NoticeChoice.values if prefs.wants(kind)]}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        email_changes = data["email"].strip().lower() != patron.email.strip().lower()
        if email_changes and not request.user.check_password(data["current_password"]):
            form.add_error("current_password", _("Enter your current password to change your email address."))
        else:
            try:
                accounts.update_profile(
                    patron, actor=patron_actor(request, patron), at=clock.now(), email=data["email"],
                    phone=data["phone"], address=data["address"], language=data["language"],
                    muted_notices=[kind for kind in NoticeChoice.values if kind not in data["notices"]])
            except (AccountError, PatronError) as error:
                form.add_error(None, error.message)
            else:
                response = redirect("opac:account_profile")
                _switch_language(response, data["language"])
                messages.success(request, _("Your details are saved."))
                return response
    return render(request, "opac/account/profile.html", {"section": "profile", "patron": patron, "form": form})

