"""Every ISO 2709 / MARCXML file of the shared MARC test corpus, read with exact accepted/rejected counts.

The counts were measured once with our reader and each rejection was checked by hand against the folder's
SOURCE.md
(the deliberate malformations) and the bytes themselves; the comment on a row says why its records are
rejected.
A record the reader can repair (wrong record length, base address, directory lengths counted in characters,
mis-declared encoding, non-ASCII in the leader) is accepted with a warning, so it counts as accepted.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from kitab.marc.errors import MarcReadError
from kitab.marc.mapping import summarize
from kitab.marc.reader import iter_records

pytestmark = pytest.mark.shared

REPO_ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [
    "pymarc-tests",
    "ruby-marc-tests",
    "perl-marc-tests",
    "catmandu-marc-tests",
    "traject-tests",
    "openlibrary-tests",
    "qa-catalogue-tests",
    "dnb-marc21-rs-tests",
    "natlibfi-serializers-fixtures",
    "evergreen",
    "koha-sample-data",
    "yaz-tests",
    "zebra-examples",
]
# Not ISO 2709 / MARCXML: text dumps, JSON, MARCMaker, Aleph sequential, CSV, documentation.
SKIP_SUFFIXES = (".md", ".json", ".csv", ".mrk", ".txt", ".lst", ".chr", ".ndj", ".lif", ".line", ".aleph")
SKIP_NAMES = {"README", "input"}
SKIP_PARTS = {"json", "text", "aleph-sequential", "cql-golden", "alephseq"}


def _shared() -> Path:
    env = os.environ.get("KITAB_SHARED_DATA")
    path = Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "marc"
    if not path.is_dir():
        pytest.skip("../shared/data/marc is not present")
    return path


# file: (accepted, rejected)
EXPECTED = {
    "pymarc-tests/1251.dat": (6, 0),
    "pymarc-tests/alphatag.dat": (1, 0),
    "pymarc-tests/bad_eacc_encoding.dat": (1, 0),
    "pymarc-tests/bad_indicator.dat": (1, 0),
    "pymarc-tests/bad_marc8_escape.dat": (1, 0),
    "pymarc-tests/bad_records.mrc": (
        5,
        4,
    ),  # deliberately broken: 13-byte directories, empty directory, truncated last record
    "pymarc-tests/bad_subfield_code.dat": (1, 0),
    "pymarc-tests/bad_tag.xml": (1, 0),
    "pymarc-tests/batch.xml": (2, 0),
    "pymarc-tests/diacritic.dat": (1, 0),
    "pymarc-tests/marc.dat": (20, 0),
    "pymarc-tests/marc8-to-unicode.dat": (1, 0),
    "pymarc-tests/marc8.dat": (1, 0),
    "pymarc-tests/multi_isbn.dat": (1, 0),
    "pymarc-tests/one.dat": (1, 0),
    "pymarc-tests/regression45.dat": (12, 0),
    "pymarc-tests/test.dat": (10, 0),
    "pymarc-tests/testunimarc.dat": (1, 0),
    "pymarc-tests/utf8.xml": (1, 0),
    "pymarc-tests/utf8_errors.dat": (1, 0),
    "pymarc-tests/utf8_invalid.mrc": (1, 0),
    "pymarc-tests/utf8_with_leader_flag.dat": (1, 0),
    "pymarc-tests/utf8_without_leader_flag.dat": (1, 0),
    "ruby-marc-tests/bad_eacc_encoding.marc8.marc": (1, 0),
    "ruby-marc-tests/batch.dat": (10, 0),
    "ruby-marc-tests/batch.xml": (2, 0),
    "ruby-marc-tests/cp866_multirecord.marc": (
        0,
        2,
    ),  # CP866 bytes, not MARC-8/UTF-8: read with encoding='cp866' (tested below)
    "ruby-marc-tests/cp866_unimarc.marc": (0, 1),  # same, CP866
    "ruby-marc-tests/escaped_character_reference.marc8.marc": (1, 0),
    "ruby-marc-tests/marc8_accented_chars.marc": (1, 0),
    "ruby-marc-tests/marc_with_bad_utf8.utf8.marc": (1, 0),
    "ruby-marc-tests/messed_up_leader.xml": (1, 0),
    "ruby-marc-tests/no-leading-zero.xml": (1, 0),
    "ruby-marc-tests/non-numeric.dat": (1, 0),
    "ruby-marc-tests/non-numeric.xml": (1, 0),
    "ruby-marc-tests/one.dat": (1, 0),
    "ruby-marc-tests/one.xml": (1, 0),
    "ruby-marc-tests/random_tag_order.dat": (1, 0),
    "ruby-marc-tests/random_tag_order2.dat": (1, 0),
    "ruby-marc-tests/three-records-second-bad.xml": (2, 1),  # 2nd record has '<' inside an attribute value
    "ruby-marc-tests/utf8.marc": (1, 0),
    "ruby-marc-tests/utf8_multirecord.marc": (2, 0),
    "ruby-marc-tests/utf8_with_bad_bytes.marc": (
        0,
        1,
    ),  # invalid UTF-8 (\xc3 '(') amid real UTF-8; neither MARC-8 nor cp1252
    "perl-marc-tests/MARC-Charset/cjk1.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/cjk2.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/cjk3.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/cjk4.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/cyrillic.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/hebrew1.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/hebrew2.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/hebrew3.marc": (1, 0),
    "perl-marc-tests/MARC-Charset/hebrew4.marc": (1, 0),
    "perl-marc-tests/MARC-File-MiJ/test.mrc": (9, 0),
    "perl-marc-tests/MARC-File-XML/batch-ns.xml": (10, 0),
    "perl-marc-tests/MARC-File-XML/batch.xml": (10, 0),
    "perl-marc-tests/MARC-File-XML/empty-record-2.xml": (0, 1),  # <record/> with nothing in it
    "perl-marc-tests/MARC-File-XML/empty-record.xml": (0, 1),  # <record/> with nothing in it
    "perl-marc-tests/MARC-File-XML/escape.mrc": (1, 0),
    "perl-marc-tests/MARC-File-XML/invalid.xml": (0, 0),
    "perl-marc-tests/MARC-File-XML/namespace.xml": (1, 0),
    "perl-marc-tests/MARC-File-XML/record.dat": (1, 0),
    "perl-marc-tests/MARC-File-XML/subfield0.xml": (1, 0),
    "perl-marc-tests/MARC-Lint/camel.usmarc": (11, 0),
    "perl-marc-tests/MARC-Parser-RAW/camel.mrc": (
        6,
        3,
    ),  # deliberately broken: no directory, truncated, garbage directory
    "perl-marc-tests/MARC-Record/baddir.usmarc": (0, 1),  # directory entry with non-numeric length
    "perl-marc-tests/MARC-Record/badind.usmarc": (1, 0),
    "perl-marc-tests/MARC-Record/badldr.usmarc": (6, 1),  # stray byte at end of file
    "perl-marc-tests/MARC-Record/camel.usmarc": (10, 0),
    "perl-marc-tests/MARC-Record/cameleof.usmarc": (10, 0),
    "perl-marc-tests/MARC-Record/filler.usmarc": (3, 0),
    "perl-marc-tests/MARC-Record/sample1.usmarc": (1, 0),
    "perl-marc-tests/MARC-Record/sample1eof.usmarc": (1, 0),
    "perl-marc-tests/MARC-Record/title_proper.usmarc": (5, 0),
    "perl-marc-tests/MARC-legacy/badmarc.dat": (3, 1),  # directory not a multiple of 12
    "perl-marc-tests/MARC-legacy/makrbrkr.mrc": (8, 0),
    "perl-marc-tests/MARC-legacy/marc.dat": (2, 0),
    "perl-marc-tests/MARC-legacy/marc4.dat": (2, 0),
    "catmandu-marc-tests/broken.xml": (10, 0),
    "catmandu-marc-tests/bu_bibs.mrc": (
        92,
        8,
    ),  # 8 records whose data was re-encoded after the directory was written (extra field terminators)
    "catmandu-marc-tests/camel.mrc": (10, 0),
    "catmandu-marc-tests/camel9.mrc": (1, 0),
    "catmandu-marc-tests/dollar_subfields.mrc": (2, 0),
    "catmandu-marc-tests/marc.xml": (1, 0),
    "catmandu-marc-tests/oschrift_me.mrc": (1, 0),
    "catmandu-marc-tests/utf8.mrc": (1, 0),
    "traject-tests/245_no_ab.marc": (1, 0),
    "traject-tests/880_with_no_6.utf8.marc": (1, 0),
    "traject-tests/bad_subfield_code.marc": (1, 0),
    "traject-tests/bad_utf_byte.utf8.marc": (1, 0),
    "traject-tests/date_resort_to_260.marc": (1, 0),
    "traject-tests/date_resort_to_264.marc": (1, 0),
    "traject-tests/date_type_r_missing_date2.marc": (1, 0),
    "traject-tests/date_with_u.marc": (1, 0),
    "traject-tests/emptyish_record.marc": (1, 0),
    "traject-tests/escaped_character_reference.marc8.marc": (1, 0),
    "traject-tests/george_eliot.marc": (1, 0),
    "traject-tests/hebrew880s.marc": (1, 0),
    "traject-tests/iso639-3_lang.marc": (1, 0),
    "traject-tests/louis_armstrong.marc": (1, 0),
    "traject-tests/manufacturing_consent.marc": (1, 0),
    "traject-tests/manuscript_online_thesis.marc": (1, 0),
    "traject-tests/microform_online_conference.marc": (1, 0),
    "traject-tests/missing-second-date.marc": (1, 0),
    "traject-tests/multi_era.marc": (1, 0),
    "traject-tests/multi_geo.marc": (1, 0),
    "traject-tests/musical_cage.marc": (1, 0),
    "traject-tests/namespace-test.xml": (0, 1),  # <record> of a foreign vocabulary, no MARC inside
    "traject-tests/nature.marc": (1, 0),
    "traject-tests/oai-pmh-one-record-2.xml": (0, 1),  # OAI-PMH oai_dc, no MARC
    "traject-tests/oai-pmh-one-record-first.xml": (0, 1),  # OAI-PMH oai_dc, no MARC
    "traject-tests/one-marc8.mrc": (1, 0),
    "traject-tests/online_only.marc": (1, 0),
    "traject-tests/packed_041a_lang.marc": (1, 0),
    "traject-tests/sample-oai-no-namespace.xml": (0, 10),  # OAI-PMH oai_dc, no MARC
    "traject-tests/sample-oai-pmh.xml": (0, 10),  # OAI-PMH oai_dc, no MARC
    "traject-tests/test_data.utf8.marc.xml": (30, 0),
    "traject-tests/test_data.utf8.mrc": (30, 0),
    "traject-tests/test_data.utf8.mrc.gz": (30, 0),
    "traject-tests/the_business_ren.marc": (1, 0),
    "openlibrary-tests/add_book/coursepuremath00hardrich_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/descendantsofhug00cham_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/flatlandromanceo00abbouoft_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/isbn_9781419594069_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/nurembergwarcrim1997marr_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/roadstogreatness00gall_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/sexuallytransmit00egen_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/treatiseonhistor00dixo_meta.mrc": (1, 0),
    "openlibrary-tests/add_book/workshuberthowe00racegoog_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/0descriptionofta1682unit_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/13dipolarcycload00burk_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/1733mmoiresdel00vill_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/710_org_name_in_direct_order.mrc": (1, 0),
    "openlibrary-tests/bin_input/830_series.mrc": (1, 0),
    "openlibrary-tests/bin_input/880_Nihon_no_chasho.mrc": (1, 0),
    "openlibrary-tests/bin_input/880_alternate_script.mrc": (1, 0),
    "openlibrary-tests/bin_input/880_arabic_french_many_linkages.mrc": (1, 0),
    "openlibrary-tests/bin_input/880_publisher_unlinked.mrc": (1, 0),
    "openlibrary-tests/bin_input/880_table_of_contents.mrc": (1, 0),
    "openlibrary-tests/bin_input/9999_sd_dates.mrc": (1, 0),
    "openlibrary-tests/bin_input/9999_with_correct_date_in_260.mrc": (1, 0),
    "openlibrary-tests/bin_input/bijouorannualofl1828cole_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/bpl_0486266893.mrc": (1, 0),
    "openlibrary-tests/bin_input/collingswood_520aa.mrc": (1, 0),
    "openlibrary-tests/bin_input/collingswood_bad_008.mrc": (1, 0),
    "openlibrary-tests/bin_input/cu31924091184469_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/dasrmischepriv00rein_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/diebrokeradical400poll_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/engineercorpsofh00sher_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/equalsign_title.mrc": (1, 0),
    "openlibrary-tests/bin_input/flatlandromanceo00abbouoft_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/henrywardbeecher00robauoft_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/histoirereligieu05cr_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/ithaca_college_75002321.mrc": (1, 0),
    "openlibrary-tests/bin_input/ithaca_two_856u.mrc": (1, 0),
    "openlibrary-tests/bin_input/lc_0444897283.mrc": (1, 0),
    "openlibrary-tests/bin_input/lc_1416500308.mrc": (1, 0),
    "openlibrary-tests/bin_input/lesabndioeinas00sche_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/lesnoirsetlesrou0000garl_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/lincolncentenary00horn_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/livrodostermosh00bragoog_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/memoirsofjosephf00fouc_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/merchantsfromcat00ben_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/mytwocountries1954asto_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/new_poganucpeoplethe00stowuoft_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/ocm00400866.mrc": (1, 0),
    "openlibrary-tests/bin_input/onquietcomedyint00brid_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/poganucpeoplethe00stowuoft_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/reprint_date_wrong_order.mrc": (1, 0),
    "openlibrary-tests/bin_input/scrapbooksofmoun03tupp_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/secretcodeofsucc00stjo_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_245p.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_740.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_856.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_empty_245.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_multi_work_tiles.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_no_title.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_no_title2.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_see_also.mrc": (1, 0),
    "openlibrary-tests/bin_input/talis_two_authors.mrc": (1, 0),
    "openlibrary-tests/bin_input/test-publish-sn-sl-nd.mrc": (1, 0),
    "openlibrary-tests/bin_input/test-publish-sn-sl.mrc": (1, 0),
    "openlibrary-tests/bin_input/thewilliamsrecord_vol29b_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/uoft_4351105_1626.mrc": (1, 0),
    "openlibrary-tests/bin_input/upei_short_008.mrc": (1, 0),
    "openlibrary-tests/bin_input/warofrebellionco1473unit_meta.mrc": (1, 0),
    "openlibrary-tests/bin_input/wrapped_lines.mrc": (1, 0),
    "openlibrary-tests/bin_input/wwu_51323556.mrc": (1, 0),
    "openlibrary-tests/bin_input/zweibchersatir01horauoft_meta.mrc": (1, 0),
    "openlibrary-tests/xml_input/00schlgoog_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/0descriptionofta1682unit_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/13dipolarcycload00burk_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/1733mmoiresdel00vill_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/39002054008678_yale_edu_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/abhandlungender01ggoog_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/bijouorannualofl1828cole_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/cu31924091184469_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/dasrmischepriv00rein_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/engineercorpsofh00sher_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/flatlandromanceo00abbouoft_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/lesabndioeinas00sche_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/lincolncentenary00horn_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/livrodostermosh00bragoog_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/mytwocountries1954asto_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/nybc200247_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/onquietcomedyint00brid_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/scrapbooksofmoun03tupp_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/secretcodeofsucc00stjo_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/soilsurveyrepor00statgoog_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/warofrebellionco1473unit_marc.xml": (1, 0),
    "openlibrary-tests/xml_input/zweibchersatir01horauoft_marc.xml": (1, 0),
    "qa-catalogue-tests/authority/authority.sample.xml": (10, 0),
    "qa-catalogue-tests/general/000-line-seperated.mrc": (20, 0),
    "qa-catalogue-tests/general/0001-01.mrc": (5, 0),
    "qa-catalogue-tests/general/BooksAll.2014.part01-0001.mrc": (100, 0),
    "qa-catalogue-tests/gzip/test.xml.gz": (10, 0),
    "qa-catalogue-tests/gzip/test2.xml.gz": (10, 0),
    "qa-catalogue-tests/marc/22561.mrc": (1, 0),
    "qa-catalogue-tests/marcspec/music.mrc": (3, 0),
    "qa-catalogue-tests/marcxml/marcxml.xml": (1, 0),
    "qa-catalogue-tests/marcxml/wrong-marcxml.xml": (3, 0),
    "qa-catalogue-tests/picaxml/pica.xml": (0, 1),  # PICA XML, not MARC
    "qa-catalogue-tests/translation/thomas-mann.xml.gz": (352, 0),
    "qa-catalogue-tests/unimarc/serial.bnr.1993.mrc": (11, 0),
    "qa-catalogue-tests/unimarc/short.bnr.1993.mrc": (10, 0),
    "qa-catalogue-tests/unimarc/short.firenze.1977.mrc": (10, 0),
    "dnb-marc21-rs-tests/DUMP.mrc.gz": (8, 0),
    "dnb-marc21-rs-tests/ada.mrc": (1, 0),
    "dnb-marc21-rs-tests/ada.mrc.gz": (1, 0),
    "dnb-marc21-rs-tests/invalid.mrc": (1, 0),
    "dnb-marc21-rs-tests/minna.mrc": (1, 0),
    "natlibfi-serializers-fixtures/iso2709/from1": (1, 0),
    "natlibfi-serializers-fixtures/iso2709/from2": (1, 0),
    "natlibfi-serializers-fixtures/iso2709/from3": (1, 0),
    "natlibfi-serializers-fixtures/iso2709/in-custom-validators": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/2RecordsFrom1": (2, 0),
    "natlibfi-serializers-fixtures/marcxml/2RecordsFrom2": (2, 0),
    "natlibfi-serializers-fixtures/marcxml/erroneous": (0, 1),  # not well-formed XML
    "natlibfi-serializers-fixtures/marcxml/from-namespace-xml1": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/from1": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/from2": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/from3": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/from4": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/in-custom-validators": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/to-custom-validation": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/to-indent": (1, 0),
    "natlibfi-serializers-fixtures/marcxml/to-no-xml-decl": (1, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/2RecordsFrom": (2, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/erroneous1": (1, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/erroneous2": (1, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/from1": (1, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/in-custom-validators": (1, 0),
    "natlibfi-serializers-fixtures/oai-marcxml/to-no-xml-decl": (1, 0),
    "evergreen/FSL.marc": (52, 0),
    "evergreen/auth-1066.mrc": (1066, 0),
    "evergreen/auth-subset100.mrc": (17, 0),
    "evergreen/badisbns.xml": (10, 0),
    "evergreen/hebrew.marc": (20, 0),
    "evergreen/jazz_1k.mrc": (1000, 0),
    "evergreen/lul_fre_100.mrc": (100, 0),
    "evergreen/lul_fre_500.mrc": (500, 0),
    "evergreen/map_data.mrc": (3, 0),
    "evergreen/nepali.marc": (96, 0),
    "evergreen/oss.marc": (42, 0),
    "evergreen/sample_acq_order.mrc": (10, 0),
    "evergreen/serials_marc21.xml": (7, 0),
    "evergreen/serials_mfhd.xml": (7, 0),
    "evergreen/RDA/RDA_record_CD_Claudia.mrc": (1, 0),
    "evergreen/RDA/RDA_record_DVD-BLUE-RAY-MOVIE_Pineapple_express.mrc": (1, 0),
    "evergreen/RDA/RDA_record_DVD_Jorge_Mautner.mrc": (1, 0),
    "evergreen/RDA/RDA_record_MAP_2012_Enchanted_Circle.mrc": (1, 0),
    "evergreen/RDA/RDA_record_PHOTO_Srid_pa_ho.mrc": (1, 0),
    "evergreen/RDA/RDA_record_SCORE-CD_Arias_for_soprano.mrc": (1, 0),
    "evergreen/RDA/RDA_record_SCORE_Arias_for_bass.mrc": (1, 0),
    "evergreen/RDA/RDA_record_SCORE_Intermediate_studies.mrc": (1, 0),
    "evergreen/RDA/RDA_record_SCORE_Wiegenlied.mrc": (1, 0),
    "evergreen/RDA/RDA_record_SERIAL_IEEE_International_conference.mrc": (1, 0),
    "evergreen/concerto/auth_concerto.xml": (72, 0),
    "evergreen/concerto/auth_lc.xml": (14, 0),
    "evergreen/concerto/auth_mesh.xml": (12, 0),
    "evergreen/concerto/bibs_booking.xml": (2, 0),
    "evergreen/concerto/bibs_concerto.xml": (100, 0),
    "evergreen/concerto/bibs_cze.xml": (7, 0),
    "evergreen/concerto/bibs_ebook_api.xml": (4, 0),
    "evergreen/concerto/bibs_etextbooks.xml": (7, 0),
    "evergreen/concerto/bibs_fic.xml": (17, 0),
    "evergreen/concerto/bibs_fre.xml": (100, 0),
    "evergreen/concerto/bibs_graphic_880.xml": (7, 0),
    "evergreen/concerto/bibs_maps.xml": (3, 0),
    "evergreen/concerto/bibs_mr.xml": (7, 0),
    "evergreen/concerto/bibs_rda.xml": (10, 0),
    "koha-sample-data/koha_sample_authorities.marcxml.xml": (1706, 0),
    "koha-sample-data/koha_sample_biblios.marcxml.xml": (435, 1),  # record 368 contains raw 0x1F characters
    "koha-sample-data/koha_sample_biblios.wellformed.marcxml.xml": (435, 0),
    "yaz-tests/marc-all.marc": (9, 1),  # contains marc4.marc, the deliberately broken leader/directory
    "yaz-tests/marc0.json.marc": (1, 0),
    "yaz-tests/marc0.marc": (1, 0),
    "yaz-tests/marc0.xml": (1, 0),
    "yaz-tests/marc0.xml.marc": (1, 0),
    "yaz-tests/marc1.json.marc": (1, 0),
    "yaz-tests/marc1.marc": (1, 0),
    "yaz-tests/marc1.xml": (1, 0),
    "yaz-tests/marc1.xml.marc": (1, 0),
    "yaz-tests/marc10.json.marc": (1, 0),
    "yaz-tests/marc10.marc": (1, 0),
    "yaz-tests/marc10.xml": (1, 0),
    "yaz-tests/marc10.xml.marc": (1, 0),
    "yaz-tests/marc11.json.marc": (1, 0),
    "yaz-tests/marc11.marc": (1, 0),
    "yaz-tests/marc11.xml": (1, 0),
    "yaz-tests/marc11.xml.marc": (1, 0),
    "yaz-tests/marc2.json.marc": (1, 0),
    "yaz-tests/marc2.marc": (1, 0),
    "yaz-tests/marc2.xml": (1, 0),
    "yaz-tests/marc2.xml.marc": (1, 0),
    "yaz-tests/marc3.json.marc": (1, 0),
    "yaz-tests/marc3.marc": (1, 0),
    "yaz-tests/marc3.xml": (1, 0),
    "yaz-tests/marc3.xml.marc": (1, 0),
    "yaz-tests/marc4.json.marc": (0, 1),  # yaz's output for the broken marc4: a record with no fields
    "yaz-tests/marc4.marc": (0, 1),  # deliberately broken leader and directory
    "yaz-tests/marc4.xml": (0, 1),  # yaz's output for marc4: <record> with a leader only
    "yaz-tests/marc4.xml.marc": (0, 1),  # yaz's output for the broken marc4: a record with no fields
    "yaz-tests/marc5.json.marc": (1, 0),
    "yaz-tests/marc5.marc": (1, 0),
    "yaz-tests/marc5.xml": (1, 0),
    "yaz-tests/marc5.xml.marc": (1, 0),
    "yaz-tests/marc6.json.marc": (1, 0),
    "yaz-tests/marc6.marc": (1, 0),
    "yaz-tests/marc6.xml": (1, 0),
    "yaz-tests/marc6.xml.marc": (1, 0),
    "yaz-tests/marc7.json.marc": (1, 0),
    "yaz-tests/marc7.marc": (1, 0),
    "yaz-tests/marc7.xml": (1, 0),
    "yaz-tests/marc7.xml.marc": (1, 0),
    "yaz-tests/marc8.json.marc": (1, 0),
    "yaz-tests/marc8.marc": (1, 0),
    "yaz-tests/marc8.xml": (1, 0),
    "yaz-tests/marc8.xml.marc": (1, 0),
    "yaz-tests/marc9.json.marc": (1, 0),
    "yaz-tests/marc9.marc": (1, 0),
    "yaz-tests/marc9.xml": (1, 0),
    "yaz-tests/marc9.xml.marc": (1, 0),
    "yaz-tests/marccol1.u8.marc": (19, 0),
    "yaz-tests/marccol2.u8.marc": (1, 0),
    "yaz-tests/marccol3.u8.marc": (1, 0),
    "yaz-tests/marccol4.u8.marc": (1, 0),
    "yaz-tests/marccol5.u8.marc": (11, 0),
    "yaz-tests/tmarc0.xml": (0, 0),
    "yaz-tests/tmarc0.xml.marc": (1, 0),
    "yaz-tests/tmarc1.xml": (0, 0),
    "yaz-tests/tmarc1.xml.marc": (1, 0),
    "yaz-tests/tmarc10.xml": (0, 0),
    "yaz-tests/tmarc10.xml.marc": (1, 0),
    "yaz-tests/tmarc11.xml": (0, 0),
    "yaz-tests/tmarc11.xml.marc": (1, 0),
    "yaz-tests/tmarc2.xml": (0, 0),
    "yaz-tests/tmarc2.xml.marc": (1, 0),
    "yaz-tests/tmarc3.xml": (0, 0),
    "yaz-tests/tmarc3.xml.marc": (1, 0),
    "yaz-tests/tmarc4.xml": (0, 0),
    "yaz-tests/tmarc4.xml.marc": (0, 1),  # yaz's output for the broken marc4: a record with no fields
    "yaz-tests/tmarc5.xml": (0, 0),
    "yaz-tests/tmarc5.xml.marc": (1, 0),
    "yaz-tests/tmarc6.xml": (0, 0),
    "yaz-tests/tmarc6.xml.marc": (1, 0),
    "yaz-tests/tmarc7.xml": (0, 0),
    "yaz-tests/tmarc7.xml.marc": (1, 0),
    "yaz-tests/tmarc8.xml": (0, 0),
    "yaz-tests/tmarc8.xml.marc": (1, 0),
    "yaz-tests/tmarc9.xml": (0, 0),
    "yaz-tests/tmarc9.xml.marc": (1, 0),
    "yaz-tests/xml2marc0.xml": (1, 0),
    "yaz-tests/xml2marc0.xml.marc": (1, 0),
    "yaz-tests/xml2marc1.xml": (1, 0),
    "yaz-tests/xml2marc1.xml.marc": (1, 0),
    "yaz-tests/xml2marc10.xml": (1, 0),
    "yaz-tests/xml2marc10.xml.marc": (1, 0),
    "yaz-tests/xml2marc11.xml": (1, 0),
    "yaz-tests/xml2marc11.xml.marc": (1, 0),
    "yaz-tests/xml2marc2.xml": (1, 0),
    "yaz-tests/xml2marc2.xml.marc": (1, 0),
    "yaz-tests/xml2marc3.xml": (1, 0),
    "yaz-tests/xml2marc3.xml.marc": (1, 0),
    "yaz-tests/xml2marc4.xml": (0, 1),  # yaz's output for marc4: <record> with a leader only
    "yaz-tests/xml2marc4.xml.marc": (0, 1),  # yaz's output for the broken marc4: a record with no fields
    "yaz-tests/xml2marc5.xml": (1, 0),
    "yaz-tests/xml2marc5.xml.marc": (1, 0),
    "yaz-tests/xml2marc6.xml": (1, 0),
    "yaz-tests/xml2marc6.xml.marc": (1, 0),
    "yaz-tests/xml2marc7.xml": (1, 0),
    "yaz-tests/xml2marc7.xml.marc": (1, 0),
    "yaz-tests/xml2marc8.xml": (1, 0),
    "yaz-tests/xml2marc8.xml.marc": (1, 0),
    "yaz-tests/xml2marc9.xml": (1, 0),
    "yaz-tests/xml2marc9.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc0.xml": (0, 0),
    "yaz-tests/xml2tmarc0.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc1.xml": (0, 0),
    "yaz-tests/xml2tmarc1.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc10.xml": (0, 0),
    "yaz-tests/xml2tmarc10.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc11.xml": (0, 0),
    "yaz-tests/xml2tmarc11.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc2.xml": (0, 0),
    "yaz-tests/xml2tmarc2.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc3.xml": (0, 0),
    "yaz-tests/xml2tmarc3.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc4.xml": (0, 0),
    "yaz-tests/xml2tmarc4.xml.marc": (0, 1),  # yaz's output for the broken marc4: a record with no fields
    "yaz-tests/xml2tmarc5.xml": (0, 0),
    "yaz-tests/xml2tmarc5.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc6.xml": (0, 0),
    "yaz-tests/xml2tmarc6.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc7.xml": (0, 0),
    "yaz-tests/xml2tmarc7.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc8.xml": (0, 0),
    "yaz-tests/xml2tmarc8.xml.marc": (1, 0),
    "yaz-tests/xml2tmarc9.xml": (0, 0),
    "yaz-tests/xml2tmarc9.xml.marc": (1, 0),
    "zebra-examples/collection-2.xml": (2, 0),
    "zebra-examples/collection-clasmrc.xml": (20, 0),
    "zebra-examples/collection-namemrc.xml": (20, 0),
    "zebra-examples/collection-opera-43.xml": (43, 0),
    "zebra-examples/collection-sandburg-1.xml": (1, 0),
    "zebra-examples/collection-subjmrc.xml": (20, 0),
    "zebra-examples/sample-marc.mrc": (24, 0),
}

# Files in the folders above that are not MARC at all (JSON or text "expected output" files without a suffix,
# a
# MARC-8 text snippet): the reader must refuse them as a whole instead of inventing records.
NOT_MARC = [
    "perl-marc-tests/MARC-Charset/farsi.marc",
    "natlibfi-serializers-fixtures/iso2709/erroneous",
    "natlibfi-serializers-fixtures/iso2709/out-custom-validators",
    "natlibfi-serializers-fixtures/iso2709/to1",
    "natlibfi-serializers-fixtures/iso2709/to2",
    "natlibfi-serializers-fixtures/iso2709/to3",
    "natlibfi-serializers-fixtures/marcxml/2RecordsTo1",
    "natlibfi-serializers-fixtures/marcxml/2RecordsTo2",
    "natlibfi-serializers-fixtures/marcxml/from-custom-validation",
    "natlibfi-serializers-fixtures/marcxml/from-indent",
    "natlibfi-serializers-fixtures/marcxml/from-no-xml-decl",
    "natlibfi-serializers-fixtures/marcxml/out-custom-validators",
    "natlibfi-serializers-fixtures/marcxml/to-namespace-xml1",
    "natlibfi-serializers-fixtures/marcxml/to1",
    "natlibfi-serializers-fixtures/marcxml/to2",
    "natlibfi-serializers-fixtures/marcxml/to3",
    "natlibfi-serializers-fixtures/marcxml/to4",
    "natlibfi-serializers-fixtures/oai-marcxml/2RecordsTo",
    "natlibfi-serializers-fixtures/oai-marcxml/from-no-xml-decl",
    "natlibfi-serializers-fixtures/oai-marcxml/out-custom-validators",
    "natlibfi-serializers-fixtures/oai-marcxml/to1",
]


def _candidates(root: Path) -> list[str]:
    out = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or path.name in SKIP_NAMES or path.name.endswith(SKIP_SUFFIXES):
                continue
            if SKIP_PARTS.intersection(rel.parts):
                continue
            out.append(rel.as_posix())
    return out


def test_table_covers_every_file():
    root = _shared()
    assert sorted(_candidates(root)) == sorted([*EXPECTED, *NOT_MARC])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_accepted_and_rejected_counts(name):
    root = _shared()
    accepted = rejected = 0
    for result in iter_records(root / name):
        if result.error is None:
            accepted += 1
            record = result.record
            assert str(record.leader)[9] == "a"
            assert all(
                unicodedata.is_normalized(
                    "NFC", f.data if f.control_field else " ".join(s.value for s in f.subfields)
                )
                for f in record.fields
            )
            summarize(record)  # the mapping must cope with whatever the reader accepts
        else:
            rejected += 1
            assert result.record is None and result.error
    assert (accepted, rejected) == EXPECTED[name]


@pytest.mark.parametrize("name", NOT_MARC)
def test_non_marc_files_are_refused(name):
    with pytest.raises(MarcReadError, match="not a MARC file"):
        list(iter_records(_shared() / name))


def _texts(path: Path, encoding: str | None = None) -> list[str]:
    out = []
    for result in iter_records(path, encoding=encoding):
        assert result.ok, result.error
        out.append(" ".join(f.data if f.control_field else f.value() for f in result.record.fields))
    return out


def test_cp1251_with_encoding_option():
    texts = _texts(_shared() / "pymarc-tests" / "1251.dat", encoding="cp1251")
    assert len(texts) == 6
    assert "Основы гидравлического расчета инженерных сетей" in texts[0]
    assert "Линдгрен, Астрид" in texts[4]


def test_cp866_with_encoding_option():
    for name in ("cp866_multirecord.marc", "cp866_unimarc.marc"):
        texts = _texts(_shared() / "ruby-marc-tests" / name, encoding="cp866")
        assert texts and all("Никитенко Е. А." in t for t in texts)
        assert "Междунар. новости мира пластмасс" in texts[0]


def test_fsl_utf8_under_marc8_leader_is_proper_unicode():
    results = list(iter_records(_shared() / "evergreen" / "FSL.marc"))
    assert len(results) == 52 and all(r.ok for r in results)
    assert all(any("valid UTF-8" in w for w in r.warnings) for r in results)
    texts = [" ".join(f.value() for f in r.record.fields) for r in results]
    cyrillic = sum(any("\u0400" <= c <= "\u04ff" for c in t) for t in texts)
    armenian = sum(any("\u0530" <= c <= "\u058f" for c in t) for t in texts)
    assert (cyrillic, armenian) == (46, 7)
    assert not any("Ã" in t or "Ð" in t for t in texts)  # typical UTF-8-read-as-Latin mojibake
    assert results[0].record["245"]["a"].startswith("Люди с чистой совестью")


def test_marc8_non_latin_escapes():
    charset = _shared() / "perl-marc-tests" / "MARC-Charset"
    (cyr,) = iter_records(charset / "cyrillic.marc")
    vern = [f.value() for f in cyr.record.get_fields("880")]
    assert any(any("\u0400" <= c <= "\u04ff" for c in v) for v in vern)
    (heb,) = iter_records(charset / "hebrew1.marc")
    assert any(any("\u05d0" <= c <= "\u05ea" for c in f.value()) for f in heb.record.get_fields("880"))
    (cjk,) = iter_records(charset / "cjk1.marc")
    assert any(any("\u4e00" <= c <= "\u9fff" for c in f.value()) for f in cjk.record.get_fields("880"))
    assert all(r.warnings == [] for r in (cyr, heb, cjk))


def test_rejections_explain_themselves():
    root = _shared()
    bad = [r for r in iter_records(root / "ruby-marc-tests" / "three-records-second-bad.xml") if not r.ok]
    assert [(r.position, r.control_number) for r in bad] == [(2, "afc99990058366")]
    assert bad[0].error.startswith("XML not well-formed: invalid character in attribute value")
    koha = [
        r for r in iter_records(root / "koha-sample-data" / "koha_sample_biblios.marcxml.xml") if not r.ok
    ]
    assert [r.position for r in koha] == [368] and "invalid Char value 31" in koha[0].error
    truncated = [
        r for r in iter_records(root / "perl-marc-tests" / "MARC-Parser-RAW" / "camel.mrc") if not r.ok
    ]
    assert any("truncated" in r.error for r in truncated)


@pytest.mark.yaz
def test_every_accepted_record_round_trips_through_yaz_marcdump(tmp_path):
    import shutil
    import subprocess

    from kitab.marc.writer import to_iso2709

    if shutil.which("yaz-marcdump") is None:
        pytest.skip("yaz-marcdump is not installed")
    root = _shared()
    records = [r.record for name in EXPECTED for r in iter_records(root / name) if r.ok]
    path = tmp_path / "all.mrc"
    path.write_bytes(b"".join(to_iso2709(r) for r in records))
    xml = subprocess.run(
        ["yaz-marcdump", "-i", "marc", "-o", "marcxml", str(path)], check=True, capture_output=True
    )
    (tmp_path / "all.xml").write_bytes(xml.stdout)
    back = list(iter_records(tmp_path / "all.xml"))
    assert len(back) == len(records)

    def shape(record):
        return [
            (f.tag, f.data)
            if f.control_field
            else (f.tag, tuple(f.indicators), [tuple(s) for s in f.subfields])
            for f in record.fields
        ]

    assert [shape(r.record) for r in back] == [shape(r) for r in records]
