"""The HTTP endpoint: GET or form POST at /sru; every answer is XML with status 200 (SRU reports errors as
diagnostics inside the response)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import handlers
from .codec import ServerInfo

CONTENT_TYPE = "text/xml; charset=utf-8"


@csrf_exempt  # anonymous and read-only; SRU clients post plain forms without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def sru(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    params = {key: data.get(key, "") for key in data}
    where = urlsplit("//" + request.get_host())
    server = ServerInfo(
        host=where.hostname or "localhost",
        port=where.port or (443 if request.is_secure() else 80),
        database=request.path.strip("/") or "sru",
    )
    return HttpResponse(handlers.handle(params, server=server), content_type=CONTENT_TYPE)
