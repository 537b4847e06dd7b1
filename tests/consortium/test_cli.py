"""`kitab harvest add | list | run`: parsing, output and exit codes only."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kitab.catalogue.models import Record
from kitab.cli import main

from .conftest import demo_xml, list_page, record_xml


def test_add_list_run(db, repository):
    runner = CliRunner()
    result = runner.invoke(main, ["harvest", "add", "EAST", "East Library", repository.url, "--set", "type:book"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["harvest", "add", "EAST", "Again", repository.url])
    assert result.exit_code == 2 and "exists already" in result.output

    records = demo_xml(3)
    repository.pages[""] = list_page([record_xml(f"oai:e:{n}", records[n]) for n in range(3)])
    result = runner.invoke(main, ["harvest", "run", "--json"])
    assert result.exit_code == 0, result.output
    (run,) = json.loads(result.output)
    assert (run["member"], run["status"], run["added"]) == ("EAST", "finished", 3)
    assert repository.list_requests()[0]["set"] == "type:book"
    assert Record.objects.filter(source="EAST").count() == 3

    result = runner.invoke(main, ["harvest", "list"])
    assert result.exit_code == 0 and "EAST" in result.output and "finished" in result.output

    repository.pages[""] = 500
    result = runner.invoke(main, ["harvest", "run", "EAST"])
    assert result.exit_code == 1 and "HTTP 500" in result.output
    result = runner.invoke(main, ["harvest", "run", "WEST"])
    assert result.exit_code == 2 and "WEST" in result.output
