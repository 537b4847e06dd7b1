"""What every output of `exact` and `fold` must look like, whatever the input."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from kitab.textnorm import exact, fold
from kitab.textnorm.romanization import pivot, pivot_bytes

SAMPLES = [
    "Qazaq adebieti\u0304 bastaulary : ko\u0307rkemdi\u0304k da\u0306stur zhalghastyghy zertteu /",
    (
        "U\u0306zbekiston Respublikasining khu\u0306zhalik protsessual kodeksi = "
        "Khozi\ufe20a\ufe21i\u0306stvennyi\u0306"
        " prot\ufe20s\ufe21essual\u02b9nyi\u0306 kodeks Respubliki Uzbekistan."
    ),
    (
        "Bi\ufe20u\ufe21dzhet zhu\u0307i\u0306esi\u0304 turaly : Qazaqstan Respublikasynyn\ufe20g\ufe21"
        " zan\ufe20g\ufe21y = O bi\ufe20u\ufe21dzhetnoi\u0306 sisteme"
    ),
    "Aza\u0306rbai\u0310jan respublikasynyn konstruktiv joghrafii\u0313a\u0310sy.",
    (
        "Osmanl\u0131 toplumunda kad\u0131n\u0131n c\u0327al\u0131s\u0327ma yas\u0327am\u0131 : Cemiyet-i"
        " I\u0307slamiyesi /"
    ),
    "Almanya'da ve Tu\u0308rkiye'de I\u0307s\u0327c\u0327inin Feshe Kars\u0327\u0131 Korunmas\u0131",
    (
        "Turki\u0304 Xayya\u0304m : Xayya\u0304mi\u0304n ruba\u0304\u02bbi\u0304lari\u0304ni\u0304n"
        " A\u0304z\u0332ari\u0304"
    ),
    (
        "\u200f\u062f\u0647\u200c\u062f\u0647 \u0642\u0648\u0631\u0642\u0648\u062f :\u200f"
        " \u062a\u0647\u0631\u0627\u0646\u060c \u06f1\u06f3\u06f7\u06f8"
    ),
    "Қазақ әдебиеті — «Ўзбекистон» / История России!",
    "שָׁלוֹם צה״ל — Ἀθῆναι · 東京大学 (한국) ﾄｳｷｮｳ",
    "Ἀντιγόνη; Σοφοκλῆς… “quoted” ‘single’ [brackets] {braces} <angle> 50% $5 #1 @home snake_case",
    (
        "Vak'anu\u0308vi\u0131\u0302s Ahmed Lu\u0302tfi\u0131\u0302 Efendi tarihi /"
        " I\u0307stanbul S\u0327er\u02bbiyye"
    ),
    "Mu\u0307asir ma\u0306rh\u0307a\u0306la\u0306da\u0306 \u00b7Hipnoz va\u0306 mualija\u0306vi",
    "a\u0301 \u0301orphan mark, e\u0300 \u0300",
    "",
    "   ",
]

# Characters no output may contain: punctuation, symbols, separators, controls/format characters, the generic
# combining diacritics (which Tantivy would split on) and the romanisation modifier letters.
_FORBIDDEN_CATEGORIES = ("P", "S", "Z", "C")
_FORBIDDEN_EXTRA = re.compile("[\u0300-\u036f\ufe20-\ufe2f\u02b9-\u02bf\u02c8\u0640_]")


def _check_shape(out: str) -> None:
    assert out == " ".join(out.split()), repr(out)
    assert out == out.lower(), repr(out)
    for ch in out.replace(" ", ""):
        assert unicodedata.category(ch)[0] not in _FORBIDDEN_CATEGORIES, (ch, hex(ord(ch)), out)
    assert _FORBIDDEN_EXTRA.search(out) is None, repr(out)


@pytest.mark.parametrize("text", SAMPLES)
def test_exact_output_shape(text: str) -> None:
    _check_shape(exact(text))


@pytest.mark.parametrize("text", SAMPLES)
def test_fold_output_shape(text: str) -> None:
    _check_shape(fold(text))


@pytest.mark.parametrize("text", SAMPLES)
def test_exact_is_idempotent(text: str) -> None:
    assert exact(exact(text)) == exact(text)


@pytest.mark.parametrize("text", SAMPLES)
def test_nfc_and_nfd_inputs_give_the_same_result(text: str) -> None:
    for form in ("NFC", "NFD"):
        variant = unicodedata.normalize(form, text)
        assert exact(variant) == exact(text)
        assert fold(variant) == fold(text)


def test_fold_of_latin_and_cyrillic_is_ascii() -> None:
    for text in SAMPLES[:7] + ["Қазақ әдебиеті Ўзбекистон История России Азәрбајҹан Україна"]:
        assert fold(text).isascii(), fold(text)


def test_orphan_marks_dropped() -> None:
    assert exact("a\u0301 \u0301orphan mark, e\u0300 \u0300") == "á orphan mark è"
    assert fold("\u0301x") == "x"


def _tantivy_tokens(text: str) -> list[str]:
    tantivy = pytest.importorskip("tantivy")
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()
    )
    return list(analyzer.analyze(text))


@pytest.mark.parametrize("text", SAMPLES)
def test_tantivy_default_tokenizer_does_not_split_our_tokens(text: str) -> None:
    # Tantivy's default tokenizer splits on anything not alphanumeric and lower-cases. Our tokens must come
    # through unchanged, so whichever tokenizer the index uses sees the same words.
    for out in (exact(text), fold(text)):
        for token in out.split():
            assert _tantivy_tokens(token) == [token], (token, out)


# --- the digraph pivot -------------------------------------------------------------------------------------

_SIMULTANEOUS = re.compile("sh|ch|zh|kh|gh")
_SIMULTANEOUS_MAP = {"sh": "s", "ch": "c", "zh": "j", "kh": "x", "gh": "g"}


def test_chained_replacements_equal_one_left_to_right_pass() -> None:
    rng = random.Random(20240601)
    for _ in range(5000):
        text = "".join(rng.choice("sczkghxa ") for _ in range(rng.randint(0, 14)))
        expected = _SIMULTANEOUS.sub(lambda m: _SIMULTANEOUS_MAP[m.group()], text)
        assert pivot_bytes(text.encode()).decode() == expected, text
        assert pivot(text) == expected, text


def test_pivot_folds_y() -> None:
    assert pivot("yoshlar") == "ioslar"
    assert fold("Yoshlar") == "ioslar"


# --- the ASCII fast path and the general path agree --------------------------------------------------------

ASCII_SAMPLES = [
    "The Annals of the American Academy -- History, 20th century.",
    "O'zbekiston xo`jalik King's O'Brien Turkiye'nin tog'",
    "Shakhnoza KHAN zhizn' Chechnya ghazal (1998) [sic] snake_case e-mail",
    "Istoriya Rossii : Grazhdanskiy kodeks",
]


@pytest.mark.parametrize("text", ASCII_SAMPLES)
def test_ascii_fast_path_matches_general_path(text: str) -> None:
    # Appending a non-ASCII word sends the same text through the general (Unicode) path.
    assert fold(text + " é") == f"{fold(text)} e".strip()
    assert exact(text + " é") == f"{exact(text)} é".strip()
