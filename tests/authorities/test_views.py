"""Staff pages: adapters only (parsing, permission, messages); the rules are tested in the service tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitab.authorities.models import Authority, HeadingLink, HeadingUpdateJob
from kitab.catalogue.models import Record
from tests.staff_accounts import signed_in, staff_user


@pytest.fixture
def cataloguer(django_user_model, db):  # type: ignore[no-untyped-def]
    return signed_in(staff_user("cataloguer", role="cataloguer"))


@pytest.fixture
def viewer(django_user_model, db):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(django_user_model.objects.create_user("viewer", password="x", is_staff=True))
    return client


def test_pages_need_a_staff_account(db, client):
    response = client.get(reverse("authorities:index"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_search_finds_headings_by_variant_with_link_counts(load_sample, viewer):
    load_sample()
    response = viewer.get(reverse("authorities:index"), {"q": "efendi"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Çelebi, Evliya, 1611-1682" in page and "1 heading found." in page
    assert response.context["entries"][0].link_count == 2
    none = viewer.get(reverse("authorities:index"), {"q": "zzzz"})
    assert "No heading or variant form matches" in none.content.decode()


def test_browse_files_folded_headings_in_order(load_sample, viewer):
    load_sample()
    response = viewer.get(reverse("authorities:index"), {"q": "Ç", "mode": "browse"})
    headings = [a.heading for a in response.context["entries"]]
    assert headings == ["Carpets", "Çelebi, Evliya, 1611-1682"]  # "c" and "ç" file together
    everything = viewer.get(reverse("authorities:index"))
    assert everything.context["entries"][0].heading == "Azərbaycan Milli Kitabxanası"
    typed = viewer.get(reverse("authorities:index"), {"kind": "geographic", "mode": "browse"})
    assert [a.heading for a in typed.context["entries"]] == ["Bakı (Azerbaijan)"]


def test_detail_shows_variants_and_linked_records(load_sample, viewer):
    load_sample()
    carpets = Authority.objects.get(control_number="a2")
    page = viewer.get(reverse("authorities:detail", args=[carpets.pk])).content.decode()
    assert "Rugs, Oriental" in page and "Textile fabrics" in page
    assert "Xalça sənəti" in page and "Seyahatname" in page
    assert "Edit" not in page  # no catalogue.edit permission: no editing buttons


def test_create_with_the_text_editor_and_errors_by_line(db, cataloguer):
    form = cataloguer.get(reverse("authorities:create"), {"tag": "151"})
    assert "151 \\\\ $a" in form.content.decode()
    bad = cataloguer.post(reverse("authorities:create"), {"marc": "LDR 00000nz  a2200000n  4500\n1 bad\n"})
    assert bad.status_code == 200
    assert "Line 2: a field starts with a three-character tag." in bad.content.decode()
    headless = cataloguer.post(reverse("authorities:create"), {"marc": "008 x\n670 \\\\ $aSource\n"})
    assert "no heading field" in headless.content.decode()
    good = cataloguer.post(
        reverse("authorities:create"),
        {"marc": "LDR 00000nz  a2200000n  4500\n001 g1\n003 KTB\n151 \\\\ $aGəncə (Azerbaijan)\n"
                 "451 \\\\ $aGanja (Azerbaijan)\n"},
    )
    created = Authority.objects.get(control_number="g1")
    assert good.status_code == 302 and good["Location"] == reverse("authorities:detail", args=[created.pk])
    assert created.kind == "geographic" and created.forms.get().text == "Ganja (Azerbaijan)"
    duplicate = cataloguer.post(
        reverse("authorities:create"), {"marc": "LDR 00000nz  a2200000n  4500\n001 g1\n003 KTB\n151 \\\\ $aX\n"}
    )
    assert "already has the control number g1" in duplicate.content.decode()


def test_editing_without_permission_is_refused(load_sample, viewer):
    load_sample()
    pk = Authority.objects.get(control_number="a1").pk
    assert viewer.get(reverse("authorities:edit", args=[pk])).status_code == 403
    assert viewer.post(reverse("authorities:delete", args=[pk])).status_code == 403
    assert Authority.objects.filter(pk=pk).exists()


def test_heading_change_in_the_editor_runs_the_job_and_shows_progress(load_sample, cataloguer, jobs_sync,
                                                                      django_capture_on_commit_callbacks):
    load_sample()
    celebi = Authority.objects.get(control_number="a1")
    text = cataloguer.get(reverse("authorities:edit", args=[celebi.pk])).context["form"].initial["marc"]
    assert "2 records are linked to this heading" in cataloguer.get(
        reverse("authorities:edit", args=[celebi.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = cataloguer.post(reverse("authorities:edit", args=[celebi.pk]),
                                   {"marc": text.replace("$aÇelebi, Evliya,", "$aEvliya Çelebi,")})
    job = HeadingUpdateJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("authorities:job", args=[job.pk])
    progress = cataloguer.get(reverse("authorities:job_progress", args=[job.pk])).json()
    assert progress == {"status": "finished", "status_label": "finished", "done": 2, "total": 2, "changed": 2,
                        "errors": 0, "percent": 100, "active": False}
    page = cataloguer.get(reverse("authorities:job", args=[job.pk])).content.decode()
    assert "Evliya Çelebi, 1611-1682" in page and 'value="100"' in page
    assert "Evliya Çelebi" in Record.objects.get(control_number="b5").author


def test_record_headings_page_and_manual_link(load_sample, cataloguer):
    load_sample()
    record = Record.objects.get(control_number="b5")
    page = cataloguer.get(reverse("authorities:record", args=[record.pk])).content.decode()
    assert "Çelebi, Evliya, 1611-1682" in page and "matching heading" in page
    link = HeadingLink.objects.get(record=record)
    choose = cataloguer.get(reverse("authorities:link_heading", args=[link.pk]), {"q": "celebi"})
    assert [a.control_number for a in choose.context["candidates"]] == ["a1"]
    unlink = cataloguer.post(reverse("authorities:link_heading", args=[link.pk]), {"authority": ""})
    assert unlink.status_code == 302
    link.refresh_from_db()
    assert link.authority is None
    cataloguer.post(reverse("authorities:link_heading", args=[link.pk]), {"authority": str(link.pk + 10_000)})
    link.refresh_from_db()
    assert link.authority is None  # unknown authority: a message, nothing linked
    subject = Authority.objects.get(control_number="a2")
    wrong = cataloguer.post(reverse("authorities:link_heading", args=[link.pk]), {"authority": str(subject.pk)},
                            follow=True)
    assert "can only be linked to a 100 authority record" in wrong.content.decode()
    cataloguer.post(reverse("authorities:link_heading", args=[link.pk]),
                    {"authority": str(Authority.objects.get(control_number="a1").pk)})
    link.refresh_from_db()
    assert link.method == "manual"


def test_unlinked_report_relink_and_delete(load_sample, cataloguer):
    load_sample()
    HeadingLink.objects.filter(authority__control_number="a3").update(authority=None, method="", match="")
    report = cataloguer.get(reverse("authorities:unlinked"), {"tag": "110"})
    assert [row["heading"] for row in report.context["rows"]] == ["Azərbaycan Milli Kitabxanası"]
    a3 = Authority.objects.get(control_number="a3")
    response = cataloguer.post(reverse("authorities:relink", args=[a3.pk]), follow=True)
    assert "1 more record is now linked" in response.content.decode()
    confirm = cataloguer.get(reverse("authorities:delete", args=[a3.pk]))
    assert "1 record is linked to this heading" in confirm.content.decode()
    deleted = cataloguer.post(reverse("authorities:delete", args=[a3.pk]), follow=True)
    assert "no longer linked to it" in deleted.content.decode()
    assert not Authority.objects.filter(pk=a3.pk).exists()


def test_unknown_ids_are_404(db, viewer):
    assert viewer.get(reverse("authorities:detail", args=[999])).status_code == 404
    assert viewer.get(reverse("authorities:job_progress", args=[999])).status_code == 404
    assert viewer.get(reverse("authorities:index"), {"page": "x", "q": "a"}).status_code == 200


def test_create_an_authority_from_an_unlinked_heading(load_sample, cataloguer, django_capture_on_commit_callbacks):
    load_sample()
    link = HeadingLink.objects.get(record__control_number="b1", tag="650")
    link.authority, link.method = None, ""
    link.save()
    report = cataloguer.get(reverse("authorities:unlinked")).content.decode()
    assert f"?from={link.pk}" in report
    form = cataloguer.get(reverse("authorities:create"), {"from": str(link.pk)})
    text = form.context["form"].initial["marc"]
    # The subject without its subdivisions, in a 150 (ISBD full stop of the record left out).
    assert "150 \\\\ $aCarpets\n" in text
    name = HeadingLink.objects.get(record__control_number="b1", tag="100")
    name_text = cataloguer.get(reverse("authorities:create"), {"from": str(name.pk)}).context["form"].initial["marc"]
    assert "100 1\\ $aÇELEBİ, EVLİYA,$d1611-1682\n" in name_text  # relator $e left out, first indicator kept
    assert cataloguer.get(reverse("authorities:create"), {"from": "nope"}).status_code == 200


def test_cli_link_relinks_every_record(load_sample, monkeypatch):
    from click.testing import CliRunner

    from kitab.cli import main

    monkeypatch.setattr("kitab.cli._django", lambda: None)
    monkeypatch.setattr("kitab.cli._migrate", lambda verbosity=0: None)
    load_sample()
    HeadingLink.objects.update(authority=None, method="", match="")
    result = CliRunner().invoke(main, ["authorities", "link", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "records whose links changed: 4" in result.output
    assert HeadingLink.objects.exclude(authority=None).count() == 6
