"""The OpenAPI inspector: marks the operations anonymous callers may use (no permission named for the method)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class KitabAutoSchema(AutoSchema):
    def get_auth(self) -> list[Any]:
        auths = super().get_auth()
        public = self.method not in getattr(self.view, "required_permissions", {"": ""})
        if public and {} not in auths:
            auths.append({})
        return auths
