"""`kitab`: the one command for librarians and operators. Each sub-command parses its options, builds an Actor and
calls a service; no rule lives here."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import click


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    # Running from a source checkout without installing: make `config` importable.
    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    """Bring the database schema up to date (a no-op, without touching the database, when it already is)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    call_command("migrate", interactive=False, verbosity=verbosity)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kitab")
def main() -> None:
    """Kitab: integrated library system. Data lives in $KITAB_HOME (default ./var in a checkout)."""


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _django()
    _migrate(verbosity=1)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", help="Force a legacy character set for the whole file, e.g. cp1251, cp866, latin-1.")
@click.option("--no-resume", is_flag=True, help="Start from the first record even if an earlier run was interrupted.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--stage", is_flag=True, help="Stage the file(s) for review instead (see `kitab batches`).")
@click.option("--match", type=click.Choice(["001", "isbn", "035", "none"]), default="001", show_default=True,
              help="With --stage: the identifier records are matched on.")
@click.option("--on-match", type=click.Choice(["replace", "merge", "keep", "add"]), default="replace",
              show_default=True, help="With --stage: what to do with a matched record.")
def import_(files: tuple[Path, ...], encoding: str | None, no_resume: bool, as_json: bool, quiet: bool, stage: bool,
            match: str, on_match: str) -> None:
    """Import MARC records from ISO 2709 or MARCXML FILES (plain, .gz, .xz or .bz2)."""
    _django()
    _migrate()
    if stage:
        from .cli_batches import stage_and_preview

        for path in files:
            stage_and_preview(path, match=match, on_match=on_match, no_items=False, encoding=encoding,
                              as_json=as_json)
        return
    from kitab.catalogue.errors import CatalogueError
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor

    from .authorities import cli as authority_cli
    from .cli_progress import ImportBar

    reports = []
    failed = False
    for path in files:
        if path.is_file() and authority_cli.is_authority_file(path):  # leader/06 = 'z': an authority file
            authority_report = authority_cli.import_one(path, encoding=encoding, quiet=quiet, as_json=as_json)
            failed = failed or authority_report is None
            if authority_report is not None:
                reports.append(authority_report)
            continue
        bar = ImportBar(path, disable=quiet or as_json)
        try:
            report = import_file(
                path, actor=Actor.cli(os.environ.get("USER")), encoding=encoding, resume=not no_resume,
                on_progress=bar.update,
            )
        except CatalogueError as exc:
            bar.close()
            click.secho(f"{path}: {exc.message}", fg="red", err=True)
            failed = True
            continue
        except KeyboardInterrupt:
            bar.close()
            click.secho(
                "\nInterrupted. Every committed record is kept; run the same command again to continue.",
                fg="yellow", err=True,
            )
            sys.exit(130)
        bar.close()
        reports.append(report)
        if not as_json:
            _print_import_report(report)
    if as_json:
        dicts = [r if isinstance(r, dict) else r.as_dict() for r in reports]
        _echo_json(dicts if len(dicts) != 1 else dicts[0])
    if failed:
        sys.exit(1)


def _print_import_report(report) -> None:  # type: ignore[no-untyped-def]
    resumed = f" (resumed after record {report.resumed_from})" if report.resumed_from else ""
    click.echo(f"{report.path}{resumed}")
    click.echo(
        f"  added {report.added:,}  updated {report.updated:,}  skipped {report.skipped:,}  "
        f"rejected {report.rejected:,}  copies added {report.items_added:,}  copies updated {report.items_updated:,}"
    )
    click.echo(f"  {report.seconds:.1f} s, {report.records_per_second:,.0f} records/s")
    if report.rejected:
        click.echo(f"  reject report: {report.report_path}")
        for reject in report.rejects[:5]:
            number = f" [{reject.control_number}]" if reject.control_number else ""
            click.echo(f"    record {reject.position} at byte {reject.offset}{number}: {reject.reason}")
        if report.rejected > 5:
            click.echo(f"    … {report.rejected - 5} more in the report")


@main.command()
@click.argument("query", default="")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--facet", "facets", multiple=True, metavar="FIELD=VALUE",
              help="Filter by a facet value, e.g. --facet language=tur (repeatable).")
