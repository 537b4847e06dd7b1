"""The /sru endpoint over 200 real LoC demo records: the answers agree with the search service."""

from __future__ import annotations

from lxml import etree

from kitab.catalogue.models import Record
from kitab.search.services import search
from kitab.search.types import SearchRequest
from tests.protocols.sru.conftest import NS, diagnostics, xml

URL = "/sru"


def _get(client, **params):  # type: ignore[no-untyped-def]
    return xml(client.get(URL, params))


def _sr(client, query: str, **params):  # type: ignore[no-untyped-def]
    params.setdefault("version", "1.2")
    return _get(client, operation="searchRetrieve", query=query, **params)


def _count(root) -> int:  # type: ignore[no-untyped-def]
    return int(root.xpath("string(//zs:numberOfRecords | //sru2:numberOfRecords)", namespaces=NS))


def _kitab_total(query: str) -> int:
    return search(SearchRequest(query=query, limit=0, facets=False)).total


# -- explain ----------------------------------------------------------------------------------------------------


def test_explain_is_the_default(client, db):
    root = _get(client)
    assert root.tag == "{http://www.loc.gov/zing/srw/}explainResponse"
    assert root.findtext("zs:version", namespaces=NS) == "1.2"
    assert root.findtext("zs:record/zs:recordSchema", namespaces=NS) == "http://explain.z3950.org/dtd/2.0/"
    explain = root.find("zs:record/zs:recordData/zr:explain", namespaces=NS)
    assert explain.findtext("zr:serverInfo/zr:host", namespaces=NS) == "testserver"
    assert explain.findtext("zr:serverInfo/zr:database", namespaces=NS) == "sru"
    names = {(n.get("set"), n.text) for n in explain.iterfind(".//zr:index/zr:map/zr:name", namespaces=NS)}
    for name in [("dc", "title"), ("dc", "creator"), ("bath", "isbn"), ("cql", "serverChoice"), ("rec", "id"),
                 ("dc", "date"), ("bath", "standardIdentifier")]:
        assert name in names
    schemas = {s.get("name"): s.get("identifier") for s in explain.iterfind(".//zr:schema", namespaces=NS)}
    assert schemas == {"marcxml": "info:srw/schema/1/marcxml-v1.1", "dc": "info:srw/schema/1/dc-v1.1"}
    title = explain.xpath(".//zr:index[zr:map/zr:name='title']", namespaces=NS)[0]
    assert title.get("scan") == "true" and title.findtext("zr:title", namespaces=NS) == "Title"
    assert explain.findtext("zr:configInfo/zr:setting[@type='maximumRecords']", namespaces=NS) == "100"


def test_explain_sru2_and_post(client, db):
    root = xml(client.post(URL, {"operation": "explain", "version": "2.0"}))
    assert root.tag == "{http://docs.oasis-open.org/ns/search-ws/sruResponse}explainResponse"
    assert root.findtext("sru2:version", namespaces=NS) == "2.0"


def test_explain_with_string_packing(client, db):
    root = _get(client, operation="explain", version="1.2", recordPacking="string")
    inner = etree.fromstring(root.findtext("zs:record/zs:recordData", namespaces=NS).encode())
    assert inner.tag == "{http://explain.z3950.org/dtd/2.0/}explain"


# -- searchRetrieve ---------------------------------------------------------------------------------------------


def test_counts_match_the_search_service(client, demo):
    for cql_query, kitab_query in [
        ("history", "history"),
        ('dc.title = "united states"', 'title:"united states"'),
        ("dc.creator = smith", "author:smith"),
        ("dc.subject any \"history politics\"", "subject:history OR subject:politics"),
        ("history and dc.date < 1990", "history year:<1990"),
        ("history not dc.language = eng", "history -language:eng"),
        ('dc.date within "1990 1999"', "year:1990-1999"),
        ("(dc.title = war or dc.title = peace) and dc.language = eng", "title:war OR title:peace language:eng"),
    ]:
        expected = _kitab_total(kitab_query)
        assert _count(_sr(client, cql_query)) == expected, cql_query
    assert _kitab_total("history") > 10


