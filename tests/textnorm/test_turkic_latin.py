"""Turkish / Azerbaijani casing, diacritics and the Latin pivot (ş/sh, ç/ch, ğ/gh, ə/ä/ă, x/kh, j/zh, y/i)."""

from __future__ import annotations

import pytest

from kitab.textnorm import exact, fold, fold_tokens


def same_fold(*spellings: str) -> bool:
    return len({fold(s) for s in spellings}) == 1


# --- dotted and dotless i ----------------------------------------------------------------------------------


def test_islak_all_case_variants_fold_equal() -> None:
    assert same_fold("ISLAK", "ıslak", "Islak", "islak")
    assert fold("ıslak") == "islak"


def test_istanbul_dotted_capital_folds_equal() -> None:
    assert same_fold("İstanbul", "ISTANBUL", "istanbul", "İSTANBUL", "i\u0307stanbul")
    assert fold("İstanbul") == "istanbul"


def test_exact_turkic_casing_rules() -> None:
    assert exact("İstanbul") == "istanbul"  # no combining dot left behind
    assert exact("ISTANBUL") == "istanbul"  # I -> i (Unicode default)
    assert exact("ıslak") == "ıslak"  # dotless i is kept in the exact form
    assert exact("ISLAK") == "islak"
    assert exact("Ə") == "ə" and exact("ə") == "ə"


def test_exact_decomposed_dotted_capital_i() -> None:
    # MARC records store İ as I + COMBINING DOT ABOVE; NFC recomposes it before case folding.
    assert exact("I\u0307smet I\u0307no\u0308nu\u0308") == "ismet inönü"


def test_turkish_uppercase_words() -> None:
    assert fold("ÖZEL EĞİTİM") == fold("özel eğitim") == "ozel egitim"
    assert exact("ÖZEL EĞİTİM") == "özel eğitim"


# --- diacritics --------------------------------------------------------------------------------------------


def test_turkish_diacritics_fold_to_ascii() -> None:
    assert fold("özel") == fold("ozel") == "ozel"
    assert fold("Sigorta Hukuku") == fold("sigorta hukuku") == "sigorta hukuku"
    assert fold("çağ ğ ö ü ş ç â î û") == "cag g o u s c a i u"


@pytest.mark.parametrize(
    ("turkish", "ascii_typed"),
    [
        ("şehir", "sehir"),
        ("çocuk", "cocuk"),
        ("dağ", "dag"),
        ("Üsküdar", "Uskudar"),
        ("Işık", "Isik"),
        ("Eskişehir", "Eskisehir"),
        ("Çalıştırma", "Calistirma"),
        ("kadının çalışma yaşamı", "kadinin calisma yasami"),
    ],
)
def test_turkish_ascii_typing_matches(turkish: str, ascii_typed: str) -> None:
    assert fold(turkish) == fold(ascii_typed)


def test_exact_keeps_diacritics() -> None:
    assert exact("Özel Şehir") == "özel şehir"
    assert exact("özel") != exact("ozel")


# --- ş / sh and friends: the pivot -------------------------------------------------------------------------


def test_sh_pivot_uzbek_cyrillic_lc_and_turkish() -> None:
    # Cyrillic, Uzbek Latin and ALA-LC "sh" meet ...
    assert same_fold("Шаҳар", "Shahar", "shahar", "SHAHAR")
    # ... and so do Turkish ş and its ASCII typing: the pivot is "s" for both.
    assert same_fold("şehir", "sehir", "shehir")
    assert fold("Shahar") == "sahar"


def test_ch_pivot() -> None:
    assert same_fold("çay", "cay", "chay", "чай")
    assert fold("Чӑваш") == fold("Chăvash") == "cavas"


def test_zh_and_j_pivot() -> None:
    assert same_fold("жалға", "zhalgha", "jalgʻa", "jalğa")
    assert fold("xo'jalik") == fold("khŭzhalik") == fold("хўжалик") == "xujalik"


