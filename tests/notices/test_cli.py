"""`kitab notices run`: options and output only (the rules are tested on the service)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kitab.circulation import services as circulation
from kitab.cli import main
from kitab.notices.models import NoticeLog
from tests.circulation.factories import ItemFactory


def test_run_with_at_json_and_dry_run(reader, desk, t0, mailoutbox) -> None:
    circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    runner = CliRunner()
    dry = runner.invoke(main, ["notices", "run", "--at", "2025-03-19T09:00:00+00:00", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    assert data["dry_run"] is True and [n["status"] for n in data["notices"]] == ["would_send"]
    assert NoticeLog.objects.count() == 0

    done = runner.invoke(main, ["notices", "run", "--at", "2025-03-19T09:00:00"])
    assert done.exit_code == 0, done.output
    assert "overdue_1" in done.output and "sent: 1" in done.output
    assert NoticeLog.objects.get().sent_by == "cli:-"
    assert len(mailoutbox) == 1

    again = runner.invoke(main, ["notices", "run", "--at", "2025-03-19T09:00:00"])
    assert "nothing to send" in again.output


def test_bad_at(db) -> None:
    result = CliRunner().invoke(main, ["notices", "run", "--at", "yesterday"])
    assert result.exit_code == 2 and "ISO 8601" in result.output
