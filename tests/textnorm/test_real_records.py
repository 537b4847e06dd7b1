"""Real Library of Congress titles (BooksAll 2016, Turkic subset) and the queries that must find them.

The titles are copied below exactly as stored in the records (decomposed, with ALA-LC ligature halves and
modifier letters), so these tests always run. When ../shared is present, further tests check that the copies
still equal the records and run bulk properties over all 1,549 titles.
"""

from __future__ import annotations

import unicodedata

import pytest

from kitab.textnorm import exact, fold
from tests.textnorm.realdata import Title, by_control_number, nfc

# 245 $a $b (title) and the 880 linked to it (vernacular), verbatim; keyed by 001.
REAL: dict[str, tuple[str, str, str]] = {
    "00271549": (
        "kaz",
        ("Qazaq adebieti\u0304 bastaulary : ko\u0307rkemdi\u0304k da\u0306stur zhalghastyghy zertteu /"),
        "",
    ),
    "00271567": (
        "uzb",
        (
            "U\u0306zbekiston Respublikasining khu\u0306zhalik protsessual kodeksi = Khozi\ufe20a"
            "\ufe21i\u0306stvennyi\u0306 prot\ufe20s\ufe21essual\u02b9nyi\u0306 kodeks Respubliki U"
            "zbekistan."
        ),
        "",
    ),
    "00271577": (
        "uzb",
        (
            "U\u0306zbekiston Respublikasining zhinoi\ufe20a\ufe21t kodeksi : (1998 i\u0306il 1 dek"
            "abrgacha bu\u0306lgan u\u0306zgartish va ku\u0306shimchalar bilan)"
        ),
        "",
    ),
    "00271565": (
        "uzb",
        "Sharq va gharb : qadimii\u0306 davr va u\u0306rta asrlar madanii\u0306 aloqalari /",
        "",
    ),
    "00655510": (
        "uzb",
        (
            "U\u0306zbekiston Respublikasining zhinoi\ufe20a\ufe21t-izhroii\ufe20a\ufe21 kodeksi = "
            "Ugolovno-ispolnitel\u02b9nyi\u0306 kodeks Respubliki Uzbekistan."
        ),
        "",
    ),
    "00271547": (
        "kaz",
        (
            "Bi\ufe20u\ufe21dzhet zhu\u0307i\u0306esi\u0304 turaly : Qazaqstan Respublikasynyn"
            "\ufe20g\ufe21 zan\ufe20g\ufe21y = O bi\ufe20u\ufe21dzhetnoi\u0306 sisteme : zakon Resp"
            "ubliki Kazakhstan."
        ),
        "",
    ),
    "00284980": (
        "tur",
        (
            "Osmanl\u0131 toplumunda kad\u0131n\u0131n c\u0327al\u0131s\u0327ma yas\u0327am\u0131 :"
            " Osmanl\u0131 Kad\u0131nlar\u0131 C\u0327al\u0131s\u0327t\u0131rma Cemiyet-i I\u0307sl"
            "amiyesi /"
        ),
        "",
    ),
    "00284971": (
        "tur",
        (
            "Almanya'da ve Tu\u0308rkiye'de I\u0307s\u0327c\u0327inin Feshe Kars\u0327\u0131 Korunm"
            "as\u0131 Semineri : 6-7 Nisan 1997."
        ),
        "",
    ),
    "00284970": (
        "tur",
        (
            "Uygulamal\u0131 o\u0308zel sigorta hukuku : o\u0308zel sigorta so\u0308zles\u0327meler"
            "i ve sigorta kurumlar\u0131 o\u0308rnek olaylar /"
        ),
        "",
    ),
    "00271641": (
        "tur",
        "I\u0307smet I\u0307no\u0308nu\u0308 : din ve laiklik /",
        "",
    ),
    "00376884": (
        "aze",
        "Aza\u0308rbaycan dialektoloji lu\u0308g\u0306a\u0308ti /",
        "",
    ),
    "00387808": (
        "aze",
        (
            "Naxc\u0327ivan statistika gu\u0308zgu\u0308su\u0308nda\u0308 : tarixi-statistik ma"
            "\u0308cmua\u0308 75 /"
        ),
        "",
    ),
    "00429418": (
        "aze",
        "Aza\u0308rbaycan Cu\u0308mhuriyya\u0308ti : 1918-1920 /",
        "",
    ),
    "00655212": (
        "aze",
        ("Aza\u0306rbai\u0310jan tarikhi : a\u0306n ga\u0306dim zamanlardan XX a\u0306sra\u0306da\u0306k /"),
        "",
    ),
    "00439089": (
        "kir",
        (
            "Kyrgyz Respublikasynyn Konstitut\ufe20s\ufe21ii\ufe20a\ufe21sy = Konstitut\ufe20s"
            "\ufe21ii\ufe20a\ufe21 Kyrgyzskoi\u0306 Respubliki."
        ),
        "",
    ),
    "00351167": (
        "tat",
        (
            "Rusii\ufe20a\ufe21 to\u0307rkila\u0306renen\ufe20g\ufe21 milli ko\u0307ra\u0306sh tari"
            "khy, 1905-1917 : kina\u0306i\u0306telga\u0306n va\u0306 to\u0307za\u0306telga\u0306n t"
            "o\u0307rekcha\u0306 ikenche basmasynnan ta\u0306rzhema\u0306 /"
        ),
        "",
    ),
    "00655013": (
        "tuk",
        (
            "Tu\u0307rkmenistan kommunistik partii\ufe20a\ufe21synyn\ufe20g\ufe21 tarykhynyn\ufe20g"
            "\ufe21 ocherkleri /"
        ),
        "",
    ),
    # The five records with Arabic-script 880 fields (Azerbaijani printed in Iran).
    "00312787": (
        "aze",
        (
            "Turki\u0304 Xayya\u0304m : Xayya\u0304mi\u0304n ruba\u0304\u02bbi\u0304lari\u0304ni"
            "\u0304n Turki\u0304 A\u0304z\u0332ari\u0304 di\u0304li\u0304nah tarcumah\u02b9si\u0304"
            " /"
        ),
        (
            "\u062a\u0631\u06a9\u0649 \u062e\u064a\u0627\u0645 : \u062e\u064a\u0627\u0645\u064a"
            "\u0646 \u0631\u0628\u0627\u0639\u064a\u0644\u0631\u064a\u0646\u064a\u0646 \u062a\u0631"
            "\u06a9\u0649 \u0622\u0630\u0631\u0649 \u062f\u064a\u0644\u064a\u0646\u0647 \u062a"
            "\u0631\u062c\u0645\u0647\u200c\u0633\u0649 /"
        ),
    ),
    "00312788": (
        "aze",
        (
            "Tu\u0308rk di\u0304li\u0304 : dars oca\u0304g\u0306i\u0304 : yu\u0308ksak s\u0323i"
            "\u0304ni\u0304flar u\u0308c\u0327u\u0304n : A\u0304z\u0332arba\u0304yca\u0304nca darsl"
            "i\u0304k /"
        ),
        (
            "\u062a\u0648\u0631\u06a9 \u062f\u064a\u0644\u0649 : \u062f\u0631\u0633 \u0627\u0648"
            "\u062c\u0627\u063a\u0649 : \u064a\u0648\u06a9\u0633\u06a9 \u0635\u064a\u0646\u064a"
            "\u0641\u0644\u0631 \u0627\u0648\u0686\u0648\u0646 : \u0622\u0630\u0631\u0628\u0627"
            "\u064a\u062c\u0627\u0646\u062c\u0627 \u062f\u0631\u0633\u0644\u064a\u06a9 /"
        ),
    ),
    "00313427": (
        "aze",
        (
            "Da\u0308da\u0308 Qorqu\u0304d da\u0304sta\u0304nla\u0304ri\u0304 : u\u0304s\u0327a"
            "\u0304qla\u0304r va civa\u0304nla\u0304r u\u0308c\u0327u\u0308n : mu\u02bba\u0304s"
            "\u0323ir A\u0304z\u0332arba\u0304yca\u0304n di\u0304li\u0304nda\u0308 /"
        ),
        (
            "\u200f\u062f\u0647\u200c\u062f\u0647 \u0642\u0648\u0631\u0642\u0648\u062f \u062f\u0627"
            "\u0633\u062a\u0627\u0646\u0644\u0627\u0631\u0649 :\u200f \u200f\u0627\u0648\u0634"
            "\u0627\u0642\u0644\u0627\u0631 \u0648 \u062c\u0648\u0627\u0646\u0644\u0627\u0631 "
            "\u0627\u0648\u0686\u0648\u0646 : \u0645\u0639\u0627\u0635\u0631 \u0622\u0630\u0631"
            "\u0628\u0627\u064a\u062c\u0627\u0646 \u062f\u064a\u0644\u064a\u0646\u062f\u0647 /"
            "\u200f"
        ),
    ),
    "00313428": (
        "aze",
        "Va\u0304h\u0323idi\u0304n g\u0306azallari\u0304 /",
        "\u0648\u0627\u062d\u062f\u064a\u0646 \u063a\u0632\u0644\u0644\u0631\u0649 /",
    ),
    "00313456": (
        "aze",
        "I\u0304ldi\u0304ri\u0304m : s\u0327i\u02bbr macmu\u0304\u02bbah\u02b9si\u0304 /",
        (
            "\u0627\u064a\u0644\u062f\u064a\u0631\u064a\u0645 : \u0634\u0639\u0631 \u0645\u062c"
            "\u0645\u0648\u0639\u0647\u200c\u0633\u0649 /"
        ),
    ),
}

