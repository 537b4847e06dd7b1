"""Who may use a record list: its owner always; other staff when it is shared (but only the owner renames,
shares or deletes it)."""

from __future__ import annotations

from .models import RecordList


def may_use(record_list: RecordList, user_id: int | None) -> bool:
    return record_list.owner_id == user_id or record_list.shared


def may_manage(record_list: RecordList, user_id: int | None) -> bool:
    return record_list.owner_id == user_id
