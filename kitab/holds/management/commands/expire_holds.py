"""Daily hold upkeep: resume suspensions that ended, expire unfilled and uncollected holds."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds.services import expire_holds


class Command(BaseCommand):
    help = "Resume suspensions that ended, expire unfilled holds and holds not collected in time."

    def handle(self, *args: Any, **options: Any) -> None:
        report = expire_holds(at=clock.now(), actor=Actor.system())
        self.stdout.write(json.dumps(asdict(report)))