# (001, "title" or "vernacular", what a reader types). Every folded query token must be a folded token of
# the record's field, i.e. the query finds the record through the folded index field.
QUERIES: list[tuple[str, str, str]] = [
    # Kazakh: Cyrillic, Kazakh ASCII, LC with and without diacritics
    ("00271549", "title", "Қазақ әдебиеті бастаулары"),
    ("00271549", "title", "Qazaq adebieti bastaulary"),
    ("00271549", "title", "көркемдік дәстүр жалғастығы зерттеу"),
    ("00271549", "title", "kȯrkemdīk dăstur"),
    ("00271547", "title", "Бюджет жүйесі туралы"),
    ("00271547", "title", "Қазақстан Республикасының заңы"),
    ("00271547", "title", "О бюджетной системе : закон Республики Казахстан"),
    # Uzbek: modern Latin with every apostrophe, Cyrillic, LC-ASCII, the Russian parallel title
    ("00271567", "title", "Oʻzbekiston Respublikasining xoʻjalik protsessual kodeksi"),
    ("00271567", "title", "O'zbekiston xo'jalik"),
    ("00271567", "title", "O`zbekiston xo`jalik"),
    ("00271567", "title", "Ўзбекистон Республикасининг хўжалик процессуал кодекси"),
    ("00271567", "title", "Uzbekiston Respublikasining khuzhalik protsessual kodeksi"),
    ("00271567", "title", "Хозяйственный процессуальный кодекс Республики Узбекистан"),
    ("00271567", "title", "Khoziaistvennyi protsessualnyi kodeks"),
    ("00271567", "title", "Khozyaystvennyy protsessualnyy kodeks"),
    ("00271577", "title", "O'zbekiston Respublikasining jinoyat kodeksi"),
    ("00271577", "title", "Ўзбекистон Республикасининг жиноят кодекси"),
    ("00271577", "title", "1998 yil 1 dekabrgacha bo'lgan o'zgartish"),
    ("00271565", "title", "Sharq va g'arb : qadimiy davr va o'rta asrlar madaniy aloqalari"),
    ("00271565", "title", "Шарқ ва ғарб: қадимий давр ва ўрта асрлар маданий алоқалари"),
    ("00655510", "title", "O'zbekiston Respublikasining jinoyat-ijroiya kodeksi"),
    ("00655510", "title", "Уголовно-исполнительный кодекс Республики Узбекистан"),
    # Turkish: as printed, ASCII typing, upper case
    ("00284980", "title", "Osmanlı toplumunda kadının çalışma yaşamı"),
    ("00284980", "title", "osmanli toplumunda kadinin calisma yasami"),
    ("00284980", "title", "OSMANLI KADINLARI ÇALIŞTIRMA CEMİYET-İ İSLAMİYESİ"),
    ("00284971", "title", "Türkiye işçinin feshe karşı korunması"),
    ("00284971", "title", "Turkiye iscinin feshe karsi korunmasi"),
    ("00284971", "title", "Almanya"),
    ("00284970", "title", "uygulamali ozel sigorta hukuku"),
    ("00284970", "title", "ÖZEL SİGORTA SÖZLEŞMELERİ"),
    ("00271641", "title", "İsmet İnönü"),
    ("00271641", "title", "ISMET INONU"),
    # Azerbaijani Latin: LC ä, modern ə, ASCII e
    ("00376884", "title", "Azərbaycan dialektoloji lüğəti"),
    ("00376884", "title", "Azerbaycan dialektoloji lugeti"),
    ("00376884", "title", "AZƏRBAYCAN"),
    ("00387808", "title", "Naxçıvan statistika güzgüsündə"),
    ("00387808", "title", "Нахчыван"),
    ("00387808", "title", "tarixi-statistik məcmuə"),
    ("00429418", "title", "Azərbaycan Cümhuriyyəti 1918-1920"),
    ("00429418", "title", "Azerbaycan Cumhuriyyeti"),
    # Azerbaijani Cyrillic-era book, LC-romanised: the Cyrillic query finds it
    ("00655212", "title", "Азәрбајҹан тарихи"),
    ("00655212", "title", "azarbaijan tarikhi"),
    # Kyrgyz, Tatar, Turkmen Cyrillic
    ("00439089", "title", "Кыргыз Республикасынын Конституциясы"),
    ("00439089", "title", "Конституция Кыргызской Республики"),
    ("00439089", "title", "Kyrgyz Respublikasynyn Konstitutsiiasy"),
    ("00351167", "title", "Русия төркиләренең милли көрәш тарихы"),
    ("00351167", "title", "икенче басмасыннан тәрҗемә"),
    ("00655013", "title", "Түркменистан коммунистик партиясының тарыхының очерклери"),
    # Arabic-script 880s: Arabic and Persian keyboards; romanised titles in ASCII
    ("00312787", "vernacular", "تركي خيام"),
    ("00312787", "vernacular", "ترکی خیام"),
    ("00312787", "vernacular", "ترجمه"),
    ("00312787", "vernacular", "آذری"),
    ("00312787", "title", "Turki Khayyam"),
    ("00312787", "title", "Xayyamin rubailarinin"),
    ("00312788", "vernacular", "آذربایجانجا درسلیک"),
    ("00312788", "vernacular", "يوكسك صينيفلر"),
    ("00312788", "title", "Turk dili dars ocagi"),
    ("00313427", "vernacular", "ده‌ده قورقود داستانلاری"),
    ("00313427", "vernacular", "ده ده قورقود"),
    ("00313427", "title", "Dede Qorqud dastanlari"),
    ("00313427", "title", "Dədə Qorqud"),
    ("00313428", "vernacular", "واحدین غزللری"),
    ("00313428", "title", "Vahidin ghazallari"),
    ("00313428", "title", "Vahidin gazallari"),
    ("00313456", "vernacular", "شعر مجموعه"),
    ("00313456", "title", "Ildirim sir macmuahsi"),
]