def test_marcxml_records_and_paging(client, demo):
    total = _kitab_total("history")
    first = _sr(client, "history", maximumRecords="5")
    records = first.findall("zs:records/zs:record", namespaces=NS)
    assert len(records) == 5
    assert [r.findtext("zs:recordPosition", namespaces=NS) for r in records] == ["1", "2", "3", "4", "5"]
    assert records[0].findtext("zs:recordSchema", namespaces=NS) == "info:srw/schema/1/marcxml-v1.1"
    assert records[0].findtext("zs:recordPacking", namespaces=NS) == "xml"
    marc = records[0].find("zs:recordData/marc:record", namespaces=NS)
    assert marc.find("marc:leader", namespaces=NS) is not None
    assert marc.find("marc:datafield[@tag='245']", namespaces=NS) is not None
    assert first.findtext("zs:nextRecordPosition", namespaces=NS) == "6"
    echo = first.find("zs:echoedSearchRetrieveRequest", namespaces=NS)
    assert echo.findtext("zs:query", namespaces=NS) == "history"
    assert echo.find("zs:xQuery/xcql:searchClause", namespaces=NS) is not None

    seen = []
    start = 1
    while start:
        page = _sr(client, "history", startRecord=str(start), maximumRecords="7", recordSchema="dc")
        seen += [r.findtext("zs:recordData/srw_dc:dc/dc:title", namespaces=NS)
                 for r in page.findall("zs:records/zs:record", namespaces=NS)]
        nxt = page.findtext("zs:nextRecordPosition", namespaces=NS)
        start = int(nxt) if nxt else 0
    assert len(seen) == total
    expected = [h.title for h in search(SearchRequest(query="history", limit=100, facets=False)).hits]
    assert seen == expected


def test_dublin_core_record(client, demo):
    rec = Record.objects.exclude(control_number="").order_by("pk").first()
    root = _sr(client, f"rec.id = {rec.pk}", recordSchema="info:srw/schema/1/dc-v1.1")
    assert _count(root) >= 1
    dc = root.find("zs:records/zs:record/zs:recordData/srw_dc:dc", namespaces=NS)
    assert dc.findtext("dc:title", namespaces=NS) == rec.title
    assert root.findtext("zs:records/zs:record/zs:recordSchema", namespaces=NS) == "info:srw/schema/1/dc-v1.1"


def test_string_packing_escapes_the_record(client, demo):
    root = _sr(client, "history", maximumRecords="1", recordPacking="string")
    data = root.find("zs:records/zs:record/zs:recordData", namespaces=NS)
    assert len(data) == 0
    assert etree.fromstring(data.text.encode()).tag == "{http://www.loc.gov/MARC21/slim}record"


def test_sru2_response(client, demo):
    root = _sr(client, "history", version="2.0", maximumRecords="2", recordXMLEscaping="xml")
    assert root.tag == "{http://docs.oasis-open.org/ns/search-ws/sruResponse}searchRetrieveResponse"
    assert _count(root) == _kitab_total("history")
    rec = root.find("sru2:records/sru2:record", namespaces=NS)
    assert rec.findtext("sru2:recordXMLEscaping", namespaces=NS) == "xml"
    assert rec.findtext("sru2:recordIdentifier", namespaces=NS).isdigit()
    # SRU 2.0 needs no operation parameter
    assert _count(_get(client, query="history", version="2.0")) == _kitab_total("history")


def test_sru11_uses_the_srw_namespace(client, demo):
    root = _sr(client, "history", version="1.1")
    assert root.tag == "{http://www.loc.gov/zing/srw/}searchRetrieveResponse"
    assert root.findtext("zs:version", namespaces=NS) == "1.1"


def test_sort_by_date(client, demo):
    root = _sr(client, "history sortby dc.date/sort.descending", maximumRecords="20", recordSchema="dc")
    years = [int(d) for d in root.xpath("//srw_dc:dc/dc:date/text()", namespaces=NS)]
    assert years == sorted(years, reverse=True) and len(years) > 5
    root = _sr(client, "history sortby dc.date", maximumRecords="20", recordSchema="dc")
    years = [int(d) for d in root.xpath("//srw_dc:dc/dc:date/text()", namespaces=NS)]
    assert years == sorted(years)


def test_kazakh_cyrillic_query_finds_romanised_records(client, demo_turkic):
    romanised = Record.objects.get(title__startswith="Qazaq adebiet")
    root = _sr(client, 'dc.title = "Қазақ әдебиеті"', recordSchema="dc")
    assert _count(root) == _kitab_total('title:"Қазақ әдебиеті"') >= 1
    titles = root.xpath("//srw_dc:dc/dc:title/text()", namespaces=NS)
    assert romanised.title in titles
    # one Cyrillic word finds the Kazakh records romanised as "Qazaqstan"
    broad = _sr(client, 'dc.title = "Қазақстан"', recordSchema="dc", maximumRecords="50")
    assert _count(broad) == _kitab_total("title:Қазақстан") >= 2
    titles = broad.xpath("//dc:title/text()", namespaces=NS)
    assert sum("Qazaqstan" in t for t in titles) >= 2


