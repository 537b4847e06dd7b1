"""Record text in its own script whatever the interface language: the results page shows the original-script
(880) title of a hit under its romanised title, right to left for Arabic script, in an English and a Persian page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from kitab.catalogue.selectors import _has_880, vernacular_titles
from tests.opac.catalogue import VERNACULAR_TURK_DILI


@pytest.mark.parametrize("language,page_dir", [("en", "ltr"), ("fa", "rtl")])
def test_results_show_the_vernacular_title_beside_the_romanised_one(client, catalogue, language, page_dir):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/search/", {"q": "Türk dili"}).content.decode()
    assert f'dir="{page_dir}"' in re.search(r"<html[^>]*>", body).group(0)
    hit = body.split(f'href="/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/"', 1)[1].split("</li>", 1)[0]
    assert "Türk dīlī" in hit
    assert re.search(r'<p class="hit-vern vern" dir="rtl">تورک ديلى : درس اوجاغى', hit)


def test_only_records_with_880_fields_are_read(catalogue):
    from kitab.catalogue.models import Record

    ids = list(Record.objects.values_list("pk", flat=True))
    found = vernacular_titles(ids)
    assert catalogue.pk(VERNACULAR_TURK_DILI) in found and found[catalogue.pk(VERNACULAR_TURK_DILI)].dir == "rtl"
    with_880 = [pk for pk, raw in Record.objects.values_list("pk", "raw") if _has_880(bytes(raw))]
    assert set(found) <= set(with_880) and len(with_880) < len(ids)
    assert vernacular_titles([]) == {}