def _field(text: tuple[str, str, str], which: str) -> str:
    return text[1] if which == "title" else text[2]


def _found(query: str, field: str) -> bool:
    return set(fold(query).split()) <= set(fold(field).split())


@pytest.mark.parametrize(("number", "which", "query"), QUERIES)
def test_query_finds_real_title(number: str, which: str, query: str) -> None:
    field = _field(REAL[number], which)
    assert _found(query, field), (fold(query), fold(field))


def test_arabic_script_vernaculars_stay_arabic() -> None:
    for _, _, vernacular in (v for v in REAL.values() if v[2]):
        folded = fold(vernacular)
        assert any("\u0621" <= ch <= "\u064a" for ch in folded)
        assert not any(ch in folded for ch in "\u200c\u200f\u06a9\u06cc\u0649\u0622")


def test_exact_ranks_record_spelling() -> None:
    # The exact form keeps what distinguishes the catalogued spelling from folded queries.
    title = REAL["00376884"][1]
    assert "azärbaycan" in exact(title).split()
    assert "azərbaycan" not in exact(title).split()
    assert exact(REAL["00271567"][1]).split()[:3] == ["ŭzbekiston", "respublikasining", "khŭzhalik"]
    assert "khoziaĭstvennyĭ" in exact(REAL["00271567"][1]).split()


