"""Record list errors: codes name_missing, name_taken, not_allowed, invalid_tag, control_field,
invalid_subfield, value_missing, empty_list, already_undone, too_many_results."""

from __future__ import annotations

from kitab.core.errors import KitabError


class ListError(KitabError):
    code = "list_error"
