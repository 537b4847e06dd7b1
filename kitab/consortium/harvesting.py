"""OAI-PMH harvester: copy member libraries' catalogues into this one (a union catalogue).

    run = harvest(member, actor=Actor.cli())   # incremental; full=True ignores what was harvested before

How a harvest goes (see docs/protocols.md, "OAI-PMH harvester"):

- `Identify` gives the repository's datestamp granularity; `ListRecords` asks for records changed since the
  last complete harvest (`from` = the repository's responseDate at its start, minus OVERLAP for clocks and
  transactions still in flight), and follows resumption tokens to the end of the list;
- each page is one database transaction: its records (through the catalogue's import machinery, matched per
  member library), its deletions and the resumption token of the next page are committed together, so an
  interrupted harvest resumes from the next page and never stores a page twice or half;
- `status="deleted"` headers delete our copy of that member's record through `catalogue.services.delete_records`
  (which keeps our own tombstone for the harvesters of this catalogue);
- errors (HTTP, unreachable repository, XML that is not OAI-PMH, OAI-PMH `<error>`) end the run as failed with
  a message saying which; `noRecordsMatch` is an empty list, not an error.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from kitab.catalogue import services as catalogue_services
from kitab.catalogue.models import RecordIdentifier
from kitab.catalogue.services import ImportProgress
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.marc import marcxml
from kitab.marc.errors import RecordRejected
from kitab.marc.reader import ReadResult
from kitab.search import services as search_services

from .errors import HarvestError
from .models import HarvestRun, MemberLibrary

log = logging.getLogger(__name__)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_NS = {"oai": OAI_NS}
#: Re-ask for this much time before the last harvest's start: a record committed at the repository while the
#: previous harvest ran, with a datestamp a little before it, is still picked up. Unchanged ones are skipped.
OVERLAP = timedelta(minutes=5)
#: Seconds to wait for a repository's answer.
TIMEOUT = 60.0
#: Index the harvested records every this many pages (and at the end); they are queued for the index anyway.
INDEX_EVERY_PAGES = 20
USER_AGENT = "Kitab OAI-PMH harvester"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
_WRAPPER = b'<?xml version="1.0" encoding="UTF-8"?><kitab-wrapper>'


# ------------------------------------------------------------------------------------------------------------
# The protocol client
# ------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class HarvestedRecord:
    identifier: str
    datestamp: str
    deleted: bool
    marc: etree._Element | None  # the MARCXML record inside <metadata>, if any


@dataclass(slots=True)
class Page:
    response_date: datetime | None
    records: list[HarvestedRecord] = field(default_factory=list)
    token: str | None = None  # the next page's resumption token; None or "" on the last page


class OaiClient:
    """GET requests to one OAI-PMH base URL; answers are parsed XML, OAI-PMH errors become HarvestError."""

    def __init__(self, base_url: str, *, timeout: float = TIMEOUT) -> None:
        self.base_url = base_url
        self.timeout = timeout

    def request(self, verb: str, **args: str) -> etree._Element:
        """The OAI-PMH root element of the answer to `verb`; raises HarvestError (code "http_error",
        "unreachable", "bad_response" or "oai_error" with `oai_code`)."""
        query = urlencode({"verb": verb, **{k: v for k, v in args.items() if v}})
        url = f"{self.base_url}{'&' if '?' in self.base_url else '?'}{query}"
        request = Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body = response.read()
                if response.headers.get("Content-Encoding", "").lower() == "gzip":
                    body = gzip.decompress(body)
        except HTTPError as exc:
            raise HarvestError(
                "http_error",
                _("%(url)s answered HTTP %(status)s %(reason)s.")
                % {"url": self.base_url, "status": exc.code, "reason": exc.reason},
            ) from exc
        except (URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise HarvestError(
                "unreachable", _("Cannot reach %(url)s: %(reason)s.") % {"url": self.base_url, "reason": reason}
            ) from exc
        try:
            root = etree.fromstring(body, parser=_XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise HarvestError(
                "bad_response",
                _("%(url)s did not answer with well-formed XML (%(error)s).") % {"url": self.base_url, "error": exc},
            ) from exc
        if root.tag != f"{{{OAI_NS}}}OAI-PMH":
            raise HarvestError(
                "bad_response", _("%(url)s did not answer with an OAI-PMH document.") % {"url": self.base_url}
            )
        error = root.find("oai:error", _NS)
        if error is not None:
            code = error.get("code") or "unknown"
            raise HarvestError(
                "oai_error",
                _("%(url)s reported the OAI-PMH error %(code)s: %(message)s")
                % {"url": self.base_url, "code": code, "message": " ".join((error.text or "").split())},
                oai_code=code,
                response_date=parse_datestamp(root.findtext("oai:responseDate", namespaces=_NS)),
            )
        return root


def parse_datestamp(text: str | None) -> datetime | None:
    """An OAI-PMH UTC datestamp (day or seconds granularity), or None when it is missing or malformed."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def format_datestamp(moment: datetime, granularity: str) -> str:
    """`moment` as a `from` argument in the repository's granularity (day unless it declares seconds)."""
    moment = moment.astimezone(UTC)
    if granularity == "YYYY-MM-DDThh:mm:ssZ":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%d")


