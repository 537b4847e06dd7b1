"""The base of every API view: authentication, permissions, error mapping, JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from kitab.core.actor import Actor

from . import errors
from .authentication import ApplicationTokenAuthentication
from .permissions import RequiresPermission, api_actor


class ApiView(APIView):
    # Token first, so an anonymous call to a staff endpoint gets 401 with a `WWW-Authenticate: Bearer` challenge.
    authentication_classes = (ApplicationTokenAuthentication, SessionAuthentication)
    permission_classes = (RequiresPermission,)
    renderer_classes = (JSONRenderer,)
    parser_classes = (JSONParser,)
    throttle_classes: tuple[Any, ...] = ()
    #: HTTP method -> permission code the caller must hold (methods not named are public).
    required_permissions: ClassVar[dict[str, str]] = {}
    #: HTTP method -> the scope an application token needs (kitab.api.scopes); every method must name one.
    required_scopes: ClassVar[dict[str, str]] = {}

    def get_exception_handler(self) -> Callable[..., Any]:
        return errors.exception_handler

    def actor(self, request: Request) -> Actor:
        return api_actor(request)
