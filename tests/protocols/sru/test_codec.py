"""Pure tests (no database): the CQL parser beyond the golden set, the CQL -> Kitab mapping, request parsing
and the XML the codec builds."""

from __future__ import annotations

import pytest
from lxml import etree

from kitab.marc.summary import BibSummary
from kitab.protocols.sru import codec, cql, mapping
from kitab.protocols.sru.diagnostics import SRUDiagnostic

NS = {"zs": codec.NS_SRW, "sru2": codec.NS_SRU2, "xcql": codec.NS_XCQL, "dc": codec.NS_DC,
      "srw_dc": codec.NS_SRW_DC, "diag": codec.NS_SRW_DIAG}


# -- parser -----------------------------------------------------------------------------------------------------


def test_relations_modifiers_and_escapes():
    q = cql.parse(r'dc.title ANY/relevant/cql.string "war \"and\" peace" sortBy dc.date/sort.descending')
    clause = q.root
    assert isinstance(clause, cql.SearchClause)
    assert (clause.index, clause.relation.base) == ("dc.title", "ANY")
    assert clause.relation.modifiers == (cql.Modifier("relevant"), cql.Modifier("cql.string"))
    assert clause.term == r'war \"and\" peace'
    assert q.sort_keys == (cql.SortKey("dc.date", (cql.Modifier("sort.descending"),)),)


@pytest.mark.parametrize("rel", ["=", "==", "<", ">", "<=", ">=", "<>", "exact", "any", "all", "adj", "within",
                                 "encloses"])
def test_every_relation_parses(rel):
    clause = cql.parse(f'dc.date {rel} "1990 2000"').root
    assert clause.relation.base == rel


def test_booleans_are_left_associative_and_parentheses_nest():
    q = cql.parse("a or b and c not d prox/distance<3 e")
    assert q.root.boolean == "prox" and q.root.modifiers == (cql.Modifier("distance", "<", "3"),)
    assert q.root.left.boolean == "not" and q.root.left.left.left.boolean == "or"
    q = cql.parse("a or (b and (c or d))")
    assert q.root.right.right.boolean == "or"


def test_prefix_maps_scope():
    q = cql.parse('> dc = "info:srw/cql-context-set/1/dc-v1.1" (> x = "urn:x" x.title = a) and dc.title = b')
    left, right = q.root.left, q.root.right
    assert left.context_set() == ("x", "urn:x", "title")
    assert right.context_set() == ("dc", "info:srw/cql-context-set/1/dc-v1.1", "title")
    assert q.root.prefixes == (cql.Prefix("dc", "info:srw/cql-context-set/1/dc-v1.1"),)


def test_index_relation_applies_to_a_parenthesised_query():
    q = cql.parse("dc.title any (war or peace)")
    assert [(c.index, c.relation.base, c.term) for c in (q.root.left, q.root.right)] == [
        ("dc.title", "any", "war"), ("dc.title", "any", "peace")]


@pytest.mark.parametrize("bad", ["", "a and", "(a", "a)", 'dc.title = "open', "a sortby", "dc.title =", "> x = y",
                                 "a = b = c"])
def test_syntax_errors(bad):
    with pytest.raises(cql.CQLSyntaxError):
        cql.parse(bad)


def test_scan_clause_must_be_single():
    assert cql.parse_clause("dc.title = war").term == "war"
    with pytest.raises(cql.CQLSyntaxError):
        cql.parse_clause("a and b")


# -- mapping ----------------------------------------------------------------------------------------------------


def kitab(text: str, resolver=None) -> str:  # type: ignore[no-untyped-def]
    result = mapping.to_kitab(cql.parse(text), resolve_record_id=resolver)
    return "<nothing>" if result.matches_nothing else result.text


