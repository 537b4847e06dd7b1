"""Label errors: codes layout_does_not_fit, unknown_layout, nothing_to_print, no_barcode, barcode_not_encodable,
too_many_labels, call_number_too_long, invalid_start."""

from __future__ import annotations

from kitab.core.errors import KitabError


class LabelError(KitabError):
    code = "label_error"
