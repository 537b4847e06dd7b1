"""`kitab authorities …` and the authority branch of `kitab import`: parse options, build the Actor, call a
service, print the outcome (kitab/cli.py registers the group)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


def _setup() -> None:
    from kitab import cli

    cli._django()
    cli._migrate()


def _actor():  # type: ignore[no-untyped-def]
    from kitab.core.actor import Actor

    return Actor.cli(os.environ.get("USER"))


def import_one(path: Path, *, encoding: str | None, quiet: bool, as_json: bool) -> dict[str, object] | None:
    """Import one authority file with a progress bar; print its report (unless JSON); None when it failed."""
    from kitab.authorities.errors import AuthorityError
    from kitab.authorities.services import import_file
    from kitab.cli_progress import ImportBar

    bar = ImportBar(path, disable=quiet or as_json)
    try:
        report = import_file(path, actor=_actor(), encoding=encoding, on_progress=bar.update)
    except AuthorityError as exc:
        bar.close()
        click.secho(f"{path}: {exc.message}", fg="red", err=True)
        return None
    bar.close()
    if not as_json:
        click.echo(f"{report.path} (authority records)")
        click.echo(
            f"  added {report.added:,}  updated {report.updated:,}  skipped {report.skipped:,}  "
            f"rejected {report.rejected:,}  records newly linked {report.linked_records:,}"
        )
        click.echo(f"  {report.seconds:.1f} s")
        for reject in report.rejects[:5]:
            number = f" [{reject.control_number}]" if reject.control_number else ""
            click.echo(f"    record {reject.position} at byte {reject.offset}{number}: {reject.reason}")
        if report.rejected > 5:
            click.echo(f"    … {report.rejected - 5} more")
    return report.as_dict()


def is_authority_file(path: Path) -> bool:
    from kitab.authorities.services import is_authority_file as check

    return check(path)


@click.group()
def authorities() -> None:
    """Authority records: import, link headings, carry heading changes into linked records."""


@authorities.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", help="Force a legacy character set for the whole file, e.g. cp1251.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_(files: tuple[Path, ...], encoding: str | None, as_json: bool, quiet: bool) -> None:
    """Import MARC 21 authority records (ISO 2709 or MARCXML, plain or compressed) and link matching headings."""
    import json

    _setup()
    reports = []
    failed = False
    for path in files:
        report = import_one(path, encoding=encoding, quiet=quiet, as_json=as_json)
        if report is None:
            failed = True
        else:
            reports.append(report)
    if as_json:
        click.echo(json.dumps(reports if len(reports) != 1 else reports[0], ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@authorities.command("link")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def link(quiet: bool) -> None:
    """Link the headings of every bibliographic record again (e.g. after loading authorities into an existing
    catalogue); records whose links changed are reindexed."""
    from tqdm import tqdm

    _setup()
    from kitab.authorities.services import relink_all

    bar = tqdm(total=None, disable=quiet, unit="records", dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    changed = relink_all(on_progress=progress)
    bar.close()
    click.echo(f"records whose links changed: {changed:,}")


@authorities.command("update-headings")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def update_headings(quiet: bool) -> None:
    """Run the queued heading updates (an authority heading was changed) and resume interrupted ones."""
    from tqdm import tqdm

    _setup()
    from kitab.authorities.services import pending_jobs, run_job

    jobs = pending_jobs()
    if not jobs:
        click.echo("no heading update waiting")
        return
    for job in jobs:
        bar = tqdm(total=job.total, initial=job.done, disable=quiet, unit="records", dynamic_ncols=True,
                   desc=job.new_heading[:30])

        def progress(current, bar=bar) -> None:  # type: ignore[no-untyped-def]
            bar.total = max(current.total, current.done)
            bar.n = current.done
            bar.set_postfix(changed=current.changed, errors=current.error_count, refresh=True)

        finished = run_job(job, actor=_actor(), on_progress=progress)
        bar.close()
        click.echo(
            f"{finished.old_heading} -> {finished.new_heading}: {finished.done:,} linked records checked, "
            f"{finished.changed:,} changed, {finished.error_count:,} could not be changed"
        )
        for error in finished.errors[:5]:
            click.echo(f"    record {error['record']}: {error['message']}")