@click.option("--sort", type=click.Choice(["relevance", "year_desc", "year_asc", "title", "author"]), default="relevance")
@click.option("--json", "as_json", is_flag=True, help="Print hits and facet counts as JSON.")
def search(query: str, limit: int, offset: int, facets: tuple[str, ...], sort: str, as_json: bool) -> None:
    """Search the catalogue (the same search service as the OPAC)."""
    _django()
    from kitab.search.services import SearchRequest
    from kitab.search.services import search as run_search
    from kitab.search.types import QuerySyntaxError

    filters: dict[str, list[str]] = {}
    for item in facets:
        field, sep, value = item.partition("=")
        if not sep or not field or not value:
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--facet")
        filters.setdefault(field.strip(), []).append(value.strip())
    try:
        result = run_search(SearchRequest(query=query, filters=filters, limit=limit, offset=offset, sort=sort))
    except QuerySyntaxError as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(2)
    if as_json:
        _echo_json(
            {
                "query": query,
                "filters": filters,
                "total": result.total,
                "took_ms": round(result.took_ms, 3),
                "hits": [dataclasses.asdict(hit) for hit in result.hits],
                "facets": {
                    name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
                    for name, values in result.facets.items()
                },
            }
        )
        return
    click.echo(f"{result.total:,} records ({result.took_ms:.1f} ms)")
    for n, hit in enumerate(result.hits, start=offset + 1):
        authors = "; ".join(hit.authors[:2])
        year = hit.year or ""
        click.echo(f"{n:>4}. {hit.title}  — {authors} {year}  [id {hit.record_id}, 001 {hit.control_number or '-'}]")
    for name, values in result.facets.items():
        if values:
            shown = ", ".join(f"{v.value} ({v.count})" for v in values[:8])
            click.echo(f"  {name}: {shown}")


@main.command()
@click.option("--pending", is_flag=True, help="Only index records queued by changes (no full rebuild).")
@click.option("--quiet", is_flag=True)
def reindex(pending: bool, quiet: bool) -> None:
    """Rebuild the search index from the database (safe to run at any time)."""
    _django()
    _migrate()
    from kitab.search import services

    if pending:
        done = services.index_pending(wait_seconds=60)
        click.echo(f"indexed {done:,} queued records")
        return
    from tqdm import tqdm

    bar = tqdm(total=None, unit="rec", disable=quiet, dynamic_ncols=True, desc="reindex")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    count = services.reindex(on_progress=progress)
    bar.close()
    click.echo(f"indexed {count:,} records")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["iso2709", "marcxml", "csv"]), default="iso2709",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.option("--query", default=None, help="Export only the records this search finds.")
@click.option("--ids", default=None, help="Export these record ids (comma-separated, or @FILE with one per line).")
@click.option("--list", "list_id", type=int, default=None, help="Export the records of this staff record list.")
@click.option("--with-items", is_flag=True, help="Embed the copies as 952 fields (CSV: barcode columns).")
def export(fmt: str, output: Path | None, query: str | None, ids: str | None, list_id: int | None,
           with_items: bool) -> None:
    """Export records as ISO 2709, MARCXML or CSV, streaming (everything, or a selection)."""
    _django()
    from kitab.catalogue.exporting import export_records

    if sum(x is not None for x in (query, ids, list_id)) > 1:
        raise click.UsageError("choose one of --query, --ids and --list")
    record_ids = None
    if ids is not None:
        text = Path(ids[1:]).read_text() if ids.startswith("@") else ids
        try:
            record_ids = [int(part) for part in text.replace(",", " ").split()]
        except ValueError:
            raise click.BadParameter("record ids are numbers", param_hint="--ids") from None
    stream = output.open("wb") if output else sys.stdout.buffer
    try:
        count = export_records(stream, fmt=fmt, query=query, ids=record_ids, list_id=list_id, with_items=with_items)
    finally:
        if output:
            stream.close()
    click.echo(f"exported {count:,} records", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, workers: int) -> None:
    """Serve the OPAC and staff interface with a production WSGI server (gunicorn)."""
    _django()
    _migrate()
    from .serving import collect_static, run_gunicorn

    collect_static()
    run_gunicorn(host=host, port=port, workers=workers)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
