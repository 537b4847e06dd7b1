"""The `kitab` command: thin adapter checks (parsing, output shape, exit codes), not the rules again."""

from __future__ import annotations

import gzip
import io
import json

import pymarc
import pytest
from click.testing import CliRunner

from kitab.catalogue.models import Record
from kitab.cli import main
from tests.conftest import demo_raw_records


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_import_json_report_and_search_json(db, runner, tmp_path):
    path = tmp_path / "demo.mrc.gz"
    raws = list(demo_raw_records(60))
    path.write_bytes(gzip.compress(b"".join(raws) + b"00050nam  2200037   4500broken\x1e\x1d"))

    result = runner.invoke(main, ["import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["added"], report["updated"], report["skipped"], report["rejected"]) == (60, 0, 0, 1)
    assert report["rejects"][0]["position"] == 61
    assert report["report_path"].endswith("-rejects.tsv")

    record = Record.objects.order_by("pk").first()
    result = runner.invoke(main, ["search", f'title:"{record.title}"', "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    hit = data["hits"][0]
    assert {"record_id", "control_number", "title", "authors", "year", "score"} <= set(hit)
    assert hit["record_id"] == record.pk and hit["control_number"] == record.control_number
    assert set(data["facets"]) >= {"language", "material_type", "year", "author", "subject", "branch", "available"}


def test_search_facet_option_filters_and_bad_facet_is_refused(db, runner, import_demo):
    import_demo(100)
    all_hits = json.loads(runner.invoke(main, ["search", "", "--json", "--limit", "0"]).output)
    english = json.loads(runner.invoke(main, ["search", "", "--json", "--facet", "language=eng"]).output)
    assert 0 < english["total"] < all_hits["total"]
    bad = runner.invoke(main, ["search", "x", "--facet", "language"])
    assert bad.exit_code == 2 and "FIELD=VALUE" in bad.output


def test_import_of_missing_file_fails_cleanly(db, runner, tmp_path):
    result = runner.invoke(main, ["import", str(tmp_path / "missing.mrc")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_export_marcxml_to_file(db, runner, import_demo, tmp_path):
    import_demo(15)
    out = tmp_path / "out.xml"
    result = runner.invoke(main, ["export", "--format", "marcxml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pymarc.parse_xml_to_array(io.BytesIO(out.read_bytes()))) == 15


def test_reindex_rebuilds_a_deleted_index(db, runner, import_demo, settings):
    import shutil

    from kitab.search import services

    import_demo(40)
    services.reset_engine()
    shutil.rmtree(settings.KITAB_INDEX_DIR)
    result = runner.invoke(main, ["reindex", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "indexed 40 records" in result.output
    from kitab.search.types import SearchRequest

    assert services.search(SearchRequest(query="")).total == 40


def test_bench_search_reports_timings(db, runner, import_demo, tmp_path):
    import_demo(50)
    queries = tmp_path / "q.txt"
    queries.write_text("# a comment\nhistory\n\ntitle:war\n", encoding="utf-8")
    result = runner.invoke(main, ["bench", "search", "--queries", str(queries), "--repeat", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [t["query"] for t in data["timings"]] == ["history", "title:war"]
    assert data["repeat"] == 2 and data["p95_ms"] >= data["median_ms"] > 0


def test_reindex_replaces_an_index_built_with_another_schema(db, runner, import_demo, settings):
    import json as _json

    from kitab.search import services
    from kitab.search.engine import VERSION_FILE
    from kitab.search.types import SearchRequest

    import_demo(20)
    services.reset_engine()
    version_file = settings.KITAB_INDEX_DIR / VERSION_FILE
    data = _json.loads(version_file.read_text())
    data["schema_version"] = 1 if data.get("schema_version") != 1 else 99
    version_file.write_text(_json.dumps(data))
    result = runner.invoke(main, ["reindex", "--quiet"])
    assert result.exit_code == 0, result.output
    assert services.search(SearchRequest(query="")).total == 20
