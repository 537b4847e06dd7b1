"""OPAC pages for lists and the cart: thin adapters over kitab.lists.services, cart and mailing.

A patron reaches only their own lists: every list view resolves the list through `selectors.owned_list`, which
answers None (404 here) for somebody else's list whether it is public or not. Public lists are read through their
share token only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.core.alphabetical import alphabetical
from kitab.core.redirects import safe_next
from kitab.opac.patron_request import current_patron, patron_actor, patron_required
from kitab.patrons.models import Patron

from . import selectors, services
from .cart import MAX_CART, Cart
from .errors import ListError
from .formats import FORMAT_LABELS, FORMATS, export_bytes
from .forms import EmailForm, ListForm
from .mailing import email_records
from .models import PatronList


def _record_ids(request: HttpRequest) -> list[int]:
    ids: list[int] = []
    for raw in request.POST.getlist("record")[:MAX_CART]:
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return ids


def _record_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("opac:record", args=[0])).replace("/0/", "/{id}/")


def _download(request: HttpRequest, fmt: str, record_ids: list[int], name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    extension, content_type = FORMATS[fmt]
    body = export_bytes(fmt, record_ids, record_url=_record_url(request))
    response = HttpResponse(body, content_type=content_type)
    filename = (slugify(name, allow_unicode=False) or "records") + "." + extension
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _owned(patron: Patron, pk: int) -> PatronList:
    patron_list = selectors.owned_list(patron, pk)
    if patron_list is None:
        raise Http404
    return patron_list


# -- lists ----------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@patron_required
def my_lists(request: HttpRequest, patron: Patron) -> HttpResponse:
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_list(patron=patron, actor=patron_actor(request, patron), at=clock.now(),
                                           **form.cleaned_data)
        except ListError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("List “%(name)s” created.") % {"name": created.name})
            return HttpResponseRedirect(reverse("lists:detail", args=[created.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "lists/my_lists.html", {"lists": alphabetical(selectors.lists_of(patron), key=lambda pl: pl.name), "form": form},
                  status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@patron_required
def list_detail(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    patron_list = _owned(patron, pk)
    form = ListForm(request.POST or None, initial={"name": patron_list.name, "notes": patron_list.notes,
                                                   "is_public": patron_list.is_public})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_list(patron_list, actor=patron_actor(request, patron), at=clock.now(),
                                 **form.cleaned_data)
        except ListError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("Your changes to the list were saved."))
            return HttpResponseRedirect(reverse("lists:detail", args=[patron_list.pk]))
        patron_list.refresh_from_db()
    records = selectors.records_in_order(selectors.record_ids(patron_list))
    share_url = request.build_absolute_uri(reverse("lists:shared", args=[patron_list.share_token]))
    return render(request, "lists/list_detail.html", {
        "list": patron_list, "records": records, "form": form, "share_url": share_url, "formats": FORMAT_LABELS,
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@patron_required
def list_delete(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    patron_list = _owned(patron, pk)
    if request.method == "POST":
        name = patron_list.name
        services.delete_list(patron_list, actor=patron_actor(request, patron), at=clock.now())
        messages.success(request, _("List “%(name)s” deleted.") % {"name": name})
        return HttpResponseRedirect(reverse("lists:mine"))
    return render(request, "lists/list_delete.html", {"list": patron_list})


@require_POST
@patron_required
def list_new_link(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    patron_list = _owned(patron, pk)
    services.new_share_link(patron_list, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, _("The list has a new link; the old link no longer works."))
    return HttpResponseRedirect(reverse("lists:detail", args=[pk]))


@require_POST
@patron_required
def list_add(request: HttpRequest, patron: Patron) -> HttpResponse:
    """Add records (`record`, repeated) to list `list`, or to a new list named `new_name` when `list` is "new"."""
    back = safe_next(request, reverse("lists:mine"))
    ids = _record_ids(request)
    actor, at = patron_actor(request, patron), clock.now()
    choice = request.POST.get("list", "")
    try:
        if choice == "new":
            patron_list = services.create_list(patron=patron, name=request.POST.get("new_name", ""), actor=actor,
                                               at=at)
        else:
            patron_list = _owned(patron, int(choice)) if choice.isdigit() else None
            if patron_list is None:
                raise ListError("list_not_found", _("Choose one of your lists."))
        added = services.add_records(patron_list, ids, actor=actor, at=at)
    except ListError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(back)
    if added:
        messages.success(request, translation.ngettext(
            "%(count)d record added to “%(name)s”.", "%(count)d records added to “%(name)s”.", added,
        ) % {"count": added, "name": patron_list.name})
    else:
        messages.info(request, _("Already on “%(name)s”.") % {"name": patron_list.name})
    return HttpResponseRedirect(back)


@require_POST
@patron_required
def list_remove(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    patron_list = _owned(patron, pk)
    for record_id in _record_ids(request):
        services.remove_record(patron_list, record_id, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, _("Removed from the list."))
    return HttpResponseRedirect(safe_next(request, reverse("lists:detail", args=[pk])))


@require_safe
@patron_required
def list_export(request: HttpRequest, patron: Patron, pk: int, fmt: str) -> HttpResponse:
    patron_list = _owned(patron, pk)
    return _download(request, fmt, selectors.record_ids(patron_list), patron_list.name)


@require_safe
def shared_list(request: HttpRequest, token: str) -> HttpResponse:
    patron_list = selectors.shared_list(token)
    if patron_list is None:
        raise Http404
    records = selectors.records_in_order(selectors.record_ids(patron_list))
    return render(request, "lists/shared_list.html", {"list": patron_list, "records": records, "formats": FORMAT_LABELS,
                                                      "is_owner": current_patron(request) == patron_list.patron})


@require_safe
def shared_export(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    patron_list = selectors.shared_list(token)
    if patron_list is None:
        raise Http404
    return _download(request, fmt, selectors.record_ids(patron_list), patron_list.name)


# -- the cart -------------------------------------------------------------------------------------------------------


@require_safe
def cart(request: HttpRequest) -> HttpResponse:
    patron = current_patron(request)
    ids = Cart(request.session).ids()
    return render(request, "lists/cart.html", {
        "records": selectors.records_in_order(ids), "formats": FORMAT_LABELS,
        "lists": alphabetical(selectors.lists_of(patron), key=lambda pl: pl.name) if patron else None, "patron": patron,
    })


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("lists:cart"))
    try:
        added = Cart(request.session).add(_record_ids(request))
    except ListError as error:
        messages.error(request, error.message)
    else:
        if added:
            messages.success(request, translation.ngettext(
                "%(count)d record added to the cart.", "%(count)d records added to the cart.", added,
            ) % {"count": added})
        else:
            messages.info(request, _("Already in the cart."))
    return HttpResponseRedirect(back)


@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    the_cart = Cart(request.session)
    for record_id in _record_ids(request):
        the_cart.remove(record_id)
    messages.success(request, _("Removed from the cart."))
    return HttpResponseRedirect(safe_next(request, reverse("lists:cart")))


@require_POST
def cart_clear(request: HttpRequest) -> HttpResponse:
    Cart(request.session).clear()
    messages.success(request, _("The cart is empty now."))
    return HttpResponseRedirect(reverse("lists:cart"))


@require_http_methods(["GET", "HEAD", "POST"])
def cart_email(request: HttpRequest) -> HttpResponse:
    the_cart = Cart(request.session)
    patron = current_patron(request)
    form = EmailForm(request.POST or None, initial={"to": patron.email if patron else ""})
    if request.method == "POST" and form.is_valid():
        at = clock.now()
        try:
            the_cart.note_mail(at=at)
            count = email_records(record_ids=the_cart.ids(), to=form.cleaned_data["to"],
                                  language=translation.get_language() or "en", record_url=_record_url(request),
                                  actor=patron_actor(request, patron) if patron else Actor(channel="opac"), at=at)
        except ListError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, translation.ngettext(
                "%(count)d record sent to %(to)s.", "%(count)d records sent to %(to)s.", count,
            ) % {"count": count, "to": form.cleaned_data["to"]})
            return HttpResponseRedirect(reverse("lists:cart"))
    return render(request, "lists/cart_email.html", {"form": form, "count": len(the_cart)},
                  status=400 if request.method == "POST" else 200)


@require_safe
def cart_print(request: HttpRequest) -> HttpResponse:
    from .formats import reference, summaries

    items = summaries(Cart(request.session).ids())
    return render(request, "lists/cart_print.html", {
        "entries": [(item.record_id, item.summary, reference(item.summary)) for item in items],
    })


@require_safe
def cart_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(request, fmt, Cart(request.session).ids(), "cart")
