from __future__ import annotations

from pathlib import Path

import pytest

from kitab.marc.mapping import summarize, trim
from kitab.marc.reader import iter_records
from tests.marc.builders import cf, df, make_record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marc"


def _summaries(name: str):
    return [summarize(r.record) for r in iter_records(FIXTURES / name)]


def test_loc_book_with_isbn_names_and_subjects():
    s = _summaries("loc_sample.mrc")[0]
    assert s.control_number == "00000913" and s.control_number_identifier == "DLC"
    assert s.lccn == "00000913"
    assert s.system_numbers == ["(OCoLC)ocm44871937"]
    assert s.isbns == ["9780965406338"]
    assert s.title == "Buying time : television advertising in the 1998 congressional elections"
    assert s.responsibility == "by Jonathan S. Krasno and Daniel E. Seltz"
    assert s.imprint == "New York, N.Y. : Brennan Center for Justice, c2000"
    assert s.places == ["New York, N.Y."] and s.publishers == ["Brennan Center for Justice"]
    assert s.year == 2000 and s.languages == ["eng"] and s.material_type == "book"
    assert s.physical_description == "iv, 198 p. : form, col. ill. ; 28 cm"
    assert s.authors == ["Krasno, Jonathan S., 1960-", "Seltz, Daniel E.", "Brennan Center for Justice"]
    assert s.subjects[0] == "Television in politics -- United States"
    assert "United States. Congress -- Elections, 1998" in s.subjects
    assert s.notes == ["Issued with: Executive summary (6 p.)", "Includes bibliographical references"]


def test_hebrew_880_fields_become_vernacular():
    s = _summaries("loc_sample.mrc")[1]
    assert s.title == "Sefer Ḳitsur dine terumot u-maʻaśerot"
    assert "ספר קיצור דיני תרומות ומעשרות / מאת חיים בן ישראל מאיר פריימן" in s.vernacular
    assert "פריימן, חיים בן ישראל מאיר" in s.vernacular
    assert s.year == 1998 and s.languages == ["heb"]


def test_series_from_490_and_830_and_meeting_names():
    s = _summaries("loc_sample.mrc")[4]
    assert s.series == [
        "Proceedings series",
        "Proceedings series (International Atomic Energy Agency)",
    ]
    meeting = "International Symposium on Restoration of Environments with Radioactive Residues"
    assert f"{meeting} (1999 : Arlington, Va.)" in s.authors
    assert s.isbns == ["9789201026002"]


def test_turkic_records():
    tur, kaz, uzb, aze = _summaries("loc_turkic.mrc")
    assert tur.title == "İsmet İnönü : din ve laiklik"
    assert tur.edition == "1. basım" and tur.imprint == "İstanbul : Tekin Yayınevi, 1991"
    assert tur.subjects[0] == "İnönü, İsmet, 1884-1973"
    assert (kaz.languages, uzb.languages) == (["kaz"], ["uzb"])
    assert aze.languages == ["aze", "per"]
    assert any("ترکى خيام" in v for v in aze.vernacular)
    assert aze.year == 1994


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pragmatic programmer :", "The pragmatic programmer"),
        ("Title /", "Title"),
        ("Martinsson, Tobias,", "Martinsson, Tobias"),
        ("Twain, Mark, 1835-1910.", "Twain, Mark, 1835-1910"),
        ("Noyed, Robert B.", "Noyed, Robert B."),
        ("Chanhassen, Minn. :", "Chanhassen, Minn."),
        ("New York [etc.]", "New York [etc.]"),
        ("Wait for it...", "Wait for it..."),
        ("  Includes index.  ", "Includes index"),
    ],
)
def test_trim(text, expected):
    assert trim(text) == expected


def _book(*fields, leader="00000nam a2200000 i 4500", f008="991231s1999    nyu           000 0 eng d"):
    return make_record(cf("001", "x1"), cf("008", f008), *fields, leader=leader)


def test_isbn_qualifiers_invalid_and_duplicates():
    s = summarize(
        _book(
            df("020", "  ", "a", "0471383147 (pbk.)"),
            df("020", "  ", "a", "978-0-471-38314-7"),
            df("020", "  ", "a", "0471383148"),
            df("020", "  ", "z", "0804429573"),
            df("022", "  ", "a", "1050-124x"),
        )
    )
    assert s.isbns == ["9780471383147"]
    assert s.issns == ["1050-124X"]


def test_264_publication_preferred_over_260_and_year_fallback():
    s = summarize(
        _book(
            df("260", "  ", "a", "London :", "b", "Old,", "c", "1950."),
            df("264", " 4", "c", "©2001"),
            df("264", " 1", "a", "Berlin :", "b", "Neu Verlag,", "c", "[2002]"),
            f008="991231nuuuu    gw            000 0 ger d",
        )
    )
    assert s.imprint == "Berlin : Neu Verlag, [2002]"
    assert s.publishers == ["Old", "Neu Verlag"] and s.places == ["London", "Berlin"]
    assert s.year == 2002  # 008 has no usable date


