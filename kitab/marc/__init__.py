"""The MARC edge of Kitab: pure Python on pymarc, no Django.

- `kitab.marc.reader.iter_records(path, encoding=None, start=0)` streams `ReadResult`s out of ISO 2709 or MARCXML
  files (plain, gzip, xz or bzip2), every record as Unicode NFC with leader/09 'a'.
- `kitab.marc.mapping.summarize(record)` gives the `BibSummary` (kitab.marc.summary) used for display and search.
- `kitab.marc.holdings.extract_holdings(record)` reads copies from Koha 952, 852 and 949 fields.
- `kitab.marc.isbn` normalises ISBN, ISSN and LCCN.
- `kitab.marc.writer` writes ISO 2709 and MARCXML, one record or streamed.
"""
