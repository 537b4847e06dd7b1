"""Importing authority files: added / updated / skipped, rejects with position and reason, `kitab import`
routing by leader/06."""

from __future__ import annotations

import json

import pymarc
import pytest
from click.testing import CliRunner

from kitab.authorities import services
from kitab.authorities.errors import AuthorityError
from kitab.authorities.models import Authority, AuthorityForm
from kitab.core.actor import Actor
from tests.authorities.records import authority, bib, iso, sample_authorities

ACTOR = Actor.system()


def test_import_stores_raw_record_and_extracted_fields(db, marc_file):
    report = services.import_file(marc_file(iso(*sample_authorities())), actor=ACTOR)
    assert (report.added, report.updated, report.skipped, report.rejected) == (4, 0, 0, 0)
    celebi = Authority.objects.get(control_number="a1")
    assert (celebi.kind, celebi.tag, celebi.heading) == ("personal", "100", "Çelebi, Evliya, 1611-1682")
    assert celebi.heading_key == "celebi evliia 1611 1682"
    assert celebi.control_key == "KTB|a1" and bytes(celebi.raw).startswith(b"0")
    assert sorted(celebi.forms.values_list("text", flat=True)) == ["Evliya Efendi, 1611-1682", "Mehmed Zilli, 1611-1682"]
    assert Authority.objects.get(control_number="a4").lccn == "n80012345"
    assert AuthorityForm.objects.filter(relation="see_also").count() == 1


def test_reimport_skips_unchanged_and_updates_changed(db, marc_file):
    services.import_file(marc_file(iso(*sample_authorities()), name="one.mrc"), actor=ACTOR)
    changed = sample_authorities()
    changed[1].add_field(pymarc.Field(tag="450", indicators=pymarc.Indicators(" ", " "),
                                      subfields=[pymarc.Subfield("a", "Kilims")]))
    report = services.import_file(marc_file(iso(*changed), name="two.mrc"), actor=ACTOR)
    assert (report.added, report.updated, report.skipped) == (0, 1, 3)
    assert Authority.objects.count() == 4
    assert "Kilims" in Authority.objects.get(control_number="a2").forms.values_list("text", flat=True)


def test_rejects_say_where_and_why_and_the_file_goes_on(db, marc_file):
    headless = authority("100", ["aNobody"], number="x9")
    headless.remove_fields("100")
    records = iso(sample_authorities()[0], bib("b1", "A book, not an authority"), headless, sample_authorities()[1])
    report = services.import_file(marc_file(records), actor=ACTOR)
    assert (report.added, report.rejected) == (2, 2)
    assert [(r.position, r.control_number) for r in report.rejects] == [(2, "b1"), (3, "x9")]
    assert "leader/06" in report.rejects[0].reason
    assert "no heading field" in report.rejects[1].reason
    assert report.rejects[1].offset > report.rejects[0].offset > 0


def test_missing_and_unreadable_files(db, tmp_path):
    with pytest.raises(AuthorityError) as excinfo:
        services.import_file(tmp_path / "nope.mrc", actor=ACTOR)
    assert excinfo.value.code == "file_not_found"
    junk = tmp_path / "junk.mrc"
    junk.write_text("this is not MARC at all\n")
    with pytest.raises(AuthorityError) as excinfo:
        services.import_file(junk, actor=ACTOR)
    assert excinfo.value.code == "file_unreadable"
    assert Authority.objects.count() == 0


def test_is_authority_file(db, marc_file, tmp_path):
    assert services.is_authority_file(marc_file(iso(*sample_authorities()), name="a.mrc"))
    assert not services.is_authority_file(marc_file(iso(bib("b", "Book")), name="b.mrc"))
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    assert not services.is_authority_file(junk)


def test_kitab_import_routes_authority_files_and_authorities_import_command(db, marc_file, monkeypatch):
    from kitab.cli import main

    monkeypatch.setattr("kitab.cli._django", lambda: None)
    monkeypatch.setattr("kitab.cli._migrate", lambda verbosity=0: None)
    auth_path = marc_file(iso(*sample_authorities()), name="auth.mrc")
    bib_path = marc_file(iso(bib("b1", "Seyahatname", ("100", "1 ", ["aÇelebi, Evliya,", "d1611-1682."]))),
                         name="bib.mrc")
    result = CliRunner().invoke(main, ["import", "--json", str(auth_path), str(bib_path)])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert reports[0]["added"] == 4 and reports[0]["linked_records"] == 0
    assert reports[1]["added"] == 1
    assert Authority.objects.get(control_number="a1").links.count() == 1
    again = CliRunner().invoke(main, ["authorities", "import", str(auth_path)])
    assert again.exit_code == 0, again.output
    assert "skipped 4" in again.output
