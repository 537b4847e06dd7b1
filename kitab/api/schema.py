"""The OpenAPI inspector: the application token security scheme, the scope and staff permission each operation
needs (`x-kitab-scope`, `x-kitab-permission`, and a sentence in the description), and which operations anonymous
callers may use (no permission named for the method)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from .permissions import required_scope
from .scopes import SCOPES


class ApplicationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kitab.api.authentication.ApplicationTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        listing = "; ".join(f"`{scope}`: {label}" for scope, label in SCOPES.items())
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An application token from `kitab api-token create` (`Authorization: Bearer <token>`; "
                           "`Token <token>` is accepted too). It acts as its owner's staff account, limited to "
                           f"its scopes. Each operation names the scope it needs in `x-kitab-scope`. Scopes: "
                           f"{listing}.",
        }


class KitabAutoSchema(AutoSchema):
    def get_auth(self) -> list[Any]:
        auths = super().get_auth()
        public = self.method not in getattr(self.view, "required_permissions", {"": ""})
        if public and {} not in auths:
            auths.append({})
        return auths

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        scope = required_scope(self.view, self.method)
        permission = getattr(self.view, "required_permissions", {}).get(self.method)
        if scope is not None:
            operation["x-kitab-scope"] = scope
            needs = f"Token scope: `{scope}`."
            if permission:
                operation["x-kitab-permission"] = permission
                needs += f" Staff permission: `{permission}`."
            else:
                needs += " Anonymous callers may use it too."
            operation["description"] = (operation.get("description", "") + "\n\n" + needs).strip()
            # Any operation refuses a bad, revoked or expired token (401) and a token without the scope (403),
            # public reads included.
            responses = operation.setdefault("responses", {})
            for code, why in (("401", "No, a bad, a revoked or an expired token."),
                              ("403", "The token lacks the scope, or its owner the permission.")):
                responses.setdefault(code, {"description": why, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        return operation
