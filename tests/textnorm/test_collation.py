"""Alphabetical order per interface language (kitab.textnorm.collation), checked against each official alphabet."""

from __future__ import annotations

import pytest

from kitab.textnorm.collation import sort_key, sorted_for


def order(language: str, words: list[str]) -> list[str]:
    return sorted_for(language, words)


def test_turkish_letters_sit_in_the_turkish_alphabet():
    words = ["Zeytin", "çiçek", "Ceviz", "dut", "ılgın", "incir", "Işık", "İğde", "şeftali", "sarımsak", "övez", "ot"]
    assert order("tr", words) == [
        "Ceviz", "çiçek", "dut", "ılgın", "Işık", "İğde", "incir", "ot", "övez", "sarımsak", "şeftali", "Zeytin"]


def test_unicode_order_would_be_wrong_for_turkish():
    words = ["çiçek", "dut"]
    assert sorted(words) == ["dut", "çiçek"]  # code points: ç (U+00E7) after every ASCII letter
    assert order("tr", words) == ["çiçek", "dut"]


def test_azerbaijani_schwa_x_and_q():
    words = ["qələm", "kitab", "xalq", "hava", "ədəbiyyat", "fənn", "elm", "Əli", "ılıq"]
    assert order("az", words) == ["elm", "ədəbiyyat", "Əli", "fənn", "hava", "xalq", "ılıq", "kitab", "qələm"]


def test_turkmen_letters():
    assert order("tk", ["žurnal", "jaý", "kitap", "ädebiýat", "ene", "ýyl", "yşyk", "ňňň", "nan", "ot"]) == [
        "ene", "ädebiýat", "jaý", "žurnal", "kitap", "nan", "ňňň", "ot", "yşyk", "ýyl"]


def test_uzbek_digraphs_and_apostrophe_letters_come_last():
    words = ["shahar", "sabzi", "choy", "zamon", "oʻqituvchi", "gʻisht", "ona", "nega", "gul", "o'rik"]
    assert order("uz", words) == [
        "gul", "nega", "ona", "sabzi", "zamon", "oʻqituvchi", "o'rik", "gʻisht", "shahar", "choy"]


@pytest.mark.parametrize(("language", "words", "expected"), [
    ("kk", ["қала", "кітап", "әже", "ана", "ұя", "үй", "у", "ғылым", "гүл"],
     ["ана", "әже", "гүл", "ғылым", "кітап", "қала", "у", "ұя", "үй"]),
    ("ky", ["үй", "ут", "ңа", "ноо", "өрүк", "оюн"], ["ноо", "ңа", "оюн", "өрүк", "ут", "үй"]),
    ("tg", ["ҳавo", "хона", "ӯрдак", "ут", "ҷой", "чой", "ғалла", "гул"],
     ["гул", "ғалла", "ут", "ӯрдак", "хона", "ҳавo", "чой", "ҷой"]),
    ("ru", ["ёж", "ель", "еда", "жук", "Ёлка"], ["еда", "ель", "ёж", "Ёлка", "жук"]),
])
def test_cyrillic_alphabets(language, words, expected):
    assert order(language, words) == expected


def test_persian_letters_after_their_arabic_neighbours():
    words = ["گل", "کتاب", "ژاله", "زبان", "چای", "جان", "پدر", "باغ"]
    assert order("fa", words) == ["باغ", "پدر", "جان", "چای", "زبان", "ژاله", "کتاب", "گل"]
    # Arabic kaf and yeh sort as their Persian forms
    assert order("fa", ["كتاب", "گل", "باغ"]) == ["باغ", "كتاب", "گل"]


def test_numbers_by_value_punctuation_ignored_and_case_breaks_ties():
    assert order("en", ["Item 10", "Item 2", "item 1"]) == ["item 1", "Item 2", "Item 10"]
    # "-" counts only between strings otherwise equal (then first, as in ICU's "shifted" handling)
    assert order("az", ["Əli-zadə", "Əlizadə", "Əliyev"]) == ["Əliyev", "Əli-zadə", "Əlizadə"]
    assert order("en", ["apple", "Apple"]) == ["apple", "Apple"]


def test_letters_outside_the_alphabet_follow_it_and_accents_follow_plain_letters():
    assert order("tr", ["ée", "ee", "ef"]) == ["ee", "ée", "ef"]
    assert order("tr", ["wiki", "zaman", "xenon"])[0] == "zaman"  # w and x are not Turkish letters
    assert order("en", ["кітап", "book"]) == ["book", "кітап"]


def test_unknown_language_and_empty_text():
    assert order("de", ["b", "ä", "a"]) == ["a", "ä", "b"]
    assert sort_key("", "tr") < sort_key("a", "tr")
    assert sorted_for("tr", [{"t": "şu"}, {"t": "su"}], key=lambda d: d["t"]) == [{"t": "su"}, {"t": "şu"}]
