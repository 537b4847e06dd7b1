from __future__ import annotations

from kitab.marc.holdings import extract_holdings
from kitab.marc.summary import Holding
from tests.marc.builders import cf, df, make_record


def test_koha_952_fields_follow_the_items_table():
    # values as in koha_sample_items.csv: barcode, homebranch, holdingbranch, itype, location
    record = make_record(
        cf("001", "1"),
        df(
            "952",
            "  ",
            "0",
            "0",
            "1",
            "0",
            "4",
            "0",
            "7",
            "0",
            "a",
            "CPL",
            "b",
            "FPL",
            "c",
            "GEN",
            "o",
            "QA76.73.P22 M33 2000",
            "p",
            "3999900000001",
            "y",
            "BK",
            "g",
            "25.00",
        ),
        df("952", "  ", "a", "MPL", "b", "MPL", "p", "3999900000002", "1", "1"),
        df("952", "  ", "a", "MPL", "p", "3999900000003", "q", "2024-05-01"),
        df("952", "  ", "a", "MPL", "p", "3999900000004", "0", "1"),
        df("952", "  ", "a", "MPL", "p", "3999900000005", "4", "1"),
        df("952", "  ", "a", "MPL", "p", "3999900000006", "7", "-1"),
    )
    holdings = extract_holdings(record)
    assert holdings[0] == Holding(
        barcode="3999900000001",
        home_branch="CPL",
        holding_branch="FPL",
        location="GEN",
        call_number="QA76.73.P22 M33 2000",
        item_type="BK",
        status="available",
        price="25.00",
        source_tag="952",
    )
    assert [h.status for h in holdings] == [
        "available",
        "lost",
        "on_loan",
        "withdrawn",
        "damaged",
        "not_for_loan",
    ]
    assert holdings[1].holding_branch == "MPL"


def test_952_prose_is_not_an_item():
    record = make_record(df("952", "  ", "a", "Library has 2 copies."))
    assert extract_holdings(record) == []


def test_852_holdings_and_evergreen_export():
    record = make_record(
        df(
            "852",
            "0 ",
            "a",
            "MiU",
            "b",
            "BUHR",
            "c",
            "GRAD",
            "h",
            "QA303",
            "i",
            ".H3 1921",
            "p",
            "B 4 250 431",
        ),
        df(
            "852",
            "4 ",
            "a",
            "gaaagpl",
            "b",
            "BR1",
            "b",
            "BR2",
            "c",
            "Stacks",
            "j",
            "G4362.C6C5 s250.C37",
            "p",
            "11223344",
            "y",
            "0.00",
            "z",
            "Checked out",
        ),
        df("852", "  ", "x", "universal pattern"),
    )
    first, second = extract_holdings(record)
    assert (first.home_branch, first.location, first.call_number, first.barcode) == (
        "BUHR",
        "GRAD",
        "QA303 .H3 1921",
        "B 4 250 431",
    )
    assert first.source_tag == "852" and first.status == "available"
    assert (second.home_branch, second.holding_branch, second.call_number) == (
        "BR1",
        "BR2",
        "G4362.C6C5 s250.C37",
    )
    assert second.status == "on_loan" and second.price == "0.00"


def test_949_local_items():
    record = make_record(
        df(
            "949",
            "  ",
            "a",
            "PS 9455 H68 S8",
            "w",
            "LC",
            "i",
            "30007004052170",
            "r",
            "Y",
            "t",
            "BOOKS",
            "l",
            "DESM-CIR",
            "m",
            "DESMARAIS",
        ),
        df("949", "  ", "z", "b"),  # no barcode or call number: not ours to interpret
    )
    (h,) = extract_holdings(record)
    assert h == Holding(
        barcode="30007004052170",
        home_branch="DESMARAIS",
        holding_branch="DESMARAIS",
        location="DESM-CIR",
        call_number="PS 9455 H68 S8",
        item_type="BOOKS",
        source_tag="949",
    )