def demo(host: str, port: int, workers: int, no_serve: bool) -> None:
    """Load the demo catalogue (Library of Congress records) if the database is empty, then serve."""
    _django()
    _migrate()
    from kitab.catalogue.demo import load_demo

    info = load_demo(on_message=click.echo)
    click.secho("\nStaff login", bold=True)
    click.echo(f"  user:     {info.username}")
    click.echo(f"  password: {info.password}")
    click.echo(f"  OPAC:     http://{host}:{port}/   staff: http://{host}:{port}/staff/\n")
    if no_serve:
        return
    from .serving import collect_static, run_gunicorn

    collect_static()
    run_gunicorn(host=host, port=port, workers=workers)


@main.group()
def bench() -> None:
    """Measure this installation (the reproducible benchmarks are in benchmarks/ of the source tree)."""


@bench.command("search")
@click.option("--queries", "queries_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File with one query per line (default: a built-in general mix).")
@click.option("--repeat", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--no-facets", is_flag=True, help="Time the hits only, without facet counts.")
@click.option("--json", "as_json", is_flag=True)
def bench_search(queries_file: Path | None, repeat: int, no_facets: bool, as_json: bool) -> None:
    """Time a query mix through the search service on the current catalogue."""
    _django()
    from kitab.search import bench as search_bench

    queries = search_bench.read_queries(queries_file) if queries_file else search_bench.DEFAULT_QUERIES
    result = search_bench.run(queries, repeat=repeat, facets=not no_facets)
    if as_json:
        _echo_json(dataclasses.asdict(result))
        return
    for t in result.timings:
        click.echo(f"{t.median_ms:8.2f} ms  p95 {t.p95_ms:8.2f}  {t.hits:>9,} hits  {t.query}")
    click.echo(f"all queries: median {result.median_ms:.2f} ms, p95 {result.p95_ms:.2f} ms ({repeat} runs each)")


@main.group()
def z3950() -> None:
    """Z39.50 server (search, present and scan over the catalogue; see docs/protocols.md)."""


@z3950.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=2100, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port, printed on start).")
@click.option("--database", default="Default", show_default=True, help="The database name clients must use.")
def z3950_serve(host: str, port: int, database: str) -> None:
    """Serve the catalogue over Z39.50 until interrupted."""
    _django()
    from kitab.protocols.z3950.server import run

    run(host=host, port=port, database=database)


@main.group()
def patrons() -> None:
    """Patron records: CSV import and export (fields: see kitab/patrons/importing.py)."""


@patrons.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="FIELD=HEADER",
              help="Read FIELD from the column HEADER, e.g. --map card=Barcode (repeatable).")
@click.option("--update", is_flag=True, help="Change patrons whose card number is already in the database.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even if some rows are invalid.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and problems as JSON.")
def patrons_import(file: Path, maps: tuple[str, ...], update: bool, skip_invalid: bool, as_json: bool) -> None:
    """Import patrons from a CSV FILE; every row is checked first and nothing is written if one is invalid."""
    _django()
    _migrate()
    from kitab.core.actor import Actor
    from kitab.patrons.errors import PatronError
    from kitab.patrons.importing import import_patrons

    mapping: dict[str, str] = {}
    for item in maps:
        name, sep, header = item.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=HEADER", param_hint="--map")
        mapping[name.strip()] = header.strip()
    try:
        result = import_patrons(file, actor=Actor.cli(os.environ.get("USER")), mapping=mapping, update=update,
                                skip_invalid=skip_invalid)
    except PatronError as exc:
        click.secho(f"{file}: {exc.message}", fg="red", err=True)
        sys.exit(2)
    if as_json:
        _echo_json(result.as_dict())
    else:
        state = "imported" if result.written else "nothing imported"
        click.echo(f"{file}: {result.rows:,} rows, {result.created:,} created, {result.updated:,} updated, "
                   f"{result.invalid_rows:,} invalid ({state})")
        for p in result.problems[:10]:
            click.echo(f"  row {p.row} {p.column}: {p.value!r}: {p.reason}")
        if result.report_path:
            click.echo(f"  report: {result.report_path}")
    if not result.written:
        sys.exit(1)


