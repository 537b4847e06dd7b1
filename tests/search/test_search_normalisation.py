"""Cross-script and Turkic-case matching: every spelling a reader may type finds the record."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("query", ["ISLAK", "ıslak", "Islak", "islak"])
def test_turkish_dotless_i_variants_find_each_other(find, query):
    assert 1 in find(query)


@pytest.mark.parametrize("query", ["İstanbul", "ISTANBUL", "istanbul", "İSTANBUL"])
def test_turkish_dotted_capital_i(find, query):
    assert 2 in find(query)


@pytest.mark.parametrize("query", ["Azərbaycan", "Azerbaycan", "Azärbaycan", "AZƏRBAYCAN"])
def test_azerbaijani_schwa_spellings(find, query):
    found = find(query)
    assert 3 in found and 4 in found


def test_exact_script_match_ranks_above_folded_match(find):
    assert find("Azərbaycan")[0] == 3
    assert find("Azerbaycan")[0] == 4
    assert find("Azərbaycan tarixi")[0] == 3


def test_kazakh_cyrillic_finds_ala_lc_romanisation(find):
    assert 5 in find("Қазақ әдебиеті")


def test_modern_uzbek_latin_finds_ala_lc_romanisation(find):
    assert 6 in find("O'zbekiston xo'jalik")
    assert 6 in find("Oʻzbekiston")


def test_russian_cyrillic_finds_ala_lc_ligature(find):
    assert 7 in find("История")
    assert 7 in find("istoriia rossii")


def test_turkish_diacritics_fold_to_ascii(find):
    assert 8 in find("ozel")
    assert 8 in find("egitim")
    assert 8 in find("ÖZEL EĞİTİM")


def test_arabic_letter_variants_match_in_vernacular(find):
    assert 9 in find("كتاب")  # Arabic kaf, as catalogued
    assert 9 in find("کتاب")  # Persian keheh, as typed on a Persian keyboard


def test_cjk_words_match_inside_unsegmented_text(tmp_path, make_engine, catalogue):
    from kitab.marc.summary import BibSummary
    from kitab.search.types import IndexDoc, SearchRequest

    cjk = IndexDoc(99, BibSummary(title="Beijing da xue chu ban she", vernacular=["北京大学出版社"], languages=["chi"]))
    engine = make_engine(tmp_path / "ix", [cjk, catalogue[0]])
    assert [h.record_id for h in engine.search(SearchRequest("北京")).hits] == [99]
    assert [h.record_id for h in engine.search(SearchRequest("大学出版")).hits] == [99]
    assert engine.search(SearchRequest("京北")).total == 0  # characters in the wrong order are not a match
