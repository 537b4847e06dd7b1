"""Daily fine accrual: bring the running overdue fine of every overdue loan up to now (kitab.circulation.fines)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitab.circulation.fines import accrue_overdue_fines
from kitab.core.actor import Actor
from kitab.notices.management.commands.run_notices import parse_at


class Command(BaseCommand):
    help = "Accrue overdue fines up to now (idempotent: safe to run twice the same day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Accrue as if it were this moment (ISO 8601).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = accrue_overdue_fines(at=parse_at(options["at"]), actor=Actor.system())
        self.stdout.write(json.dumps(asdict(report)))