@pytest.mark.parametrize(("cql_text", "expected"), [
    ("war", "war"),
    ("war and peace", "war peace"),
    ('cql.serverChoice = "war and peace"', '"war and peace"'),
    ('dc.title = "war and peace"', 'title:"war and peace"'),
    ('bath.title adj "war and peace"', 'title:"war and peace"'),
    ('dc.title == "war and peace"', 'title:"war and peace"'),
    ('title all "war peace"', "title:war title:peace"),
    ('dc.creator any "tolstoy tolstoi"', "author:tolstoi OR author:tolstoy"),
    ("dc.subject = history", "subject:history"),
    ("dc.publisher = penguin", "publisher:penguin"),
    ("bath.seriesTitle = classics", "series:classics"),
    ("dc.title = war*", "title:war*"),
    ("dc.date = 1990", "year:1990"),
    ('dc.date = "1990-2000"', "year:1990-2000"),
    ('dc.date within "1990 2000"', "year:1990-2000"),
    ("dc.date >= 1990", "year:>=1990"),
    ("dc.date < 1990", "year:<1990"),
    ("dc.date <> 1990", "-year:1990"),
    ("dc.language = tur", "language:tur"),
    ('dc.language any "tur kaz"', "language:kaz OR language:tur"),
    ("dc.type = serial", "type:serial"),
    ("bath.isbn = 0-306-40615-2", "isbn:0-306-40615-2"),
    ("dc.identifier = 9780306406157", "isbn:9780306406157"),
    ("dc.identifier = 0378-5955", "issn:0378-5955"),
    ("dc.identifier = 00271549", "control_number:00271549 OR lccn:00271549"),
    ("bath.issn = 0378-5955", "issn:0378-5955"),
    ("bath.localNumber = 00271549", "control_number:00271549"),
    ("a not b", "a -b"),
    ("a not (b or c)", "a -b -c"),
    ("(a or b) and (c or d)", "a OR b c OR d"),
    ("a or (b and c)", "a OR b a OR c"),
    ("a or a", "a"),
    ("cql.allRecords = 1", ""),
    ("cql.allRecords = 1 not dc.title = x", "-title:x"),
    ("a b c", "a b c"),
    ('dc.title = "OR"', 'title:"OR"'),
    ('dc.title = "-x"', 'title:"-x"'),
    ('title = "a: b"', 'title:"a: b"'),
    (r'dc.title = "say \"hi\""', 'title:"say hi"'),
    ("dc.title = \u00abwar\u00bb", "title:war"),
    ('> t = "info:srw/cql-context-set/1/dc-v1.1" t.title = fish', "title:fish"),
    ("title = fish", "title:fish"),
    ("isbn = 0306406152", "isbn:0306406152"),
    ('dc.title = "Қазақ әдебиеті"', 'title:"Қазақ әдебиеті"'),
    ("dc.title =/relevant/ignoreCase war", "title:war"),
])
def test_mapping(cql_text, expected):
    assert kitab(cql_text) == expected


def test_record_id_resolves_to_control_number():
    def resolver(i: int) -> str | None:
        return {7: "00271549"}.get(i)

    assert kitab("rec.id = 7", resolver) == "control_number:00271549"
    assert kitab("rec.id = 8", resolver) == "<nothing>"
    assert kitab("rec.id = 8 or war", resolver) == "war"
    assert kitab("war not rec.id = 8", resolver) == "war"


@pytest.mark.parametrize(("cql_text", "code"), [
    ("dc.nothing = a", 16),
    ("foo.title = a", 15),
    ('> f = "urn:unknown" f.title = a', 15),
    ("dc.title > a", 19),
    ("dc.title within a", 19),
    ("bath.isbn < 1", 19),
    ("dc.title =/stem a", 20),
    ("dc.title =/rel.algorithm=cori a", 20),
    ('dc.title = ""', 27),
    ('dc.title = "!!"', 27),
    ("dc.title = w?r", 28),
    ("dc.title = w*r", 28),
    ("dc.title = w*", 29),
    ("dc.title = ^war", 31),
    ('dc.title = "war* peace"', 33),
    ("dc.date = nineteen", 36),
    ('dc.date within "1990"', 36),
    ("rec.id = abc", 36),
    ("a prox b", 39),
    ("a and/rel.sum b", 46),
    ("a or (b not c)", 48),
    ("a or not b", None),  # `not` here is a term: a OR (not AND b)
    (" or ".join(f"(a{i} and b{i})" for i in range(7)), 38),
])
def test_mapping_diagnostics(cql_text, code):
    if code is None:
        assert kitab(cql_text)
        return
    with pytest.raises(SRUDiagnostic) as info:
        kitab(cql_text)
    assert info.value.code == code


@pytest.mark.parametrize(("text", "order", "code"), [
    ("a", None, None),
    ("a sortby dc.date", "year_asc", None),
    ("a sortby dc.date/sort.descending", "year_desc", None),
    ("a sortby dc.date/descending", "year_desc", None),
    ("a sortby dc.title", "title", None),
    ("a sortby dc.title/sort.descending", None, 90),
    ("a sortby dc.creator", None, 80),
    ("a sortby dc.title dc.date", None, 84),
    ("a sortby dc.date/sort.missingHigh", None, 80),
])
def test_sort_order(text, order, code):
    if code:
        with pytest.raises(SRUDiagnostic) as info:
            mapping.sort_order(cql.parse(text))
        assert info.value.code == code
    else:
        assert mapping.sort_order(cql.parse(text)) == order


# -- requests ---------------------------------------------------------------------------------------------------


