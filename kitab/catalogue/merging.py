"""Merging two records that describe the same thing: one survives, the other becomes a tombstone.

Copies, holds and everything else that points at the merged-away record (list entries, comments, reading
history...) move to the survivor; the survivor gets a new version (channel "merge") carrying the other
record's
control number as a 035, so the merge is visible in its history; the other record is deleted with a
`DeletedRecord` tombstone, so OAI-PMH harvesters learn it is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pymarc
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.marc.iso2709 import parse_record

from . import editing, services
from .errors import CatalogueError
from .models import Record

# Relations that belong to the record itself and are not moved: its history, its match keys, its drafts, and
# authority links (derived from the MARC; the survivor's save relinks its own headings).
_NOT_MOVED = {"versions", "identifiers", "drafts", "heading_links"}


@dataclass
class MergeResult:
    survivor: Record
    merged_id: int
    items_moved: int
    holds_moved: int
    holds_cancelled: int


def _control_035(loser: Record) -> str | None:
    if not loser.control_number:
        return None
    org = loser.control_number_identifier or editing.org_code()
    return f"({org}){loser.control_number}"


def merge_records(
    *,
    survivor: Record,
    loser: Record,
    actor: Actor,
    marc: pymarc.Record | bytes | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> MergeResult:
    """Merge `loser` into `survivor`.

    `marc`: the description the survivor keeps (default: its own). The loser's 003/001 is added as a 035
    unless
    already there. Holds of patrons who already wait for the survivor are cancelled (one hold per patron and
    record); the others join the survivor's queue in the order they were placed.

    Raises CatalogueError("merge_same_record" | "merge_other_source"), and whatever `editing.save_record`
    raises for `marc`.
    """
    from kitab.holds import services as hold_services
    from kitab.holds.models import Hold

    at = at or clock.now()
    if survivor.pk == loser.pk:
        raise CatalogueError("merge_same_record", _("A record cannot be merged with itself."))
    with transaction.atomic():
        locked = {
            r.pk: r
            for r in Record.objects.select_for_update().filter(pk__in=[survivor.pk, loser.pk]).order_by("pk")
        }
        survivor, loser = locked[survivor.pk], locked[loser.pk]
        if survivor.source != loser.source:
            raise CatalogueError(
                "merge_other_source",
                _("Records harvested from another library cannot be merged with this one."),
            )
        # Holds: one live hold per patron and record. Where a patron waits on both, the hold that has a copy
        # set aside wins; otherwise the survivor's hold stays and the other is cancelled.
        cancelled = 0
        trapped_on_loser = {
            h.patron_id: h for h in Hold.objects.filter(record=loser, status__in=Hold.TRAPPED)
        }
        for hold in Hold.objects.filter(
            record=survivor, status__in=Hold.ACTIVE, patron_id__in=list(trapped_on_loser)
        ):
            if hold.status in Hold.TRAPPED:
                raise CatalogueError(
                    "merge_holds_conflict",
                    _(
                        "A patron has a copy of each record set aside; resolve one of these holds "
                        "before merging."
                    ),
                )
            hold_services.cancel_hold(
                hold,
                actor=actor,
                at=at,
                reason=_("Merged with record %(id)s, where a copy is set aside for this patron")
                % {"id": loser.pk},
            )
            cancelled += 1
        waiting_on_survivor = set(
            Hold.objects.filter(record=survivor, status__in=Hold.ACTIVE).values_list("patron_id", flat=True)
        )
        for hold in Hold.objects.filter(
            record=loser, status__in=Hold.QUEUED, patron_id__in=waiting_on_survivor
        ):
            hold_services.cancel_hold(
                hold,
                actor=actor,
                at=at,
                reason=_("Merged into record %(id)s, where this patron already waits") % {"id": survivor.pk},
            )
            cancelled += 1
        holds_moved = (
            Hold.objects.filter(record=loser)
            .exclude(status__in=Hold.QUEUED, patron_id__in=waiting_on_survivor)
            .count()
        )
        items_moved = loser.items.count()
        _move_relations(loser, survivor)
        _renumber_queue(survivor)

        new = editing.as_pymarc(marc if marc is not None else bytes(survivor.raw))
        _keep_identity(new, survivor)
        number = _control_035(loser)
        if number and number not in [v for f in new.get_fields("035") for v in f.get_subfields("a")]:
            new.add_ordered_field(
                pymarc.Field(tag="035", indicators=[" ", " "], subfields=[pymarc.Subfield("a", number)])
            )
        note = reason or _("Merged record %(id)s into this record") % {"id": loser.pk}
        merged_id = loser.pk
        services.delete_records([loser.pk], actor=actor, at=at)
        survivor = editing.save_record(
            record=survivor,
            marc=new,
            actor=actor,
            channel=editing.Channel.MERGE,
            reason=note,
            at=at,
            validate=marc is not None,
        )
    return MergeResult(survivor, merged_id, items_moved, holds_moved, cancelled)


def _keep_identity(marc: pymarc.Record, survivor: Record) -> None:
    """The survivor keeps its own 001/003 whichever description it takes (harvesters and links know it by
    them)."""
    for tag, value in (("001", survivor.control_number), ("003", survivor.control_number_identifier)):
        if not value:
            continue
        marc.remove_fields(tag)
        marc.add_ordered_field(pymarc.Field(tag=tag, data=value))


def _move_relations(loser: Record, survivor: Record) -> None:
    for relation in Record._meta.related_objects:
        if relation.get_accessor_name() in _NOT_MOVED or not relation.field.many_to_one:
            continue
        model = relation.related_model
        name = relation.field.name
        rows = model._default_manager.filter(**{name: loser})
        try:
            with transaction.atomic():
                rows.update(**{name: survivor})
        except IntegrityError:
            # Some rows exist for the survivor already (an entry on the same list): move the others one
            # by one;
            # the duplicates go with the merged-away record.
            for pk in list(rows.values_list("pk", flat=True)):
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{name: survivor})
                except IntegrityError:
                    continue


def _renumber_queue(record: Record) -> None:
    """One queue in the order holds were placed (the merged queues interleave by placing time)."""
    from kitab.holds.models import Hold

    queued = Hold.objects.queued().filter(record=record).order_by("placed_at", "pk")
    for number, hold in enumerate(queued, start=1):
        if hold.position != number:
            Hold.objects.filter(pk=hold.pk).update(position=number)


def describe(record: Record) -> pymarc.Record:
    """The stored MARC of a record (for side-by-side views)."""
    return parse_record(bytes(record.raw))[0]
