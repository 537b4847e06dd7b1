"""The answer to an unknown URL under /api/: the API's 404 body instead of the OPAC's HTML page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


# Exempt, like every API view: otherwise an unknown URL written to (DELETE /api/v1/holds/-1/) would get Django's
# HTML "CSRF cookie not set" page instead of the API's JSON 404.
@csrf_exempt
def unknown_url(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