@patrons.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]), default=",", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the count as JSON (to stderr when writing to stdout).")
def patrons_export(output: Path | None, delimiter: str, as_json: bool) -> None:
    """Export patrons as CSV with the import's columns, streaming."""
    _django()
    from kitab.patrons.importing import export_patrons

    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        count = export_patrons(stream, delimiter="\t" if delimiter == "tab" else delimiter)
    finally:
        if output:
            stream.close()
    if as_json:
        click.echo(json.dumps({"exported": count, "output": str(output) if output else None}), err=output is None)
    else:
        click.echo(f"exported {count:,} patrons", err=True)


@main.group()
def notices() -> None:
    """Patron notices: due soon, overdue, hold ready or expired, fines (texts are edited in the admin)."""


@notices.command("run")
@click.option("--at", "at_text", help="Act as if it were this moment (ISO 8601; local time without an offset).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and log nothing.")
@click.option("--json", "as_json", is_flag=True)
def notices_run(at_text: str | None, dry_run: bool, as_json: bool) -> None:
    """Send every notice that is due, once each (safe to run from cron as often as you like)."""
    _django()
    _migrate()
    from django.core.management import CommandError

    from kitab.core.actor import Actor
    from kitab.notices.management.commands.run_notices import parse_at
    from kitab.notices.services import run_notices

    try:
        at = parse_at(at_text)
    except CommandError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
    report = run_notices(at=at, actor=Actor.cli(), dry_run=dry_run)
    if as_json:
        _echo_json(dataclasses.asdict(report))
        return
    for notice in report.notices:
        click.echo(f"{notice.status:12} {notice.kind:12} {notice.card_number:14} {notice.subject}")
    counts = {status: report.count(status) for status in sorted({n.status for n in report.notices})}
    click.echo(", ".join(f"{status}: {count}" for status, count in counts.items()) or "nothing to send")


@main.group()
def fines() -> None:
    """The fine ledger: overdue fines that grow day by day until the item comes back."""


@fines.command("accrue")
@click.option("--at", "at_text", help="Accrue as if it were this moment (ISO 8601; local time without an offset).")
@click.option("--json", "as_json", is_flag=True)
def fines_accrue(at_text: str | None, as_json: bool) -> None:
    """Bring every overdue loan's running fine up to date (run daily; safe to run twice the same day)."""
    _django()
    _migrate()
    from django.core.management import CommandError

    from kitab.circulation.fines import accrue_overdue_fines
    from kitab.core.actor import Actor
    from kitab.notices.management.commands.run_notices import parse_at

    try:
        at = parse_at(at_text)
    except CommandError as error:
        raise click.BadParameter(str(error), param_hint="--at") from None
    report = accrue_overdue_fines(at=at, actor=Actor.cli(os.environ.get("USER")))
    if as_json:
        _echo_json(dataclasses.asdict(report))
        return
    click.echo(f"overdue fines: {report.created} started, {report.updated} grown")


@main.group()
def harvest() -> None:
    """Union catalogue: harvest member libraries over OAI-PMH (see docs/protocols.md)."""


@harvest.command("add")
@click.argument("code")
@click.argument("name")
@click.argument("url")
@click.option("--set", "set_spec", default="", help="Harvest only this OAI-PMH set.")
@click.option("--prefix", "metadata_prefix", default="marc21", show_default=True, help="metadataPrefix (MARCXML).")
def harvest_add(code: str, name: str, url: str, set_spec: str, metadata_prefix: str) -> None:
    """Register a member library CODE called NAME whose OAI-PMH base URL is URL."""
    _django()
    _migrate()
    from kitab.consortium.errors import ConsortiumError
    from kitab.consortium.services import add_member
    from kitab.core.actor import Actor

    try:
        member = add_member(code, name, url, actor=Actor.cli(os.environ.get("USER")), set_spec=set_spec,
                            metadata_prefix=metadata_prefix)
    except ConsortiumError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    click.echo(f"member library {member.code!r} added")


