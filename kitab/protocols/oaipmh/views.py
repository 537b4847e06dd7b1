"""The HTTP side of the OAI-PMH data provider: GET and POST on one URL, XML out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt

from kitab.core import clock

from . import handlers


@csrf_exempt  # harvesters POST form-encoded requests without a CSRF token; the endpoint is read-only
def oai(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        query = request.GET
    elif request.method == "POST":
        query = request.POST
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    params = {name: query.getlist(name) for name in query}
    body = handlers.handle(params, context(request))
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def context(request: HttpRequest) -> handlers.Context:
    return handlers.Context(
        base_url=request.build_absolute_uri(request.path),
        now=clock.now(),
        repository_name=settings.KITAB_LIBRARY_NAME,
        repository_id=settings.KITAB_OAI_REPOSITORY_ID,
        admin_email=settings.KITAB_ADMIN_EMAIL,
        page_size=max(1, settings.KITAB_OAI_PAGE_SIZE),
        token_key=salted_hmac("kitab.protocols.oaipmh", "resumption-token").digest(),
        token_lifetime=timedelta(hours=settings.KITAB_OAI_TOKEN_HOURS),
        record_url=lambda pk: request.build_absolute_uri(reverse("opac:record", args=[pk])),
    )
