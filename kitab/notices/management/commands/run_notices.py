"""Send the patron notices that are due (see kitab.notices.services)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.notices.services import run_notices


def parse_at(value: str | None) -> datetime:
    """An ISO 8601 moment (local time when it has no offset), or now."""
    if not value:
        return clock.now()
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: not an ISO 8601 date and time: {value!r}") from None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


class Command(BaseCommand):
    help = "Send due-soon, overdue, hold and fine notices that are due, once each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Act as if it were this moment (ISO 8601).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent; change nothing.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_notices(at=parse_at(options["at"]), actor=Actor.system(), dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(asdict(report), default=str, ensure_ascii=False))
            return
        for notice in report.notices:
            self.stdout.write(f"{notice.status:12} {notice.kind:12} {notice.card_number:12} {notice.subject}")
