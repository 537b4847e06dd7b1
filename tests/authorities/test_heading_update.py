"""Changing an authority heading rewrites every linked record through the catalogue's save path, as a job with
progress that can be resumed; the CLI runs waiting jobs."""

from __future__ import annotations

from click.testing import CliRunner

from kitab.authorities import services
from kitab.authorities.models import Authority, HeadingLink, HeadingUpdateJob
from kitab.catalogue.models import Record, RecordVersion
from kitab.core.actor import Actor
from kitab.marc.iso2709 import parse_record
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.authorities.records import authority

ACTOR = Actor(channel="staff", username="cataloguer")


def _marc(number: str):  # type: ignore[no-untyped-def]
    return parse_record(bytes(Record.objects.get(control_number=number).raw))[0]


def _rename_celebi() -> services.SaveOutcome:
    marc = authority("100", ["aEvliya Çelebi,", "d1611-1682"], number="a1",
                     see_from=[("400", ["aÇelebi, Evliya,", "d1611-1682"]), ("400", ["aEvliya Efendi,", "d1611-1682"])])
    return services.save_authority(authority=Authority.objects.get(control_number="a1"), marc=marc, actor=ACTOR)


def test_heading_change_queues_a_job_and_the_job_rewrites_linked_records(load_sample, django_capture_on_commit_callbacks):
    load_sample()
    outcome = _rename_celebi()
    job = outcome.job
    assert job is not None and (job.status, job.total, job.done) == ("queued", 2, 0)
    assert job.old_heading == "Çelebi, Evliya, 1611-1682" and job.new_heading == "Evliya Çelebi, 1611-1682"
    seen: list[int] = []
    with django_capture_on_commit_callbacks(execute=True):
        finished = services.run_job(job, actor=ACTOR, on_progress=lambda j: seen.append(j.done))
    assert (finished.status, finished.done, finished.changed, finished.error_count) == ("finished", 2, 2, 0)
    assert finished.percent == 100 and seen[-1] == 2
    # The relator and the final full stop of the record's own field are kept.
    b1 = _marc("b1")["100"]
    assert [(s.code, s.value) for s in b1.subfields] == [("a", "Evliya Çelebi,"), ("d", "1611-1682,"), ("e", "author.")]
    assert _marc("b5")["100"].value() == "Evliya Çelebi, 1611-1682."
    # Each change went through save_record: a version with the authority channel and a reason.
    version = RecordVersion.objects.filter(record__control_number="b1").order_by("-number").first()
    assert version.channel == "authority" and "Evliya Çelebi" in version.reason and version.actor == "cataloguer"
    # Still linked (same link rows), and found by the new heading and the old one (now a 400).
    assert set(HeadingLink.objects.filter(authority__control_number="a1").values_list("record__control_number",
                                                                                       flat=True)) == {"b1", "b5"}
    hits = search_services.search(SearchRequest(query='author:"Evliya Çelebi"')).hits
    assert {h.control_number for h in hits} == {"b1", "b5"}
    assert {h.control_number for h in search_services.search(SearchRequest(query="Efendi")).hits} == {"b1", "b5"}


def test_job_runs_again_harmlessly_and_resumes_after_an_interruption(load_sample):
    load_sample()
    job = _rename_celebi().job
    first = HeadingLink.objects.filter(authority=job.authority).order_by("pk").first()
    HeadingUpdateJob.objects.filter(pk=job.pk).update(status="running", done=1, last_link_id=first.pk)
    finished = services.run_job(job, actor=ACTOR)
    assert (finished.done, finished.changed) == (2, 1)  # only the record after the recorded position
    assert services.run_job(finished, actor=ACTOR).changed == 1  # finished: nothing happens again


def test_a_record_that_cannot_be_changed_is_reported_and_the_others_go_on(load_sample, monkeypatch):
    load_sample()
    job = _rename_celebi().job
    from kitab.catalogue import editing

    real = editing.save_record

    def refuse_b1(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["record"].control_number == "b1":
            raise RuntimeError("record locked by another cataloguer")
        return real(**kwargs)

    monkeypatch.setattr(editing, "save_record", refuse_b1)
    finished = services.run_job(job, actor=ACTOR)
    assert (finished.status, finished.done, finished.changed, finished.error_count) == ("finished", 2, 1, 1)
    assert finished.errors == [{"record": Record.objects.get(control_number="b1").pk,
                                "message": "record locked by another cataloguer"}]


def test_a_change_that_keeps_the_heading_queues_no_job(load_sample):
    load_sample()
    marc = authority("100", ["aÇelebi, Evliya,", "d1611-1682"], number="a1", see_from=[("400", ["aSeyyah"])])
    assert services.save_authority(authority=Authority.objects.get(control_number="a1"), marc=marc,
                                   actor=ACTOR).job is None


def test_cli_update_headings_runs_waiting_jobs_with_a_progress_report(load_sample, monkeypatch):
    from kitab.cli import main

    monkeypatch.setattr("kitab.cli._django", lambda: None)
    monkeypatch.setattr("kitab.cli._migrate", lambda verbosity=0: None)
    load_sample()
    job = _rename_celebi().job
    result = CliRunner().invoke(main, ["authorities", "update-headings", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 linked records checked, 2 changed, 0 could not be changed" in result.output
    job.refresh_from_db()
    assert job.status == "finished"
    again = CliRunner().invoke(main, ["authorities", "update-headings", "--quiet"])
    assert "no heading update waiting" in again.output


def test_pending_jobs_include_abandoned_running_ones(load_sample):
    from datetime import timedelta

    from kitab.core import clock

    load_sample()
    job = _rename_celebi().job
    HeadingUpdateJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=clock.now())
    assert services.pending_jobs() == []
    HeadingUpdateJob.objects.filter(pk=job.pk).update(heartbeat_at=clock.now() - timedelta(minutes=5))
    assert [j.pk for j in services.pending_jobs()] == [job.pk]


def test_saves_in_one_transaction_share_one_index_update(load_sample, django_capture_on_commit_callbacks):
    """What makes a heading update of thousands of records affordable: one index commit per batch, not per
    record (kitab.catalogue.editing.index_after_commit)."""
    from django.db import transaction

    from kitab.catalogue.editing import save_record

    load_sample()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for number in ("b1", "b2", "b3"):
            record = Record.objects.get(control_number=number)
            marc = _marc(number)
            marc["245"]["a"] = marc["245"]["a"] + " (revised)"
            save_record(record=record, marc=marc, actor=ACTOR, channel="editor", validate=False)
    assert len(callbacks) == 1
    callbacks[0]()
    assert search_services.search(SearchRequest(query="revised")).total == 3
