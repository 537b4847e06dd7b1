"""Search history and saved-search pages: the OPAC search remembers searches, patrons save and re-run them, and
nobody reaches another patron's searches."""

from __future__ import annotations

import pytest
from django.test import Client

from kitab.savedsearches import services
from kitab.savedsearches.models import SavedSearch, SearchHistoryEntry
from kitab.savedsearches.spec import SearchSpec
from tests.lists.factories import OPAC, T0, patron_with_account, signed_in

pytestmark = pytest.mark.django_db
XSS = '"><script>alert(1)</script>'


@pytest.fixture
def demo(import_demo):  # type: ignore[no-untyped-def]
    import_demo(10)


def test_visitor_history_lives_in_a_cookie_and_can_be_cleared(client, demo):
    client.get("/search/?q=the&language=eng")
    client.get("/search/?q=the&language=eng&page=2")  # paging is the same search
    client.get("/search/?q=" + XSS)
    client.get("/search/?q=Nəsimi")  # any script: the cookie stays ASCII
    assert not SearchHistoryEntry.objects.exists()
    assert "sessionid" not in client.cookies  # a visitor's search writes no session row
    page = client.get("/searches/").content.decode()
    assert page.count('<ol class="plain search-history">') == 1
    assert "/search/?q=the&amp;language=eng" in page and "Nəsimi" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "Sign in to save searches" in page
    client.post("/searches/history/clear/")
    assert "No recent searches." in client.get("/searches/").content.decode()
    assert Client().get("/searches/").status_code == 200


def test_patron_history_save_rerun_alert_delete(client, demo):
    patron = patron_with_account(email="reader@example.org")
    signed_in(client, patron)
    results = client.get("/search/?q=the&language=eng&sort=year_desc").content.decode()
    assert 'action="/searches/save/"' in results
    entry = SearchHistoryEntry.objects.get(patron=patron)
    assert entry.spec == SearchSpec.of("the", {"language": ["eng"]}, "year_desc")

    response = client.post("/searches/save/", {"q": "the", "language": "eng", "sort": "year_desc",
                                               "name": "English “the”", "alert": "on",
                                               "next": "/search/?q=the&language=eng&sort=year_desc"})
    assert response.status_code == 302 and response["Location"].startswith("/search/?q=the")
    saved = SavedSearch.objects.get(patron=patron)
    assert saved.alert and saved.spec == entry.spec

    page = client.get("/searches/").content.decode()
    assert "English “the”" in page and "Email alerts: on" in page
    rerun = client.get(f"/searches/{saved.pk}/run/")
    assert rerun.status_code == 302 and rerun["Location"] == "/search/?q=the&language=eng&sort=year_desc"
    assert client.get(rerun["Location"]).status_code == 200

    client.post(f"/searches/{saved.pk}/alert/", {})
    saved.refresh_from_db()
    assert not saved.alert
    client.post(f"/searches/{saved.pk}/alert/", {"alert": "on"})
    saved.refresh_from_db()
    assert saved.alert

    duplicate = client.post("/searches/save/", {"q": "x", "name": "english “the”"}, follow=True)
    assert "already have a saved search" in duplicate.content.decode()
    client.post("/searches/history/clear/")
    assert not SearchHistoryEntry.objects.filter(patron=patron).exists()
    client.post(f"/searches/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_other_patrons_saved_searches_are_404(client, demo):
    owner, stranger = patron_with_account(), patron_with_account()
    saved = services.save_search(patron=owner, name="Mine", spec=SearchSpec.of("secret"), actor=OPAC, at=T0)
    services.record_search(patron=owner, spec=SearchSpec.of("private words"), total=1, at=T0)
    signed_in(client, stranger)
    assert client.get(f"/searches/{saved.pk}/run/").status_code == 404
    assert client.post(f"/searches/{saved.pk}/alert/", {"alert": "on"}).status_code == 404
    assert client.post(f"/searches/{saved.pk}/delete/").status_code == 404
    page = client.get("/searches/").content.decode()
    assert "Mine" not in page and "private words" not in page and "secret" not in page
    client.post("/searches/history/clear/")
    assert SearchHistoryEntry.objects.filter(patron=owner).exists()


def test_saving_needs_a_patron(client, demo):
    response = client.post("/searches/save/", {"q": "the", "name": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SavedSearch.objects.exists()