def test_request_defaults_and_limits():
    req, diag = codec.parse_request({"operation": "searchRetrieve", "version": "1.2", "query": "a",
                                     "maximumRecords": "500", "recordSchema": "DC", "x-extension": "1",
                                     "resultSetTTL": "60"})
    assert diag is None
    assert (req.maximum_records, req.start_record, req.schema.name, req.escaping) == (100, 1, "dc", "xml")
    req, diag = codec.parse_request({})
    assert diag is None and req.operation == "explain" and req.version == "1.2"
    req, diag = codec.parse_request({"query": "a", "version": "2.0", "recordXMLEscaping": "string"})
    assert diag is None and req.operation == "searchRetrieve" and req.escaping == "string"
    req, diag = codec.parse_request({"scanClause": "dc.title=a", "version": "1.1"})
    assert diag is None and (req.operation, req.maximum_terms, req.response_position) == ("scan", 20, 1)


@pytest.mark.parametrize(("params", "code"), [
    ({"version": "9.9"}, 5),
    ({"operation": "update"}, 4),
    ({"operation": "searchRetrieve"}, 7),
    ({"operation": "searchRetrieve", "query": "a", "startRecord": "-1"}, 6),
    ({"operation": "searchRetrieve", "query": "a", "queryType": "pqf"}, 6),
    ({"operation": "searchRetrieve", "query": "a", "recordSchema": "info:srw/schema/1/mods-v3.3"}, 66),
    ({"operation": "searchRetrieve", "query": "a", "recordPacking": "json"}, 71),
    ({"operation": "searchRetrieve", "query": "a", "recordXPath": "/x"}, 72),
    ({"operation": "searchRetrieve", "query": "a", "sortKeys": "title"}, 80),
    ({"operation": "searchRetrieve", "query": "a", "stylesheet": "s.xsl"}, 110),
    ({"operation": "searchRetrieve", "query": "a", "scanClause": "x"}, 8),
    ({"operation": "scan", "scanClause": "a", "maximumTerms": "5", "responsePosition": "7"}, 120),
])
def test_request_diagnostics(params, code):
    _req, diag = codec.parse_request(params)
    assert diag is not None and diag.code == code
    assert diag.uri == f"info:srw/diagnostic/1/{code}"


# -- responses --------------------------------------------------------------------------------------------------


def test_search_retrieve_xml_in_both_versions():
    summary = BibSummary(title="Ismet İnönü : din ve laiklik ə ı", authors=["Қазақ әдебиеті"], year=1991,
                         isbns=["9789754780846"], languages=["tur"])
    for version, ns in (("1.2", codec.NS_SRW), ("2.0", codec.NS_SRU2)):
        req, _ = codec.parse_request({"version": version, "query": "x", "recordSchema": "dc"})
        body = codec.search_retrieve_response(
            req, total=3, records=[codec.RecordOut(2, "17", codec.dc_record(summary)),
                                   codec.RecordOut(3, "18", None, SRUDiagnostic(64, "18"))],
            next_position=None, diagnostics=[], query=cql.parse("x"))
        assert "İnönü : din ve laiklik ə ı".encode() in body and "Қазақ әдебиеті".encode() in body
        root = etree.fromstring(body)
        assert root.tag == f"{{{ns}}}searchRetrieveResponse"
        records = root.findall(f"{{{ns}}}records/{{{ns}}}record")
        assert records[0].findtext(f"{{{ns}}}recordPosition") == "2"
        assert records[1].findtext(f"{{{ns}}}recordSchema") == "info:srw/schema/1/diagnostics-v1.1"
        assert root.find(f".//{{{codec.NS_XCQL}}}searchClause") is not None
    assert b"<sruResponse:recordIdentifier>17</sruResponse:recordIdentifier>" in body


def test_control_characters_never_break_the_xml():
    body = codec.search_retrieve_response(
        codec.parse_request({"query": "a\x01b"})[0], total=0, records=[], next_position=None, diagnostics=[])
    assert etree.fromstring(body).findtext("zs:echoedSearchRetrieveRequest/zs:query", namespaces=NS) == "ab"


def test_xcql_echo_matches_the_parse():
    holder = etree.Element("holder")
    codec.xcql(cql.parse('> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title any/relevant "a b" not c '
                         "sortby dc.date/sort.ascending"), holder)
    triple = holder[0]
    assert triple.findtext("xcql:boolean/xcql:value", namespaces=NS) == "not"
    assert triple.findtext("xcql:prefixes/xcql:prefix/xcql:name", namespaces=NS) == "dc"
    left = triple.find("xcql:leftOperand/xcql:searchClause", namespaces=NS)
    assert left.findtext("xcql:relation/xcql:modifiers/xcql:modifier/xcql:type", namespaces=NS) == "relevant"
    assert triple.findtext("xcql:sortKeys/xcql:key/xcql:index", namespaces=NS) == "dc.date"


def test_explain_lists_every_index_name():
    req, _ = codec.parse_request({})
    root = codec.explain_record(req, codec.ServerInfo("example.org", 80, "sru"))
    names = {(n.get("set"), n.text) for n in root.iter(f"{{{codec.NS_ZEEREX}}}name")}
    assert names == {(s, n) for s, n, _ in mapping.INDEX_NAMES}
