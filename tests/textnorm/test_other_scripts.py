"""Arabic, Persian, Hebrew, Greek, CJK and others stay in their script, normalised."""

from __future__ import annotations

import pytest

from kitab.textnorm import exact, fold

# --- Arabic and Persian ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("کتاب", "كتاب"),  # Persian keheh -> Arabic kaf
        ("ڪتاب", "كتاب"),  # swash kaf
        ("علی", "علي"),  # Persian yeh -> Arabic yeh
        ("علىٰ", "علي"),  # alef maksura + superscript alef
        ("مدرسة", "مدرسه"),  # teh marbuta -> heh
        ("اندیشۀ", "انديشه"),  # heh with yeh above -> heh
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آذربايجان", "اذربايجان"),
        ("ٱلله", "الله"),
        ("مؤمن", "مومن"),  # hamza on waw (NFKD + mark removal)
        ("مسئله", "مسيله"),  # hamza on yeh
    ],
)
def test_arabic_letter_variants(variant: str, canonical: str) -> None:
    assert fold(variant) == fold(canonical) == canonical


def test_harakat_and_tatweel_removed() -> None:
    assert fold("كِتَابٌ") == fold("كتاب") == "كتاب"
    assert fold("كتـــاب") == "كتاب"
    assert fold("مُحَمَّد") == "محمد"
    assert fold("الرَّحْمٰن") == "الرحمن"


def test_exact_keeps_harakat_but_not_tatweel() -> None:
    assert exact("كِتَابٌ") == "كِتَابٌ"
    assert exact("كتـــاب") == "كتاب"
    assert exact("کتاب") != exact("كتاب")  # exact keeps the record's own letters


@pytest.mark.parametrize(
    ("digits", "ascii_digits"),
    [("۱۳۷۸", "1378"), ("١٣٧٨", "1378"), ("१९४७", "1947"), ("１９９９", "1999")],
)
def test_digits_fold_to_ascii(digits: str, ascii_digits: str) -> None:
    assert fold(digits) == ascii_digits


def test_exact_keeps_native_digits() -> None:
    assert exact("۱۳۷۸") == "۱۳۷۸"


def test_zwnj_separates_persian_morphemes() -> None:
    assert fold("کتاب‌ها") == "كتاب ها"
    assert fold("کتاب‌ها") == fold("کتاب ها")
    assert exact("کتاب‌ها") == "کتاب ها"
    assert fold("مجموعه\u200cسى") == "مجموعه سي"


def test_bidi_marks_do_not_split_words() -> None:
    assert fold("\u200fده\u200cده قورقود\u200f") == "ده ده قورقود"
    assert exact("\u202aابر\u200fاهيم\u202c") == "ابراهيم"
    assert fold("تهران :\u200f") == "تهران"


def test_arabic_punctuation_separates() -> None:
    assert fold("رفرف، ابراهيم؛ كتاب؟") == "رفرف ابراهيم كتاب"


def test_arabic_presentation_forms() -> None:
    assert fold("ﻛﺘﺎﺏ") == "كتاب"
    assert fold("ﻻ") == "لا"


# --- Hebrew ------------------------------------------------------------------------------------------------


def test_hebrew_niqqud_stripped_by_fold_kept_by_exact() -> None:
    assert fold("שָׁלוֹם") == fold("שלום") == "שלום"
    assert exact("שָׁלוֹם") == "שָׁלוֹם"
    assert fold("בְּרֵאשִׁית") == "בראשית"


def test_hebrew_abbreviations_stay_whole() -> None:
    assert fold("צה״ל") == fold('צה"ל') == fold("צהל") == "צהל"
    assert exact("צה״ל") == exact('צה"ל') == "צהל"
    assert fold("ג׳ורג׳") == "גורג"


def test_hebrew_maqaf_separates() -> None:
    assert fold("בית־ספר") == "בית ספר"


def test_hebrew_final_letters_untouched() -> None:
    assert fold("שלום ספרים") == "שלום ספרים"


# --- Greek -------------------------------------------------------------------------------------------------


def test_greek_accents_and_case() -> None:
    assert fold("Ἀθῆναι") == fold("ΑΘΗΝΑΙ") == fold("αθηναι") == "αθηναι"
    assert fold("Σοφοκλῆς") == fold("ΣΟΦΟΚΛΗΣ") == "σοφοκλησ"  # final sigma folded too
    assert exact("Ἀθῆναι") == "ἀθῆναι"
    assert exact("ΣΟΦΟΚΛΗΣ") == exact("σοφοκλης")


# --- CJK, kana, Hangul -------------------------------------------------------------------------------------


def test_cjk_kept() -> None:
    assert fold("東京大学") == exact("東京大学") == "東京大学"
    assert fold("中国 历史") == "中国 历史"


def test_width_folding() -> None:
    assert fold("ﾄｳｷｮｳ") == fold("トウキョウ") == "トウキョウ"
    assert fold("ｶﾞｸ") == "ガク"  # the half-width voicing mark recombines
    assert fold("ＡＢＣ　１２３") == "abc 123"


def test_hangul_and_kana_survive_decomposition() -> None:
    assert fold("한국 문학") == "한국 문학"
    assert fold("がくせい") == "がくせい"


def test_indic_vowel_signs_kept() -> None:
    assert fold("हिन्दी साहित्य") == exact("हिन्दी साहित्य") == "हिन्दी साहित्य"


# --- mixed -------------------------------------------------------------------------------------------------


def test_mixed_scripts_fold_each_part() -> None:
    assert fold("Ṭihrān : تهران، ۱۳۷۸") == "tihran تهران 1378"
    assert fold("Shāhnāmah شاهنامه") == "sahnamah شاهنامه"
    assert fold("™ Ⅻ ﬁ") == "tm xii fi"