# --- against the shared MARC file (skipped when ../shared is absent) ---------------------------------------


@pytest.mark.parametrize("number", sorted(REAL))
def test_literal_copies_equal_the_records(turkic_titles: tuple[Title, ...], number: str) -> None:
    record = by_control_number(turkic_titles, number)
    language, title, vernacular = REAL[number]
    assert (record.language, record.title, record.vernacular) == (language, title, vernacular)


@pytest.mark.parametrize(("number", "which", "query"), QUERIES)
def test_query_finds_record_read_from_file(
    turkic_titles: tuple[Title, ...], number: str, which: str, query: str
) -> None:
    record = by_control_number(turkic_titles, number)
    field = record.title if which == "title" else record.vernacular
    assert _found(query, field)


_TURKISH_KEYBOARDLESS = str.maketrans("çşğıöüâîûÇŞĞİÖÜÂÎÛ", "csgiouaiuCSGIOUAIU")


def test_every_turkish_title_matches_its_ascii_and_upper_case_typing(
    turkic_titles: tuple[Title, ...],
) -> None:
    titles = [t.title for t in turkic_titles if t.language == "tur"]
    assert len(titles) > 600
    for title in titles:
        folded = fold(title)
        assert fold(nfc(title).translate(_TURKISH_KEYBOARDLESS)) == folded, title
        assert fold(nfc(title).upper()) == folded, title