@harvest.command("list")
@click.option("--json", "as_json", is_flag=True)
def harvest_list(as_json: bool) -> None:
    """List member libraries and their last harvest."""
    _django()
    _migrate()
    from kitab.consortium.models import MemberLibrary

    rows = []
    for m in MemberLibrary.objects.order_by("code"):
        last = m.runs.first()
        rows.append({"code": m.code, "name": m.name, "url": m.base_url, "prefix": m.metadata_prefix,
                     "set": m.set_spec or None, "enabled": m.enabled, "last_datestamp": m.last_datestamp,
                     "unfinished": bool(m.resumption_token), "last_run": last.as_dict() if last else None})
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        last = row["last_run"]
        state = f"{last['status']} {last['started_at'][:16]}" if last else "never harvested"
        flags = ("" if row["enabled"] else " [disabled]") + (" [unfinished]" if row["unfinished"] else "")
        click.echo(f"{row['code']:12} {row['name']}  {row['url']}  ({state}){flags}")


@harvest.command("run")
@click.argument("codes", nargs=-1)
@click.option("--full", is_flag=True, help="Harvest everything again, not only changes since the last harvest.")
@click.option("--json", "as_json", is_flag=True)
def harvest_run(codes: tuple[str, ...], full: bool, as_json: bool) -> None:
    """Harvest the member libraries CODES (default: every enabled one); exit status 1 if one failed."""
    _django()
    _migrate()
    from kitab.consortium.errors import ConsortiumError
    from kitab.consortium.harvesting import harvest_members
    from kitab.core.actor import Actor

    try:
        runs = harvest_members(codes, actor=Actor.cli(os.environ.get("USER")), full=full)
    except ConsortiumError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.secho("\nInterrupted. Committed pages are kept; run the same command again to continue.",
                    fg="yellow", err=True)
        sys.exit(130)
    if as_json:
        _echo_json([run.as_dict() for run in runs])
    else:
        for run in runs:
            click.echo(f"{run.member.code}: {run.status}, {run.pages} pages, added {run.added:,}, updated "
                       f"{run.updated:,}, deleted {run.deleted:,}, unchanged {run.unchanged:,}, "
                       f"rejected {run.rejected:,}")
            if run.error:
                click.secho(f"  {run.error}", fg="red", err=True)
    if any(run.status != "finished" for run in runs):
        sys.exit(1)


@main.group("api-token")
def api_token() -> None:
    """REST API application tokens: each acts as a staff account, limited to scopes (see docs/api.md)."""


@api_token.command("create")
@click.option("--app", "name", required=True, help="The application's name (unique among live tokens).")
@click.option("--owner", required=True, help="The staff account the token acts as (its roles apply).")
@click.option("--scope", "scopes", multiple=True, required=True,
              help="A scope such as records:read or loans:write; repeat it or separate with commas; 'all'.")
