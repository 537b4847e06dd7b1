"""OPAC pages for comments: write one on a record, edit or delete your own. Thin adapters over services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kitab.catalogue.models import Record
from kitab.core import clock
from kitab.opac.patron_request import patron_actor, patron_required
from kitab.patrons.models import Patron

from . import selectors, services
from .errors import CommentError
from .forms import CommentForm
from .models import Comment


def _record_url(record_id: int) -> str:
    return reverse("opac:record", args=[record_id]) + "#comments"


@require_POST
@patron_required
def post(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    record = get_object_or_404(Record.objects.defer("raw"), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.post_comment(record=record, patron=patron, body=form.cleaned_data["body"],
                                  actor=patron_actor(request, patron), at=clock.now())
        except CommentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you. Your comment will appear after a librarian has read it."))
    else:
        messages.error(request, " ".join(form.errors.get("body", [])) or _("Write something before sending the comment."))
    return HttpResponseRedirect(_record_url(record.pk))


def _own(patron: Patron, pk: int) -> Comment:
    comment = selectors.own_comment(patron, pk)
    if comment is None:
        raise Http404
    return comment


@require_http_methods(["GET", "HEAD", "POST"])
@patron_required
def edit(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    comment = _own(patron, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(comment, body=form.cleaned_data["body"], actor=patron_actor(request, patron),
                                  at=clock.now())
        except CommentError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Your comment was changed. It will appear again after a librarian has "
                                        "read it."))
            return HttpResponseRedirect(_record_url(comment.record_id))
    record = Record.objects.defer("raw").get(pk=comment.record_id)
    return render(request, "comments/edit.html", {"comment": comment, "form": form, "record": record},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@patron_required
def delete(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    comment = _own(patron, pk)
    if request.method == "POST":
        services.delete_comment(comment, actor=patron_actor(request, patron), at=clock.now())
        messages.success(request, _("Your comment was deleted."))
        return HttpResponseRedirect(_record_url(comment.record_id))
    record = Record.objects.defer("raw").get(pk=comment.record_id)
    return render(request, "comments/delete.html", {"comment": comment, "record": record})
