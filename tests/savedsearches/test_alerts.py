"""Saved-search alerts against the real index: new matching records are mailed once, old and non-matching ones
never; a failed send is retried by the next run."""

from __future__ import annotations

import json
import smtplib
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core import mail
from django.utils import timezone

from kitab.catalogue.models import Record
from kitab.cli import main as cli
from kitab.savedsearches import alerts, services
from kitab.savedsearches.models import AlertedRecord
from kitab.savedsearches.spec import SearchSpec
from kitab.search.services import search
from kitab.search.types import SearchRequest
from tests.conftest import demo_raw_records
from tests.lists.factories import OPAC
from tests.patrons.factories import PatronFactory

pytestmark = pytest.mark.django_db
ENGLISH = SearchSpec.of("", {"language": ["eng"]})


def _import(marc_file, first: int, last: int) -> list[int]:  # type: ignore[no-untyped-def]
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor

    before = set(Record.objects.values_list("pk", flat=True))
    raws = list(demo_raw_records(last))[first:last]
    import_file(marc_file(raws, name=f"demo-{first}-{last}.mrc"), actor=Actor.system())
    return sorted(set(Record.objects.values_list("pk", flat=True)) - before)


def test_search_can_be_restricted_to_record_ids(import_demo):
    import_demo(20)
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    everything = search(SearchRequest(limit=100))
    assert everything.total == 20
    some = search(SearchRequest(record_ids=ids[3:6], limit=100))
    assert sorted(h.record_id for h in some.hits) == ids[3:6] and some.total == 3
    assert search(SearchRequest(record_ids=[], limit=100)).total == 0
    english = search(SearchRequest(filters={"language": ["eng"]}, record_ids=ids[:10], limit=100))
    assert {h.record_id for h in english.hits} <= set(ids[:10])


def test_new_matching_records_are_mailed_once(marc_file):
    old = _import(marc_file, 0, 10)
    patron = PatronFactory(email="reader@example.org", language="en")
    switched_on = timezone.now()
    saved = services.save_search(patron=patron, name="English books", spec=ENGLISH, actor=OPAC, at=switched_on,
                                 alert=True)
    new = _import(marc_file, 10, 20)
    english_new = [h.record_id for h in search(SearchRequest(filters={"language": ["eng"]}, record_ids=new,
                                                             limit=100)).hits]
    assert english_new, "the demo slice should hold English records"

    at = timezone.now() + timedelta(minutes=1)
    report = alerts.run_alerts(at=at, actor=OPAC)
    assert [(r.status, r.new_records) for r in report.results] == [("sent", len(english_new))]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"] and "English books" in message.subject
    for record_id in english_new:
        assert f"/record/{record_id}/" in message.body
    for record_id in old:
        assert f"/record/{record_id}/" not in message.body
    assert "/search/?q=&language=eng" in message.body and "/searches/" in message.body
    assert set(AlertedRecord.objects.filter(saved_search=saved).values_list("record_id", flat=True)) == \
        set(english_new)

    again = alerts.run_alerts(at=at + timedelta(hours=1), actor=OPAC)
    assert [r.status for r in again.results] == ["nothing_new"] and len(mail.outbox) == 1


def test_dry_run_sends_and_writes_nothing_and_no_email_is_skipped(marc_file):
    reader = PatronFactory(email="reader@example.org")
    silent = PatronFactory(email="")
    saved = services.save_search(patron=reader, name="E", spec=ENGLISH, actor=OPAC, at=timezone.now(), alert=True)
    services.save_search(patron=silent, name="E", spec=ENGLISH, actor=OPAC, at=timezone.now())
    # an alert left on after the patron removed their address
    services.set_alert(services.save_search(patron=PatronFactory(email="x@example.org"), name="E", spec=ENGLISH,
                                            actor=OPAC, at=timezone.now()), on=True, actor=OPAC, at=timezone.now())
    from kitab.patrons.models import Patron

    Patron.objects.filter(email="x@example.org").update(email="")
    _import(marc_file, 0, 10)
    report = alerts.run_alerts(at=timezone.now() + timedelta(minutes=1), actor=OPAC, dry_run=True)
    assert sorted(r.status for r in report.results) == ["no_email", "would_send"]
    assert not mail.outbox and not AlertedRecord.objects.exists()
    saved.refresh_from_db()
    assert saved.last_checked_at is not None and saved.last_checked_at < timezone.now()


def test_a_failed_send_is_retried_by_the_next_run(marc_file, monkeypatch):
    patron = PatronFactory(email="reader@example.org")
    services.save_search(patron=patron, name="E", spec=ENGLISH, actor=OPAC, at=timezone.now(), alert=True)
    _import(marc_file, 0, 10)
    real_send = alerts._send

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(alerts, "_send", broken)
    at = timezone.now() + timedelta(minutes=1)
    assert [r.status for r in alerts.run_alerts(at=at, actor=OPAC).results] == ["failed"]
    assert not AlertedRecord.objects.exists()
    monkeypatch.setattr(alerts, "_send", real_send)
    assert [r.status for r in alerts.run_alerts(at=at, actor=OPAC).results] == ["sent"]
    assert len(mail.outbox) == 1


def test_alert_mail_in_the_patrons_language(marc_file):
    patron = PatronFactory(email="reader@example.org", language="az")
    services.save_search(patron=patron, name="Kitablar", spec=ENGLISH, actor=OPAC, at=timezone.now(), alert=True)
    _import(marc_file, 0, 10)
    alerts.run_alerts(at=timezone.now() + timedelta(minutes=1), actor=OPAC)
    assert "yeni" in mail.outbox[0].subject.lower()


def test_cli_alerts_run(marc_file):
    patron = PatronFactory(email="reader@example.org", card_number="C-777")
    services.save_search(patron=patron, name="E", spec=ENGLISH, actor=OPAC, at=timezone.now(), alert=True)
    _import(marc_file, 0, 10)
    when = (timezone.now() + timedelta(minutes=1)).isoformat()
    runner = CliRunner()
    first = runner.invoke(cli, ["alerts", "run", "--at", when, "--json"])
    assert first.exit_code == 0, first.output
    rows = json.loads(first.output)
    assert rows[0]["status"] == "sent" and rows[0]["card_number"] == "C-777"
    second = runner.invoke(cli, ["alerts", "run", "--at", when])
    assert second.exit_code == 0 and "nothing_new: 1" in second.output
    bad = runner.invoke(cli, ["alerts", "run", "--at", "soon"])
    assert bad.exit_code == 2 and "ISO 8601" in bad.output