@click.option("--expires", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day the token works (YYYY-MM-DD); default: until revoked.")
def api_token_create(name: str, owner: str, scopes: tuple[str, ...], expires: Any) -> None:
    """Create an application token and print it (once: only a digest is kept)."""
    _django()
    _migrate()
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from kitab.api import services
    from kitab.api.errors import ApiError
    from kitab.api.scopes import SCOPES, parse_scopes
    from kitab.core import clock
    from kitab.core.actor import Actor

    known, unknown = parse_scopes(scopes)
    if unknown:
        raise click.BadParameter(f"unknown scope {', '.join(unknown)}; known: {', '.join(SCOPES)}, all",
                                 param_hint="--scope")
    expires_at = None
    if expires is not None:  # the token works through the whole of that day, library time
        expires_at = timezone.make_aware(datetime.combine(expires.date() + timedelta(days=1), time()))
    try:
        issued = services.create_application(name=name, owner_username=owner, scopes=known, actor=Actor.cli(),
                                             at=clock.now(), expires_at=expires_at)
    except ApiError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    click.secho(f"token for {issued.application.name!r} (owner {owner}, scopes "
                f"{' '.join(issued.application.scopes)}); it is shown only now:", err=True)
    click.echo(issued.key)


@api_token.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def api_token_list(include_revoked: bool, as_json: bool) -> None:
    """List application tokens: name, token prefix, owner, scopes, created, last used, expiry, revocation."""
    _django()
    _migrate()
    from kitab.api.selectors import applications

    def when(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    rows = [{"name": a.name, "prefix": a.prefix, "owner": a.owner.get_username(), "scopes": a.scopes,
             "created_at": when(a.created_at), "last_used_at": when(a.last_used_at),
             "expires_at": when(a.expires_at), "revoked_at": when(a.revoked_at)}
            for a in applications(include_revoked=include_revoked)]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else f"last used {row['last_used_at'] or 'never'}"
        expiry = f", expires {row['expires_at']}" if row["expires_at"] else ""
        click.echo(f"{row['name']}\t{row['prefix']}…\towner {row['owner']}\t{' '.join(row['scopes'])}\t"
                   f"created {row['created_at']}, {state}{expiry}")


@api_token.command("revoke")
@click.argument("name_or_prefix")
def api_token_revoke(name_or_prefix: str) -> None:
    """Revoke the live token with this name (or token prefix, as `list` shows it): it stops working at once."""
    _django()
    _migrate()
    from kitab.api import selectors, services
    from kitab.api.errors import ApiError
    from kitab.core import clock
    from kitab.core.actor import Actor

    try:
        application = services.revoke_application(selectors.live_application(name_or_prefix), actor=Actor.cli(),
                                                   at=clock.now())
    except ApiError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    click.echo(f"revoked {application.name!r} ({application.prefix}…)")


@main.group()
def sip2() -> None:
    """SIP2 server for self-check machines (see docs/protocols.md)."""


@sip2.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=6001, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port, printed on start).")
@click.option("--encoding", default="utf-8", show_default=True,
              help="Character set of terminals whose account names none (e.g. cp850 for older devices).")
def sip2_serve(host: str, port: int, encoding: str) -> None:
    """Serve self-check terminals over SIP2 until interrupted."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(f"unknown character set {encoding!r}", param_hint="--encoding") from None
    _django()
    _migrate()
    from kitab.protocols.sip2.server import run

    run(host=host, port=port, encoding=encoding)


@sip2.command("add-terminal")
@click.argument("login")
@click.option("--branch", "branch_code", required=True, help="Code of the branch where the terminal stands.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--charset", default="", help="The terminal's character set (default: the server's).")
@click.option("--disabled", is_flag=True, help="Create the account disabled.")
def sip2_add_terminal(login: str, branch_code: str, password: str, charset: str, disabled: bool) -> None:
    """Create (or reset) the SIP2 account LOGIN of a self-check terminal at a branch."""
    _django()
    _migrate()
    from kitab.protocols.sip2.errors import SIP2AccountError
    from kitab.protocols.sip2.services import add_terminal

    try:
        add_terminal(login, password=password, branch_code=branch_code, charset=charset, enabled=not disabled)
    except SIP2AccountError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    click.echo(f"SIP2 terminal {login!r} ready at branch {branch_code}")


@main.command("createstaff")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--superuser", is_flag=True, help="Also give full administrative rights.")
@click.option("--role", help="Staff role code: desk, cataloguer, manager, admin (or one the library added).")
@click.option("--branch", "branch_code", help="Branch code where the role applies (default: every branch).")
def createstaff(username: str, password: str, superuser: bool, role: str | None, branch_code: str | None) -> None:
    """Create (or reset the password of) a staff account, optionally with a role at a branch."""
    _django()
    _migrate()
    from kitab.patrons.errors import PatronError
    from kitab.staff.services import ensure_staff_user

    try:
        ensure_staff_user(username, password=password, superuser=superuser, role=role, branch_code=branch_code)
    except PatronError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    click.echo(f"staff account {username!r} ready")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (for operators who know Django)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kitab manage", *args])


from .cli_batches import batches  # noqa: E402 - registered after `main` exists

main.add_command(batches)

# Sub-command groups that live with their app.
from kitab.labels.cli import labels as _labels  # noqa: E402

main.add_command(_labels)


from kitab.savedsearches.cli import alerts as _alerts  # noqa: E402 - the group lives in its app

main.add_command(_alerts)


from kitab.authorities.cli import authorities as _authorities  # noqa: E402 - the group lives in its app

main.add_command(_authorities)


if __name__ == "__main__":
    main()

