from __future__ import annotations

from kitab.core.errors import KitabError


class CatalogueError(KitabError):
    """Raised by catalogue services; `code` is stable, `message` is for people."""
