"""`kitab batches …` (and `kitab import --stage`): staged imports from the command line, over kitab.imports.

A thin adapter: parse options, build the Actor, call one service, print. No rule lives here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

MATCH_CHOICES = ["001", "isbn", "035", "none"]
ACTION_CHOICES = ["replace", "merge", "keep", "add"]


def _setup() -> None:
    from kitab.cli import _django, _migrate

    _django()
    _migrate()


def _actor():  # type: ignore[no-untyped-def]
    from kitab.core.actor import Actor

    return Actor.cli(os.environ.get("USER"))


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(exc: Any) -> None:
    click.secho(exc.message, fg="red", err=True)
    for problem in getattr(exc, "problems", []):
        click.secho(f"  - {problem}", fg="red", err=True)
    sys.exit(1)


def _batch(batch_id: int):  # type: ignore[no-untyped-def]
    from kitab.imports.models import ImportBatch

    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        click.secho(f"no batch {batch_id}", fg="red", err=True)
        sys.exit(2)
    return batch


def _summary(batch) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "id": batch.pk, "name": batch.name, "status": batch.status, "match": batch.match_rule,
        "on_match": batch.on_match, "with_items": batch.with_items, "staged_at": batch.staged_at,
        "added": batch.added, "updated": batch.updated, "skipped": batch.skipped, "rejected": batch.rejected,
        "copies_added": batch.items_added, "possible_duplicates": batch.duplicates, "error": batch.error,
    }


def stage_and_preview(file: Path, *, match: str, on_match: str, no_items: bool, encoding: str | None,
                      as_json: bool, limit: int = 20) -> None:
    from kitab.imports import services
    from kitab.imports.errors import ImportBatchError

    try:
        batch = services.stage_file(file, actor=_actor(), match_rule=match, on_match=on_match,
                                    with_items=not no_items, encoding=encoding or "")
    except ImportBatchError as exc:
        _fail(exc)
    _print_preview(batch, limit=limit, as_json=as_json)
    if not as_json:
        click.echo(f"\nstaged as batch {batch.pk}: run it with `kitab batches run {batch.pk}`")


def _print_preview(batch, *, limit: int, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    from kitab.imports import services
    from kitab.imports.errors import ImportBatchError

    try:
        rows = services.preview(batch, limit=limit)
    except ImportBatchError as exc:
        _fail(exc)
    if as_json:
        _echo_json({
            "batch": _summary(batch),
            "preview": [
                {"record": r.position, "outcome": r.outcome, "title": r.title, "author": r.author, "year": r.year,
                 "001": r.control_number, "isbn": r.isbns, "035": r.system_numbers, "lccn": r.lccn,
                 "matched_record": r.decision.target.pk if r.decision and r.decision.target else None,
                 "matched_on": r.decision.matched_on if r.decision else "",
                 "reason": r.decision.reason if r.decision else r.reason,
                 "possible_duplicates": [d.as_json() for d in r.duplicates]}
                for r in rows
            ],
        })
        return
    click.echo(f"batch {batch.pk}: {batch.name}  match on {batch.match_rule}, on a match: {batch.on_match}")
    for r in rows:
        why = r.decision.reason if r.decision else r.reason
        dupes = f"  possible duplicates: {', '.join(str(d.record_id) for d in r.duplicates)}" if r.duplicates else ""
        click.echo(f"{r.position:>5}  {r.outcome:<7} {r.title[:50]:<50}  {why}{dupes}")


@click.group()
def batches() -> None:
    """Staged imports: stage a file, preview, run with a progress bar, review the report, undo."""


@batches.command("stage")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--match", type=click.Choice(MATCH_CHOICES), default="001", show_default=True,
              help="Identifier an incoming record is matched on.")
@click.option("--on-match", type=click.Choice(ACTION_CHOICES), default="replace", show_default=True,
              help="What to do with a matched record.")
@click.option("--no-items", is_flag=True, help="Do not create copies from 952/852/949 fields.")
@click.option("--encoding", help="Force a legacy character set, e.g. cp1251.")
@click.option("--limit", default=20, show_default=True, help="Records to preview.")
@click.option("--json", "as_json", is_flag=True)
def batches_stage(file: Path, match: str, on_match: str, no_items: bool, encoding: str | None, limit: int,
                  as_json: bool) -> None:
    """Stage FILE for import and show a preview (nothing is imported yet)."""
    _setup()
    stage_and_preview(file, match=match, on_match=on_match, no_items=no_items, encoding=encoding, as_json=as_json,
                      limit=limit)


@batches.command("preview")
@click.argument("batch_id", type=int)
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def batches_preview(batch_id: int, limit: int, as_json: bool) -> None:
    """Show what running batch BATCH_ID would do to its first records."""
    _setup()
    _print_preview(_batch(batch_id), limit=limit, as_json=as_json)


@batches.command("run")
@click.argument("batch_id", type=int)
@click.option("--resume", is_flag=True, help="Continue a batch whose process ended while it ran.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True)
def batches_run(batch_id: int, resume: bool, quiet: bool, as_json: bool) -> None:
    """Run batch BATCH_ID (in this process, with a progress bar)."""
    _setup()
    from tqdm import tqdm

    from kitab.imports import services
    from kitab.imports.errors import ImportBatchError

    batch = _batch(batch_id)
    bar = tqdm(total=batch.file_size or None, disable=quiet or as_json, dynamic_ncols=True, unit="B",
               unit_scale=True, desc=batch.name[:30])

    def progress(current) -> None:  # type: ignore[no-untyped-def]
        bar.n = min(current.file_offset, current.file_size) if current.file_size else current.file_offset
        bar.set_postfix_str(f"{current.done:,} records, {current.rejected:,} rejected", refresh=True)

    try:
        batch = services.run_batch(batch, actor=_actor(), resume=resume, on_progress=progress)
    except ImportBatchError as exc:
        bar.close()
        _fail(exc)
    except KeyboardInterrupt:
        bar.close()
        click.secho(f"\nInterrupted. Committed records are kept; `kitab batches run {batch_id} --resume` continues.",
                    fg="yellow", err=True)
        sys.exit(130)
    bar.close()
    if as_json:
        _echo_json(_summary(batch))
        return
    click.echo(f"batch {batch.pk}: added {batch.added:,}  updated {batch.updated:,}  skipped {batch.skipped:,}  "
               f"rejected {batch.rejected:,}  copies added {batch.items_added:,}  "
               f"possible duplicates {batch.duplicates:,}")
    click.echo(f"report: `kitab batches report {batch.pk}`; undo: `kitab batches undo {batch.pk}`")


@batches.command("report")
@click.argument("batch_id", type=int)
@click.option("--action", type=click.Choice(["added", "updated", "skipped", "rejected"]), help="Only these.")
@click.option("--json", "as_json", is_flag=True)
def batches_report(batch_id: int, action: str | None, as_json: bool) -> None:
    """What batch BATCH_ID did with each record (position, action, record id, reason, duplicates)."""
    _setup()
    batch = _batch(batch_id)
    rows = batch.records.order_by("position")
    if action:
        rows = rows.filter(action=action)
    fields = ["position", "byte_offset", "action", "record_id", "control_number", "title", "matched_on",
              "matched_record_id", "duplicates"]
    if as_json:
        records = [{**{f: getattr(row, f) for f in fields}, "reason": row.reason_text} for row in rows.iterator()]
        _echo_json({"batch": _summary(batch), "records": records})
        return
    click.echo("record\taction\trecord_id\t001\ttitle\treason\tpossible_duplicates")
    for row in rows.iterator():
        dupes = ",".join(str(d["record_id"]) for d in row.duplicates)
        click.echo(f"{row.position}\t{row.action}\t{row.record_id or ''}\t{row.control_number}\t{row.title[:60]}\t"
                   f"{row.reason_text}\t{dupes}")


@batches.command("undo")
@click.argument("batch_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def batches_undo(batch_id: int, as_json: bool) -> None:
    """Undo batch BATCH_ID as a whole (refused, with the reasons, if it would lose later work)."""
    _setup()
    from kitab.imports import services
    from kitab.imports.errors import ImportBatchError

    try:
        report = services.undo_batch(_batch(batch_id), actor=_actor())
    except ImportBatchError as exc:
        _fail(exc)
    data = {"deleted": report.deleted, "restored": report.restored, "copies_deleted": report.items_deleted,
            "copies_restored": report.items_restored}
    if as_json:
        _echo_json(data)
        return
    click.echo(f"batch {batch_id} undone: {report.deleted:,} records deleted, {report.restored:,} restored, "
               f"{report.items_deleted:,} copies deleted, {report.items_restored:,} copies restored")


@batches.command("list")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def batches_list(limit: int, as_json: bool) -> None:
    """The latest staged imports and their counts."""
    _setup()
    from kitab.imports.models import ImportBatch

    rows = list(ImportBatch.objects.order_by("-staged_at", "-pk")[:limit])
    if as_json:
        _echo_json([_summary(b) for b in rows])
        return
    for b in rows:
        click.echo(f"{b.pk:>5}  {b.status:<9} {b.staged_at:%Y-%m-%d %H:%M}  {b.name[:40]:<40}  +{b.added} ~{b.updated} "
                   f"={b.skipped} !{b.rejected}")