def parse_page(root: etree._Element) -> Page:
    """The records (with their headers) and the next resumption token of a ListRecords answer."""
    page = Page(response_date=parse_datestamp(root.findtext("oai:responseDate", namespaces=_NS)))
    listing = root.find("oai:ListRecords", _NS)
    if listing is None:
        raise HarvestError("bad_response", _("The answer to ListRecords holds no ListRecords element."))
    for element in listing.findall("oai:record", _NS):
        header = element.find("oai:header", _NS)
        identifier = (header.findtext("oai:identifier", namespaces=_NS) or "").strip() if header is not None else ""
        if not identifier:
            raise HarvestError("bad_response", _("A record in the answer has no identifier in its header."))
        metadata = element.find("oai:metadata", _NS)
        payload = next((child for child in metadata if isinstance(child.tag, str)), None) if metadata is not None else None
        page.records.append(
            HarvestedRecord(
                identifier=identifier,
                datestamp=(header.findtext("oai:datestamp", namespaces=_NS) or "").strip(),
                deleted=header.get("status") == "deleted",
                marc=payload,
            )
        )
    token = listing.find("oai:resumptionToken", _NS)
    page.token = (token.text or "").strip() if token is not None else None
    return page


def to_read_result(item: HarvestedRecord, position: int) -> ReadResult:
    """The harvested record as the MARC reader would have yielded it from a file (same parsing, same checks)."""
    if item.marc is None:
        return ReadResult(position, 0, None, None, _("the OAI-PMH record has no metadata"))
    chunk = etree.tostring(item.marc, encoding="UTF-8", xml_declaration=False)
    try:
        parsed = marcxml.parse_chunk(chunk, _WRAPPER)
    except RecordRejected as exc:
        return ReadResult(position, 0, None, marcxml.sniff_control_number(chunk), str(exc))
    if not parsed:
        return ReadResult(position, 0, None, None, _("the OAI-PMH record holds no MARC record"))
    record, warnings = parsed[0]
    f001 = record.get("001")
    control = f001.data.strip() if f001 is not None and f001.data else None
    return ReadResult(position, 0, record, control or None, None, warnings)


# ------------------------------------------------------------------------------------------------------------
# The service
# ------------------------------------------------------------------------------------------------------------


def oai_key(member: MemberLibrary, identifier: str) -> str:
    """The `oai` RecordIdentifier value of a harvested record: the member's code and its OAI identifier."""
    return f"{member.code}|{identifier}"[:128]


def harvest(
    member: MemberLibrary,
    *,
    actor: Actor,
    full: bool = False,
    client: OaiClient | None = None,
    on_page: Callable[[HarvestRun], None] | None = None,
) -> HarvestRun:
    """Harvest one member library's records into the catalogue; return the (finished or failed) HarvestRun.

    Incremental unless `full` (or the member was never harvested completely); resumes an interrupted harvest
    from its saved resumption token (unless `full`). If the repository no longer accepts that token
    (badResumptionToken, e.g. it expired), the list is asked for again with the same `from`: pages already
    stored are matched and skipped. Failures do not raise: the run's status is "failed" and `error` says why;
    committed pages stay. `on_page` is called after each committed page.
    """
    client = client or OaiClient(member.base_url)
    run = HarvestRun.objects.create(member=member, started_at=clock.now(), full=full, actor=actor.label())
    try:
        _harvest(member, run, client=client, actor=actor, full=full, on_page=on_page)
        run.status = HarvestRun.Status.FINISHED
    except HarvestError as exc:
        run.status = HarvestRun.Status.FAILED
        run.error = exc.message
    except KeyboardInterrupt:
        run.status = HarvestRun.Status.INTERRUPTED
        raise
    except Exception as exc:  # a bug or a database failure: record it, let the other members be harvested
        log.exception("harvest of %s failed", member.code)
        run.status = HarvestRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
    finally:
        run.finished_at = clock.now()
        run.save()
        try:
            search_services.index_pending(wait_seconds=30.0)
        except Exception:  # the queue keeps the work for the next writer
            log.exception("indexing harvested records failed; they stay queued")
    return run


