"""The answer to an unknown URL under /api/: the API's 404 body instead of the OPAC's HTML page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _


def unknown_url(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