def test_kh_and_x_pivot() -> None:
    assert same_fold("tarix", "tarikh", "тарих", "TARIX")
    # Turkish h stays h: it is also the separate Uzbek/Azerbaijani letter h (ҳ, һ).
    assert fold("tarih") != fold("tarix")
    assert fold("Шаҳар") == fold("Shahar")


def test_gh_pivot() -> None:
    assert same_fold("ghazal", "ğazal", "g'azal", "ғазал", "gazal")


def test_y_i_pivot() -> None:
    # Uzbek Latin y = LC ĭ = Cyrillic й; LC y = Cyrillic ы = Turkic Latin ı.
    assert same_fold("qadimiy", "qadimiĭ", "қадимий")
    assert same_fold("Kırgız", "Kyrgyz", "Кыргыз")
    assert same_fold("istoriya", "istoriia", "История", "Istorii\ufe20a\ufe21")


# --- Azerbaijani ə, ä and Kazakh ă -------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Azərbaycan", "AZƏRBAYCAN", "Azärbaycan", "Azerbaycan", "azerbaycan"])
def test_azerbaijani_schwa_spellings_fold_equal(spelling: str) -> None:
    assert fold(spelling) == fold("Azərbaycan") == "azerbaican"


def test_azerbaijani_exact_keeps_schwa_distinct() -> None:
    assert exact("Azərbaycan") == "azərbaycan"
    assert exact("Azərbaycan") != exact("Azerbaycan")
    assert exact("Azärbaycan") != exact("Azərbaycan")
    assert exact("AZƏRBAYCAN") == exact("Azərbaycan")


def test_schwa_matches_in_words() -> None:
    assert same_fold("məcmuə", "mäcmuä", "mecmue")
    assert same_fold("lüğəti", "lüğäti", "lugeti")


def test_kazakh_a_breve_folds_to_a() -> None:
    # LC Kazakh writes ә as ă and sometimes drops the breve.
    assert same_fold("ădebietī", "adebietī", "adebieti", "әдебиеті")


# --- other Latin letters without a decomposition -----------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "folded"),
    [
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "ae"),
        ("ø", "o"),
        ("Ø", "o"),
        ("ł", "l"),
        ("Ł", "l"),
        ("đ", "d"),
        ("Đ", "d"),
        ("þ", "th"),
        ("œ", "oe"),
        ("Œ", "oe"),
        ("ı", "i"),
        ("ð", "d"),
        ("ŋ", "ng"),
        ("ħ", "h"),
        ("ǽ", "ae"),
    ],
)
def test_special_latin_letters(letter: str, folded: str) -> None:
    assert fold(letter) == folded


def test_special_letters_in_words() -> None:
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold("Łódź") == "lodz"
    assert fold("Þórbergur") == "thorbergur"
    assert fold("Ærø") == "aero"
    assert fold("œuvre") == "oeuvre"


def test_all_remaining_diacritics_are_stripped() -> None:
    assert fold("Dvořák Čapek Šíma Žižek") == "dvorak capek sima zizek"
    assert fold("Nguyễn Văn Thiệu") == "nguien van thieu"
    assert fold("Ḥasan ʻAlī") == "hasan ali"


# --- output shape ------------------------------------------------------------------------------------------


def test_punctuation_and_whitespace() -> None:
    assert fold("  Sosyolojik   boyutuyla\tterörizm /\n") == "sosiolojik boiutuila terorizm"
    assert exact("Ceza hukukunda terörizm : milletlerarası metinler") == (
        "ceza hukukunda terörizm milletlerarası metinler"
    )
    assert exact("6-7 Nisan 1997.") == "6 7 nisan 1997"
    assert exact("snake_case") == "snake case"


def test_empty_and_blank() -> None:
    assert exact("") == "" and fold("") == ""
    assert exact(" -- / : ") == "" and fold(" -- / : ") == ""


def test_fold_tokens() -> None:
    assert fold_tokens("Özel Sigorta, hukuku!") == ["ozel", "sigorta", "hukuku"]
    assert fold_tokens("") == []