def test_year_9999_in_008_is_ignored():
    s = summarize(_book(df("260", "  ", "c", "1987."), f008="870101s9999    xx            000 0 eng d"))
    assert s.year == 1987


def test_languages_skip_blanks_and_unpack_041():
    s = summarize(
        _book(
            df("041", "1 ", "a", "engfre", "a", "GER", "h", "rus"),
            f008="991231s1999    nyu           000 0 |||    ",
        )
    )
    assert s.languages == ["eng", "fre", "ger"]


@pytest.mark.parametrize(
    ("leader67", "f008_23", "f007", "expected"),
    [
        ("am", " ", None, "book"),
        ("am", "o", None, "ebook"),
        ("am", " ", "cr |||||||||||", "ebook"),
        ("as", " ", None, "serial"),
        ("as", "o", None, "serial"),
        ("cm", " ", None, "score"),
        ("em", " ", None, "map"),
        ("jm", " ", None, "sound"),
        ("im", " ", None, "sound"),
        ("gm", " ", None, "video"),
        ("km", " ", None, "visual"),
        ("mm", " ", None, "computer"),
        ("om", " ", None, "kit"),
        ("pc", " ", None, "mixed"),
        ("tm", " ", None, "manuscript"),
    ],
)
def test_material_type(leader67, f008_23, f007, expected):
    f008 = "991231s1999    nyu" + " " * 5 + f008_23 + " " * 11 + "eng d"
    fields = [cf("007", f007)] if f007 else []
    record = make_record(cf("008", f008), *fields, leader=f"00000n{leader67} a2200000 i 4500")
    assert summarize(record).material_type == expected


def test_names_subjects_notes_and_summary():
    s = summarize(
        _book(
            df("100", "1 ", "a", "Clemens, Samuel Langhorne,", "d", "1835-1910,", "e", "author."),
            df("245", "10", "a", "Adventures :", "b", "a tale /", "c", "by Mark Twain."),
            df("250", "  ", "a", "2nd ed."),
            df("500", "  ", "a", "First published 1884.", "5", "DLC"),
            df("520", "  ", "a", "A boy and a raft."),
            df("650", " 0", "a", "Mississippi River", "v", "Fiction.", "0", "http://id.loc.gov/x"),
            df(
                "600", "10", "a", "Finn, Huckleberry", "c", "(Fictitious character)", "v", "Juvenile fiction."
            ),
            df("710", "2 ", "a", "Harper & Brothers.", "b", "Editorial Dept."),
            df("711", "2 ", "a", "Mark Twain Conference", "n", "(3rd :", "d", "1990 :", "c", "Elmira, N.Y.)"),
            df("700", "1 ", "a", "Clemens, Samuel Langhorne,", "d", "1835-1910,", "e", "author."),
        )
    )
    assert s.title == "Adventures : a tale"
    assert s.responsibility == "by Mark Twain"
    assert s.edition == "2nd ed."
    assert s.authors == [
        "Clemens, Samuel Langhorne, 1835-1910",
        "Harper & Brothers. Editorial Dept",
        "Mark Twain Conference (3rd : 1990 : Elmira, N.Y.)",
    ]
    assert s.subjects == [
        "Mississippi River -- Fiction",
        "Finn, Huckleberry (Fictitious character) -- Juvenile fiction",
    ]
    assert s.notes == ["First published 1884"]
    assert s.summary == "A boy and a raft"


def test_880_without_linkage_or_linked_to_other_tags_is_not_vernacular():
    s = summarize(
        _book(
            df("880", "10", "6", "245-01/(N", "a", "Мир"),
            df("880", "  ", "a", "без ссылки"),
            df("880", "  ", "6", "500-02", "a", "примечание"),
            df("880", " 0", "6", "650-03", "a", "История"),
        )
    )
    assert s.vernacular == ["Мир", "История"]


def test_holdings_are_extracted():
    s = summarize(_book(df("952", "  ", "a", "CPL", "b", "CPL", "p", "3999900000001", "y", "BK")))
    assert [h.barcode for h in s.holdings] == ["3999900000001"]


def test_variant_titles_series_issns_and_spoken_language():
    record = make_record(
        cf("008", "990101s1999    tu            000 0 tur d"),
        df("041", "1 ", "a", "tur", "d", "aze", "h", "eng"),
        df("245", "10", "a", "Kıbrıs :", "b", "tarih /", "c", "A. Yazar."),
        df("246", "30", "a", "Kıbrıs tarihi"),
        df("440", " 0", "a", "Tarih dizisi ;", "v", "5", "x", "0302-9743"),
        df("700", "12", "a", "Dede Korkut.", "t", "Kitab-ı Dede Korkut."),
        df("740", "02", "a", "Lefkoşa notları."),
        df("830", " 0", "a", "Yayınlar ;", "v", "12", "x", "1300-0128"),
    )
    s = summarize(record)
    assert s.variant_titles == ["Kıbrıs tarihi", "Kitab-ı Dede Korkut", "Lefkoşa notları"]
    assert "Tarih dizisi" in s.series
    assert s.issns == ["0302-9743", "1300-0128"]
    assert s.languages == ["tur", "aze"]  # 041 $h (original language) is not the item's language
