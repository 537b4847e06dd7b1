"""The staff moderation queue: approve or reject (with a reason) what patrons wrote."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitab.core import clock
from kitab.staff.actors import requires, staff_actor
from kitab.staff.views import staff_required

from . import selectors, services
from .errors import CommentError
from .forms import RejectForm
from .models import Comment
from .policy import display_name

# Comment moderation is catalogue content work: the cataloguer and manager roles hold it.
MODERATE = "catalogue.edit"


@require_safe
@staff_required
@requires(MODERATE)
def queue(request: HttpRequest) -> HttpResponse:
    pending = list(selectors.moderation_queue()[:200])
    for comment in pending:
        comment.display_name = display_name(comment.patron)  # type: ignore[attr-defined]
    return render(request, "comments/staff_queue.html", {
        "pending": pending, "total": selectors.moderation_queue().count(), "recent": selectors.recently_moderated(),
        "reject_form": RejectForm(),
    })


def _seen_at(request: HttpRequest) -> datetime | None:
    try:
        return datetime.fromisoformat(request.POST.get("seen", ""))
    except ValueError:
        return None


@require_POST
@staff_required
@requires(MODERATE)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    try:
        services.approve_comment(comment, actor=staff_actor(request), at=clock.now(), seen_at=_seen_at(request))
    except CommentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Comment published."))
    return HttpResponseRedirect(reverse("staff:comments"))


@require_POST
@staff_required
@requires(MODERATE)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    try:
        services.reject_comment(comment, reason=request.POST.get("reason", ""), actor=staff_actor(request),
                                at=clock.now())
    except CommentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Comment rejected; the reader sees your reason."))
    return HttpResponseRedirect(reverse("staff:comments"))