def test_every_modern_azerbaijani_title_matches_schwa_and_ascii(turkic_titles: tuple[Title, ...]) -> None:
    titles = [nfc(t.title) for t in turkic_titles if t.language == "aze" and "ä" in nfc(t.title)]
    assert titles
    ascii_typing = str.maketrans("äçşğıöüÄÇŞĞİÖÜ", "ecsgiouECSGIOU")
    for title in titles:
        assert fold(title.replace("ä", "ə").replace("Ä", "Ə")) == fold(title), title
        assert fold(title.translate(ascii_typing)) == fold(title), title


def test_every_lc_romanised_title_matches_its_ascii_typing(turkic_titles: tuple[Title, ...]) -> None:
    # A reader who knows the romanisation but types without diacritics, ligatures or primes.
    dropped = {ord(ch): None for ch in "\u02b9\u02ba\u02bb\u02bc"}
    for record in turkic_titles:
        if record.language not in {"kaz", "uzb", "kir", "tat", "tuk", "kaa"}:
            continue
        stripped = "".join(
            ch for ch in unicodedata.normalize("NFD", record.title) if not unicodedata.combining(ch)
        ).translate(dropped)
        assert fold(stripped) == fold(record.title), record.title


def test_all_titles_produce_well_formed_output(turkic_titles: tuple[Title, ...]) -> None:
    for record in turkic_titles:
        for text in (record.title, record.vernacular):
            for out in (exact(text), fold(text)):
                assert out == " ".join(out.split())
                assert not any(unicodedata.combining(ch) for ch in out if ch < "\u0590"), (text, out)
                assert not any(ch in out for ch in "\ufe20\ufe21\u02b9\u02ba\u02bb\u02bc\u200c\u200f")
            assert exact(exact(text)) == exact(text)
            if text is record.title:
                assert fold(text).isascii(), (text, fold(text))