def harvest_members(
    codes: Iterable[str] = (), *, actor: Actor, full: bool = False
) -> list[HarvestRun]:
    """Harvest the given member libraries (all enabled ones when `codes` is empty), one after the other.

    Raises ConsortiumError("unknown_member") before harvesting anything if a code is not a member library.
    """
    from .errors import ConsortiumError

    wanted = list(codes)
    if wanted:
        members = {m.code: m for m in MemberLibrary.objects.filter(code__in=wanted)}
        missing = [code for code in wanted if code not in members]
        if missing:
            raise ConsortiumError(
                "unknown_member", _("No member library with code %(codes)s.") % {"codes": ", ".join(missing)}
            )
        chosen = [members[code] for code in dict.fromkeys(wanted)]
    else:
        chosen = list(MemberLibrary.objects.filter(enabled=True).order_by("code"))
    return [harvest(member, actor=actor, full=full) for member in chosen]


def _harvest(
    member: MemberLibrary,
    run: HarvestRun,
    *,
    client: OaiClient,
    actor: Actor,
    full: bool,
    on_page: Callable[[HarvestRun], None] | None,
) -> None:
    if full and (member.resumption_token or member.harvest_started):
        member.resumption_token, member.harvest_from, member.harvest_started = "", "", None
        member.save(update_fields=["resumption_token", "harvest_from", "harvest_started"])
    token = member.resumption_token
    if token:
        run.resumed = True
        run.from_arg = member.harvest_from
        started = member.harvest_started
    else:
        granularity = client.request("Identify").findtext("oai:Identify/oai:granularity", namespaces=_NS) or ""
        since = None if full else member.last_datestamp
        run.from_arg = format_datestamp(since - OVERLAP, granularity.strip()) if since else ""
        started = None
    run.save(update_fields=["resumed", "from_arg"])
    first_args = {"metadataPrefix": member.metadata_prefix, "set": member.set_spec, "from": run.from_arg}
    args = {"resumptionToken": token} if token else first_args
    position = 0
    while True:
        try:
            root = client.request("ListRecords", **args)
        except HarvestError as exc:
            if exc.oai_code == "noRecordsMatch":
                started = started or exc.response_date
                break
            if exc.oai_code == "badResumptionToken" and "resumptionToken" in args and run.pages == 0:
                log.warning("%s refused the saved resumption token; asking for the list again", member.code)
                args = first_args
                continue
            raise
        page = parse_page(root)
        started = started or page.response_date or clock.now()
        position = _store_page(member, run, page, started=started, from_arg=run.from_arg, actor=actor,
                               position=position)
        if on_page:
            on_page(run)
        if run.pages % INDEX_EVERY_PAGES == 0:
            search_services.index_pending(wait_seconds=30.0)
        if not page.token:
            break
        args = {"resumptionToken": page.token}
    member.last_datestamp = started or clock.now()
    member.resumption_token, member.harvest_from, member.harvest_started = "", "", None
    member.save(update_fields=["last_datestamp", "resumption_token", "harvest_from", "harvest_started"])


def _store_page(
    member: MemberLibrary,
    run: HarvestRun,
    page: Page,
    *,
    started: datetime,
    from_arg: str,
    actor: Actor,
    position: int,
) -> int:
    """Commit one page: its records, its deletions, the run's counts and the token of the next page."""
    live: list[tuple[ReadResult, str]] = []
    gone: list[str] = []
    for item in page.records:
        if item.deleted:
            gone.append(oai_key(member, item.identifier))
        else:
            position += 1
            live.append((to_read_result(item, position), oai_key(member, item.identifier)))
    keys = {id(result): key for result, key in live}
    progress = ImportProgress()
    rejects: list[catalogue_services.Reject] = []
    with transaction.atomic():
        catalogue_services.import_records(
            [result for result, _key in live],
            actor=actor,
            source=member.code,
            origin=member.base_url,
            progress=progress,
            rejects=rejects,
            batch_size=max(len(live), 1),
            extra_keys=lambda result: [("oai", keys[id(result)])],
        )
        deleted = 0
        if gone:
            ids = list(
                RecordIdentifier.objects.filter(kind="oai", value__in=gone, record__source=member.code)
                .values_list("record_id", flat=True)
                .distinct()
            )
            deleted = catalogue_services.delete_records(ids, actor=actor) if ids else 0
        run.pages += 1
        run.added += progress.added
        run.updated += progress.updated
        run.unchanged += progress.skipped
        run.rejected += progress.rejected
        run.deleted += deleted
        run.save()
        member.resumption_token = page.token or ""
        member.harvest_from = from_arg
        member.harvest_started = started
        member.save(update_fields=["resumption_token", "harvest_from", "harvest_started"])
    for reject in rejects:
        log.warning("%s: record %s rejected: %s", member.code, reject.control_number or reject.position, reject.reason)
    return position
