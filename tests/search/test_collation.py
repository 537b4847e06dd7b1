"""Title and author sort keys in the order of the catalogue's alphabets, and the author sort of the engine."""

from __future__ import annotations

from kitab.search.collation import LAST, sort_key
from kitab.search.types import SearchRequest


def test_azerbaijani_and_turkish_letters_have_their_own_places():
    words = ["Zəfər", "Çiçək", "Cəmil", "Şuşa", "Səməd", "Əli", "Eldar", "Öz", "Oba", "Üzüm", "Uşaq", "Hacı",
             "Xalq", "Abay", "ılık", "İnci", "Qala", "Kitab", "Lalə"]
    assert sorted(words, key=sort_key) == ["Abay", "Cəmil", "Çiçək", "Eldar", "Əli", "Hacı", "Xalq", "ılık",
                                           "İnci", "Kitab", "Qala", "Lalə", "Oba", "Öz", "Səməd", "Şuşa", "Uşaq",
                                           "Üzüm", "Zəfər"]


def test_cyrillic_after_latin_with_kazakh_letters_after_their_base():
    assert sorted(["Ғабит", "Абай", "Гоголь", "Дала", "Zaman"], key=sort_key) == [
        "Zaman", "Абай", "Гоголь", "Ғабит", "Дала"]


def test_case_punctuation_and_empty_headings():
    assert sort_key("ÇİÇƏK") == sort_key("çiçək")
    assert sort_key("“Kitab-i Dədə Qorqud”") == sort_key("Kitabi Dədə Qorqud")
    assert sort_key("") == sort_key("— ...") == LAST
    assert sort_key("1001 gecə") < sort_key("Abay")


def test_sort_by_author_puts_headings_in_alphabet_order_and_records_without_author_last(engine):
    hits = engine.search(SearchRequest("", sort="author", limit=20)).hits
    authors = [h.authors[0].split(",")[0] for h in hits if h.authors]
    assert authors == ["Ivanov", "Kaya", "Məmmədov", "Ortaylı", "Smith", "Tolstoy", "Tolstoy", "Yılmaz"]
    assert all(not h.authors for h in hits[len(authors):])


def test_sort_by_title_follows_the_alphabet(engine):
    titles = [h.title for h in engine.search(SearchRequest("", sort="title", limit=20)).hits]
    assert titles.index("Azerbaycan tarihi") < titles.index("Azərbaycan tarixi")  # e before ə
    assert titles.index("Islak kumlar") < titles.index("İstanbul'un tarihi")  # ı before i
