"""Dates and numbers follow the interface language: the project's format modules (kitab/core/formats) and the
pages that show dates and money (the patron's summary and fines pages, the circulation messages)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation

from kitab.circulation import fines
from kitab.core import clock
from kitab.core.actor import Actor
from tests.accounts.factories import PASSWORD, patron_with_account
from tests.circulation.factories import default_rule
from tests.patrons.factories import BranchFactory, PatronCategoryFactory

DAY = datetime.date(2026, 3, 5)
# language: (short date, long date, 1234.5 with two decimals and grouping)
EXPECTED = {
    "en": ("03/05/2026", "March 5, 2026", "1,234.50"),
    "az": ("05.03.2026", "5 Mart 2026", "1\xa0234,50"),
    "tr": ("05.03.2026", "5 Mart 2026", "1.234,50"),
    "kk": ("05.03.2026", "5 Наурыз 2026 ж.", "1\xa0234,50"),
    "uz": ("05.03.2026", "5-Mart, 2026-yil", "1\xa0234,50"),
    "ky": ("05.03.2026", "5 Март 2026 ж.", "1\xa0234,50"),
    "tk": ("05.03.2026", "5 Mart 2026 ý.", "1\xa0234,50"),
    "tg": ("05.03.2026", "5 март 2026 с.", "1\xa0234,50"),
    "fa": ("2026/3/5", "5 مارس 2026", "1,234.50"),
    "ru": ("05.03.2026", "5 марта 2026 г.", "1\xa0234,50"),
}


def test_every_interface_language_has_its_formats():
    assert set(EXPECTED) == {code for code, _name in settings.LANGUAGES}
    for language, (short, long, number) in EXPECTED.items():
        with translation.override(language):
            assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short, language
            assert formats.date_format(DAY, "DATE_FORMAT") == long, language
            assert formats.number_format(Decimal("1234.5"), 2, force_grouping=True) == number, language


def test_dates_typed_the_local_way_are_understood():
    from django import forms

    for language in ("az", "tr", "kk", "ru", "tk", "tg", "ky", "uz"):
        with translation.override(language):
            assert forms.DateField().clean("05.03.2026") == DAY, language


@pytest.fixture
def patron_client(client, db, settings):  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    default_rule()
    PatronCategoryFactory(code="ADULT")
    patron = patron_with_account(card_number="FM0001", home_branch=BranchFactory(code="MAIN", name="Mərkəz"),
                                 expires_on=DAY)
    desk = Actor(channel="staff", username="desk")
    fines.charge(patron, Decimal("1234.50"), actor=desk, at=clock.now(), note="Itirilmiş kitab")
    fines.pay(patron, Decimal("0.25"), actor=desk, at=clock.now())
    client.post("/account/login/", {"identifier": "FM0001", "password": PASSWORD})
    return client


@pytest.mark.parametrize("language", ["en", "az", "tr", "kk", "fa", "ru"])
def test_fines_page_shows_money_the_local_way(patron_client, language):
    patron_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = patron_client.get("/account/fines/").content.decode()
    assert f'lang="{language}"' in page
    decimal = formats.get_format("DECIMAL_SEPARATOR", lang=language)
    assert f"1234{decimal}25" in page  # what is owed: two decimals, the language's decimal mark
    assert f"0{decimal}25" in page and f"1234{decimal}50" in page  # the payment and the charge
    other = "." if decimal == "," else ","
    assert f"1234{other}25" not in page


@pytest.mark.parametrize("language", ["az", "tr", "kk", "ru", "en"])
def test_account_summary_dates_follow_the_language(patron_client, language):
    patron_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = patron_client.get("/account/").content.decode()
    assert EXPECTED[language][0] in page  # the card's expiry date
    assert "2026-03-05" not in page.replace('datetime="2026-03-05', "")


def test_circulation_messages_format_dates_for_the_reader(db):
    from kitab.circulation.policy import patron_blocks
    from tests.patrons.factories import PatronFactory

    patron = PatronFactory(expires_on=datetime.date(2020, 1, 31))
    with translation.override("tr"):
        messages = [str(reason.message) for reason in patron_blocks(patron, clock.now())]
    assert any("31.01.2020" in message for message in messages), messages