def test_turkish_dotted_capital_and_utf8_output(client, demo_turkic):
    root = _sr(client, 'dc.title = "ismet inönü"', recordSchema="dc")
    titles = root.xpath("//dc:title/text()", namespaces=NS)
    assert any(t.startswith("İsmet İnönü") for t in titles)
    root = _sr(client, "dc.language = kaz", recordSchema="marcxml", maximumRecords="100")
    assert _count(root) == Record.objects.filter(language="kaz").count() > 10
    text = etree.tostring(root, encoding="unicode")
    stored = "".join(Record.objects.filter(language="kaz").values_list("title", flat=True))
    special = {c for c in stored if ord(c) > 127}
    assert special and all(c in text for c in special)


def test_isbn_and_identifier_indexes(client, demo):
    from kitab.catalogue.models import RecordIdentifier

    ident = RecordIdentifier.objects.filter(kind="isbn").select_related("record").first()
    assert ident is not None
    for q in (f"bath.isbn = {ident.value}", f"dc.identifier = {ident.value}", f"bath.standardIdentifier = {ident.value}"):
        root = _sr(client, q, recordSchema="dc")
        assert _count(root) >= 1, q
        ids = [r.findtext("zs:recordData/srw_dc:dc/dc:title", namespaces=NS)
               for r in root.findall("zs:records/zs:record", namespaces=NS)]
        assert ident.record.title in ids


def test_no_hits_and_matches_nothing(client, demo):
    assert _count(_sr(client, "zzqxqzz")) == 0
    assert _count(_sr(client, "rec.id = 999999999")) == 0
    root = _sr(client, "cql.allRecords = 1", maximumRecords="0")
    assert _count(root) == Record.objects.count()
    assert root.find("zs:records", namespaces=NS) is None


# -- diagnostics ------------------------------------------------------------------------------------------------


def test_diagnostics(client, demo):
    cases = [
        ({"operation": "searchRetrieve", "version": "1.2"}, "7"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a and"}, "10"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "dc.nothing = a"}, "16"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "foo.title = a"}, "15"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "dc.title > a"}, "19"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "dc.title =/stem a"}, "20"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a prox b"}, "39"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a or (b not c)"}, "48"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a", "startRecord": "0"}, "6"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a", "maximumRecords": "x"}, "6"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a", "recordSchema": "mods"}, "66"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a", "recordPacking": "json"}, "71"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a sortby dc.creator"}, "80"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "history", "startRecord": "100000"}, "61"),
        ({"operation": "searchRetrieve", "version": "1.2", "query": "a", "bogus": "1"}, "8"),
        ({"operation": "frobnicate", "version": "1.2"}, "4"),
        ({"operation": "explain", "version": "3.0"}, "5"),
        ({"operation": "scan", "version": "1.2"}, "7"),
        ({"operation": "scan", "version": "1.2", "scanClause": "dc.subject = a"}, "16"),
        ({"operation": "scan", "version": "1.2", "scanClause": "dc.title = a", "responsePosition": "50"}, "120"),
    ]
    for params, code in cases:
        root = _get(client, **params)
        assert diagnostics(root) == [code], params
    history = _get(client, operation="searchRetrieve", version="1.2", query="history", startRecord="100000")
    assert _count(history) == _kitab_total("history")


def test_sru2_diagnostic_namespace(client, db):
    root = _get(client, operation="searchRetrieve", version="2.0", query="a and")
    assert root.xpath("//diag2:diagnostic/diag2:message/text()", namespaces=NS) == ["Query syntax error"]


# -- scan -------------------------------------------------------------------------------------------------------


def _terms(root):  # type: ignore[no-untyped-def]
    return [(t.findtext("zs:value", namespaces=NS), int(t.findtext("zs:numberOfRecords", namespaces=NS)))
            for t in root.findall("zs:terms/zs:term", namespaces=NS)]


def test_scan_titles(client, demo):
    root = _get(client, operation="scan", version="1.2", scanClause="dc.title = h", maximumTerms="5")
    terms = _terms(root)
    assert len(terms) == 5
    keys = [v.lower() for v, _ in terms]
    assert keys == sorted(keys) and keys[0] >= "h"
    assert all(n >= 1 for _, n in terms)
    # position 3: two headings before the start term
    around = _terms(_get(client, operation="scan", version="1.2", scanClause="dc.title = h",
                         maximumTerms="5", responsePosition="3"))
    assert [v.lower() for v, _ in around][2:] == keys[:3]
    assert all(v.lower() < "h" for v, _ in around[:2])
    # a scanned heading can be searched
    assert _count(_sr(client, f'dc.title = "{terms[0][0]}"')) >= terms[0][1]


def test_scan_authors_sru2(client, demo):
    root = _get(client, operation="scan", version="2.0", scanClause="bath.author = a", maximumTerms="3")
    assert root.tag == "{http://docs.oasis-open.org/ns/search-ws/scan}scanResponse"
    assert len(root.findall("scan2:terms/scan2:term", namespaces=NS)) == 3
