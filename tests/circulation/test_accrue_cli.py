"""`kitab fines accrue` and the accrue_fines command: options and output only (the rules are tested on the service)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

from click.testing import CliRunner
from django.core.management import call_command

from kitab.circulation import services
from kitab.circulation.models import FineEntry
from kitab.cli import main as cli


def test_accrue_twice_the_same_day_changes_nothing_the_second_time(patron, item, desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0)  # 0.50 a day from 14 days later
    when = (t0 + timedelta(days=17)).isoformat()
    runner = CliRunner()
    first = runner.invoke(cli, ["fines", "accrue", "--at", when, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output) == {"created": 1, "updated": 0}
    again = runner.invoke(cli, ["fines", "accrue", "--at", when])
    assert again.exit_code == 0 and "0 started, 0 grown" in again.output
    fine = FineEntry.objects.get()
    assert fine.is_running and fine.amount == Decimal("1.50") and fine.actor_channel == "cli"

    out = StringIO()
    call_command("accrue_fines", "--at", (t0 + timedelta(days=18)).isoformat(), stdout=out)
    assert json.loads(out.getvalue()) == {"created": 0, "updated": 1}
    assert FineEntry.objects.get().amount == Decimal("2.00")


def test_bad_at(db) -> None:
    result = CliRunner().invoke(cli, ["fines", "accrue", "--at", "tomorrow"])
    assert result.exit_code == 2 and "ISO 8601" in result.output
