"""Delete expired unconfirmed registrations and old turned-down ones (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitab.accounts.services import purge_registrations
from kitab.core import clock
from kitab.core.actor import Actor


class Command(BaseCommand):
    help = "Delete unconfirmed registrations whose link expired and turned-down ones older than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="keep turned-down registrations this long")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_registrations(at=clock.now(), actor=Actor.system(), keep_decided_days=options["days"])
        self.stdout.write(f"{deleted} registration request(s) deleted")
