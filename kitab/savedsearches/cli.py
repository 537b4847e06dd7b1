"""`kitab alerts run`: email patrons the new records their saved searches find (registered in kitab/cli.py)."""

from __future__ import annotations

import dataclasses

import click


@click.group()
def alerts() -> None:
    """Saved-search alerts: email patrons about new records (schedule `kitab alerts run`, see docs/opac.md)."""


@alerts.command("run")
@click.option("--at", "at_text", help="Act as if it were this moment (ISO 8601; local time without an offset).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and log nothing.")
@click.option("--json", "as_json", is_flag=True)
def alerts_run(at_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Check every saved search with alerts on; each new record is mailed once per saved search (safe to run
    from cron as often as you like)."""
    from kitab.cli import _django, _echo_json, _migrate

    _django()
    _migrate()
    from django.core.management import CommandError

    from kitab.core.actor import Actor
    from kitab.notices.management.commands.run_notices import parse_at
    from kitab.savedsearches.alerts import run_alerts

    try:
        at = parse_at(at_text)
    except CommandError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
    report = run_alerts(at=at, actor=Actor.cli(), dry_run=dry_run)
    if as_json:
        _echo_json([dataclasses.asdict(result) for result in report.results])
        return
    for result in report.results:
        click.echo(f"{result.status:12} {result.card_number:14} {result.new_records:5}  {result.name}")
    statuses = sorted({r.status for r in report.results})
    click.echo(", ".join(f"{status}: {report.count(status)}" for status in statuses) or "no saved searches with alerts")
    if report.count("failed"):
        raise SystemExit(1)
