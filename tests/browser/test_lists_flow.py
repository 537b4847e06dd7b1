"""A record list in a real browser: add two records from their record pages to a new list, edit a subfield in
both, see the change in the record, undo the batch. Screenshots: test-artifacts/screenshots/lists-*.png."""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "lists browser password"


@pytest.fixture
def records(transactional_db, live_server, settings):  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    from django.contrib.auth import get_user_model

    from kitab.catalogue import editing
    from kitab.core.actor import Actor
    from tests.marc.builders import cf, df, make_record

    get_user_model().objects.create_user("cataloguer", password=PASSWORD, is_staff=True, is_superuser=True)
    made = []
    for number, title in [("lst1", "Kitabi Dədə Qorqud"), ("lst2", "Leyli və Məcnun")]:
        marc = make_record(cf("001", number), df("245", "10", "a", title))
        made.append(editing.save_record(record=None, marc=marc, actor=Actor.system(), channel="editor",
                                        validate=False))
    return made


@pytest.fixture
def browser(records):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def test_add_to_list_batch_edit_and_undo(records, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    staff_sign_in(page, live_server.url, "cataloguer", PASSWORD)

    page.goto(f"{live_server.url}/staff/record/{records[0].pk}/marc/")
    page.fill(".add-to-list input[name=new_name]", "To be checked")
    page.click(".add-to-list button[type=submit]")
    page.wait_for_load_state()
    assert "1 record added to To be checked." in page.locator(".flash").inner_text()
    page.goto(f"{live_server.url}/staff/record/{records[1].pk}/marc/")
    page.select_option(".add-to-list select[name=list]", label="To be checked")
    page.click(".add-to-list button[type=submit]")
    page.wait_for_load_state()

    page.click(".staff-bar >> text=Record lists")
    page.click("table.data-table >> text=To be checked")
    assert page.locator(".list-entries tbody tr").count() == 2
    page.fill("#id_tag", "590")
    page.fill("#id_code", "a")
    page.select_option("#id_operation", value="add")
    page.fill("#id_value", "Yoxlanılıb")
    page.click("text=Apply to every record")
    page.wait_for_load_state()
    assert "Batch edit done: 2 changed" in page.locator(".notice-success").inner_text()
    shot(page, "lists-01-batch-edit")

    page.goto(f"{live_server.url}/staff/record/{records[0].pk}/marc/")
    assert "Yoxlanılıb" in page.content()
    page.go_back()
    page.click("button:has-text('Undo')")
    page.wait_for_load_state()
    assert "2 records restored." in page.locator(".flash").inner_text()
    shot(page, "lists-02-undone")
    page.goto(f"{live_server.url}/staff/record/{records[0].pk}/marc/")
    assert "Yoxlanılıb" not in page.content()
    context.close()
