"""Linking bibliographic headings to authority records (the `HeadingLink` table).

Order of evidence for one heading: its $0 (authority record number: "(ORG)001", an LCCN or id.loc.gov URI, or
a bare 001), then its $9 (Koha's local authority id, resolved against the authorities' 001 when exactly one
authority of the right type has it), then its normalised heading key matching exactly one authority of the
right type (first the whole heading, for 6XX then the heading without subdivisions). A cataloguer's manual
link is kept while the heading stays what it was.

Kitab never writes $9 into records: ids local to one database mean nothing to other systems and break when
records move between installations. The links live in `HeadingLink`; `$0` written by cataloguers or other
systems is read as evidence and kept as it is.

Everything works on batches: one query per kind of evidence per batch of records, never one per heading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pymarc
from django.db import connection, transaction

from kitab.core.batching import batched
from kitab.marc.iso2709 import parse_record
from kitab.search import services as search_services

from . import headings
from .models import Authority, AuthorityForm, HeadingLink

Method = HeadingLink.Method


class _Candidates:
    """The authorities a batch of bibliographic headings could point at, looked up in a few queries."""

    def __init__(self, found: list[headings.BibHeading]) -> None:
        if found and not Authority.objects.exists():
            found = []  # a catalogue without authorities (yet): nothing to look up
        refs = [headings.parse_ref(value) for h in found for value in h.refs]
        control_keys = {r.control_key for r in refs if r.control_key}
        lccns = {r.lccn for r in refs if r.lccn}
        numbers = {r.number for r in refs if r.number} | {v for h in found for v in h.local_ids}
        keys = {h.key for h in found} | {h.main_key for h in found}
        keys.discard("")
        self.by_control_key: dict[str, int] = {}
        self.by_lccn: dict[str, int] = {}
        self.by_number: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.keys_of: dict[int, set[str]] = defaultdict(set)
        if control_keys:
            for pk, key, tag in Authority.objects.filter(control_key__in=control_keys).values_list(
                "pk", "control_key", "tag"
            ):
                self.by_control_key.setdefault(key, pk)
        if lccns:
            for pk, lccn, tag in Authority.objects.filter(lccn__in=lccns).values_list("pk", "lccn", "tag"):
                self.by_lccn.setdefault(lccn, pk)
        if numbers:
            for pk, number, tag in Authority.objects.filter(control_number__in=numbers).values_list(
                "pk", "control_number", "tag"
            ):
                self.by_number[number].append((pk, tag))
        for chunk in batched(sorted(keys), 900):
            for pk, key, tag in Authority.objects.filter(heading_key__in=chunk).values_list(
                "pk", "heading_key", "tag"
            ):
                self.by_key[(tag, key)].append(pk)
                self.keys_of[pk].add(key)

    def resolve(self, heading: headings.BibHeading) -> tuple[int | None, str, str]:
        """(authority id, method, match) for one heading; (None, "", "") when nothing decides."""
        for value in heading.refs:
            ref = headings.parse_ref(value)
            pk = (
                self.by_control_key.get(ref.control_key)
                or self.by_lccn.get(ref.lccn)
                or self._unique_number(ref.number, heading.authority_tag)
            )
            if pk:
                return pk, Method.REF, self._match(pk, heading)
        for value in heading.local_ids:
            pk = self._unique_number(value, heading.authority_tag)
            if pk:
                return pk, Method.LOCAL_ID, self._match(pk, heading)
        for key, match in ((heading.key, HeadingLink.Match.FULL), (heading.main_key, HeadingLink.Match.MAIN)):
            ids = self.by_key.get((heading.authority_tag, key), [])
            if len(ids) == 1:
                return ids[0], Method.AUTO, match
        return None, "", ""

    def _unique_number(self, number: str, tag: str) -> int | None:
        if not number:
            return None
        ids = [pk for pk, t in self.by_number.get(number, []) if t == tag]
        return ids[0] if len(ids) == 1 else None

    def _match(self, pk: int, heading: headings.BibHeading) -> str:
        # Which part of the bibliographic field the authority heading stands for, so a heading update
        # rewrites only that part: the whole heading unless only the part without subdivisions matches.
        keys = self.keys_of.get(pk, set())
        if heading.main_key != heading.key and heading.main_key in keys and heading.key not in keys:
            return HeadingLink.Match.MAIN
        return HeadingLink.Match.FULL


def link_records(records: Mapping[int, pymarc.Record]) -> set[int]:
    """Rebuild the heading rows of these bibliographic records and link what the evidence decides.

    Call inside the transaction that stored the records. Returns the ids of records whose set of linked
    authorities changed (whose search documents change)."""
    if not records:
        return set()
    ids = list(records)
    existing: dict[tuple[int, str, int], HeadingLink] = {
        (row.record_id, row.tag, row.occurrence): row for row in HeadingLink.objects.filter(record_id__in=ids)
    }
    old_links: dict[int, set[int]] = defaultdict(set)
    for row in existing.values():
        if row.authority_id:
            old_links[row.record_id].add(row.authority_id)
    found = {rid: headings.bib_headings(marc) for rid, marc in records.items()}
    candidates = _Candidates([h for hs in found.values() for h in hs])
    kept = {row.authority_id for row in existing.values() if row.authority_id}
    authority_keys = dict(Authority.objects.filter(pk__in=kept).values_list("pk", "heading_key")) if kept else {}
    to_create: list[tuple[object, ...]] = []
    to_update: list[HeadingLink] = []
    new_links: dict[int, set[int]] = defaultdict(set)
    for record_id, hs in found.items():
        for h in hs:
            authority_id, method, match = candidates.resolve(h)
            before = existing.pop((record_id, h.tag, h.occurrence), None)
            if before is not None and before.authority_id and (
                method in ("", Method.AUTO) or before.method == Method.MANUAL
            ):
                # A manual link, or any link whose heading is unchanged or now reads as its authority's heading
                # (after a heading update), stays: new evidence only adds links, it never drops a decision.
                prior_key = authority_keys.get(before.authority_id)
                if before.heading_key == h.key:
                    authority_id, method, match = before.authority_id, before.method, before.match
                elif prior_key in (h.key, h.main_key):
                    authority_id, method = before.authority_id, before.method
                    match = HeadingLink.Match.FULL if prior_key == h.key else HeadingLink.Match.MAIN
            if authority_id:
                new_links[record_id].add(authority_id)
            values = {
                "authority_tag": h.authority_tag, "heading": h.heading, "heading_key": h.key,
                "main_key": h.main_key, "authority_id": authority_id, "method": method, "match": match,
                "refs": " | ".join([*h.refs, *h.local_ids])[:500],
            }
            if before is None:
                to_create.append((record_id, h.tag, h.occurrence, *values.values()))
            elif any(getattr(before, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(before, name, value)
                to_update.append(before)
    # Rows are kept in place (same ids) so that a heading update job walking the links in id order is not
    # disturbed by the relinking its own saves cause.
    if existing:
        HeadingLink.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    fields = ["authority_tag", "heading", "heading_key", "main_key", "authority", "method", "match", "refs"]
    if len(to_update) > 20:
        HeadingLink.objects.bulk_update(to_update, fields, batch_size=500)
    else:  # one saved record: plain UPDATEs cost a fraction of bulk_update's CASE expressions
        for row in to_update:
            row.save(update_fields=fields)
    _insert_rows(to_create)
    return {rid for rid in ids if old_links.get(rid, set()) != new_links.get(rid, set())}


_INSERT_COLUMNS = ("record_id", "tag", "occurrence", "authority_tag", "heading", "heading_key", "main_key",
                   "authority_id", "method", "match", "refs")


def _insert_rows(rows: list[tuple[object, ...]]) -> None:
    # Plain executemany: an import stores four or five headings per record, and building model instances and
    # bulk_create's SQL for them cost more than the rest of the linking together (measured on 10,000 LoC records).
    if not rows:
        return
    table = connection.ops.quote_name(HeadingLink._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def link_records_by_id(record_ids: Iterable[int]) -> set[int]:
    """Relink stored records (parsed from the database) and queue for the index those whose links changed."""
    from kitab.catalogue.models import Record

    changed: set[int] = set()
    ids = list(record_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        with transaction.atomic():
            records = {
                pk: parse_record(bytes(raw))[0]
                for pk, raw in Record.objects.filter(pk__in=chunk).values_list("pk", "raw")
            }
            now_changed = link_records(records)
            search_services.queue(now_changed)
        changed |= now_changed
    return changed


def link_to_authorities(authority_ids: Iterable[int]) -> set[int]:
    """Link the unlinked headings that match these authorities (after an import or a new authority), when the
    key is unambiguous. Returns the ids of the records that got a link (queued for the index)."""
    ids = list(authority_ids)
    if not ids:
        return set()
    wanted: dict[tuple[str, str], int] = {}
    for pk, tag, key in Authority.objects.filter(pk__in=ids).values_list("pk", "tag", "heading_key"):
        wanted[(tag, key)] = pk
    keys = sorted({key for _tag, key in wanted})
    ambiguous: set[tuple[str, str]] = set()
    for chunk in batched(keys, 900):
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for tag, key in Authority.objects.filter(heading_key__in=chunk).values_list("tag", "heading_key"):
            counts[(tag, key)] += 1
        ambiguous |= {k for k, n in counts.items() if n > 1}
    linked: set[int] = set()
    for (tag, key), pk in wanted.items():
        if (tag, key) in ambiguous or not key:
            continue
        for field_name, match in (("heading_key", HeadingLink.Match.FULL), ("main_key", HeadingLink.Match.MAIN)):
            rows = HeadingLink.objects.filter(authority__isnull=True, authority_tag=tag, **{field_name: key})
            record_ids = set(rows.values_list("record_id", flat=True))
            if record_ids:
                rows.update(authority_id=pk, method=Method.AUTO, match=match)
                linked |= record_ids
    # Headings that name an authority by number ($0/$9) but found none when their record was stored: resolve
    # them again now that authorities arrived.
    waiting = set(
        HeadingLink.objects.filter(authority__isnull=True).exclude(refs="").values_list("record_id", flat=True)
    )
    linked |= link_records_by_id(waiting - linked)
    search_services.queue(linked)
    return linked


def records_with_forms(authority_ids: Iterable[int]) -> set[int]:
    """Records linked to these authorities (whose search documents carry their forms)."""
    return set(HeadingLink.objects.filter(authority_id__in=list(authority_ids)).values_list("record_id", flat=True))


def extra_forms(record_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """For the search index: per record, the "see from" forms of its linked authorities and the authorised
    headings of links made by number ($0/$9/manual, where the record's own text may differ), by search group.
    Two queries per batch whatever its size (up to a few thousand ids)."""
    out: dict[int, dict[str, list[str]]] = {}
    if not record_ids:
        return out
    rows = AuthorityForm.objects.filter(
        relation=AuthorityForm.Relation.SEE_FROM, authority__links__record_id__in=record_ids
    ).values_list("authority__links__record_id", "authority__links__tag", "text")
    for record_id, tag, text in rows:
        out.setdefault(record_id, {}).setdefault(headings.search_group(tag), []).append(text)
    numbered = HeadingLink.objects.filter(
        record_id__in=record_ids, authority__isnull=False, method__in=[Method.REF, Method.LOCAL_ID, Method.MANUAL]
    ).values_list("record_id", "tag", "authority__heading", "heading")
    for record_id, tag, authorised, own in numbered:
        if headings.heading_key([("a", authorised)]) != headings.heading_key([("a", own)]):
            out.setdefault(record_id, {}).setdefault(headings.search_group(tag), []).append(authorised)
    return out
