"""A small SRU client: searchRetrieve (version 1.2, which SRU 1.1, 1.2 and 2.0 servers all read) with a CQL
query built from the search fields, asking for MARCXML. urllib for HTTP, lxml (no entities, no network) for
the response; records packed as XML or as escaped strings are both read.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from django.utils.translation import gettext as _
from lxml import etree

from . import QueryFields, Retrieved, TargetError

# CQL index and relation of each search field (Dublin Core and Bath context sets: understood by most SRU
# servers). Titles and names use `all`, every word in any order, like the Z39.50 client's word lists.
INDEXES = {"title": ("dc.title", "all"), "author": ("dc.creator", "all"), "isbn": ("bath.isbn", "=")}
MARCXML_SCHEMA = "marcxml"
MAX_RESPONSE = 32 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def cql_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_cql(fields: QueryFields) -> str:
    """The fields as CQL: `dc.title all "..." and dc.creator all "..."`."""
    clauses = [f"{INDEXES[name][0]} {INDEXES[name][1]} {cql_quote(value)}" for name, value in fields.items()]
    if not clauses:
        raise ValueError("an empty query")
    return " and ".join(clauses)


def endpoint(host: str, port: int, path: str) -> str:
    scheme = "https" if port == 443 else "http"
    return f"{scheme}://{host}:{port}/{path.lstrip('/')}"


def search(host: str, port: int, path: str, fields: QueryFields, *, limit: int = 10, timeout: float = 10.0) -> Retrieved:
    """searchRetrieve on the endpoint at host:port/path. Raises TargetError."""
    base = endpoint(host, port, path)
    params = {
        "operation": "searchRetrieve",
        "version": "1.2",
        "query": build_cql(fields),
        "maximumRecords": str(limit),
        "recordSchema": MARCXML_SCHEMA,
        "recordPacking": "xml",
    }
    url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers={"User-Agent": "Kitab copy cataloguing"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        # SRU servers often answer diagnostics with an error status: read them when they are there.
        body = exc.read(MAX_RESPONSE + 1)
        if "xml" not in (exc.headers.get("Content-Type") or ""):
            raise TargetError(_("%(url)s answered HTTP %(status)s.") % {"url": base, "status": exc.code}) from None
    except TimeoutError:
        raise TargetError(
            _("%(url)s did not answer within %(seconds)s seconds.") % {"url": base, "seconds": f"{timeout:g}"}
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise TargetError(
                _("%(url)s did not answer within %(seconds)s seconds.") % {"url": base, "seconds": f"{timeout:g}"}
            ) from None
        raise TargetError(_("Cannot connect to %(url)s: %(error)s") % {"url": base, "error": reason}) from None
    if len(body) > MAX_RESPONSE:
        raise TargetError(_("The answer of %(url)s is too large.") % {"url": base})
    return parse_response(body, base)


def _local(elem: etree._Element) -> str:
    return etree.QName(elem).localname if isinstance(elem.tag, str) else ""


def _child(elem: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in elem if _local(c) == name), None)


def _diagnostic_text(diag: etree._Element) -> str:
    parts = {_local(c): (c.text or "").strip() for c in diag}
    uri = parts.get("uri", "")
    number = uri.rsplit("/", 1)[-1] if uri else "?"
    text = f"[{number}] {parts.get('message') or uri}"
    return f"{text} ({parts['details']})" if parts.get("details") else text


def parse_response(body: bytes, base: str = "") -> Retrieved:
    """A searchRetrieveResponse to the records it holds; raises TargetError for diagnostics or non-SRU XML."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise TargetError(_("%(url)s did not answer with SRU XML: %(error)s") % {"url": base, "error": exc}) from None
    if _local(root) != "searchRetrieveResponse":
        raise TargetError(_("%(url)s did not answer with an SRU searchRetrieve response.") % {"url": base})
    diagnostics = _child(root, "diagnostics")
    count = _child(root, "numberOfRecords")
    if diagnostics is not None and len(diagnostics):
        detail = "; ".join(_diagnostic_text(d) for d in diagnostics)
        raise TargetError(_("The target refused the search: %(detail)s") % {"detail": detail})
    try:
        retrieved = Retrieved(total=int((count.text or "0").strip()) if count is not None else 0)
    except ValueError:
        raise TargetError(_("%(url)s sent an invalid numberOfRecords.") % {"url": base}) from None
    records = _child(root, "records")
    for index, rec in enumerate(records if records is not None else [], start=1):
        if _local(rec) != "record":
            continue
        position_el = _child(rec, "recordPosition")
        position = int(position_el.text) if position_el is not None and (position_el.text or "").strip().isdigit() else index
        data = _child(rec, "recordData")
        schema = (_child(rec, "recordSchema").text or "") if _child(rec, "recordSchema") is not None else ""
        if data is None:
            continue
        if "diagnostic" in schema:
            diag = next((c for c in data if _local(c) == "diagnostic"), None)
            retrieved.record_errors[position] = _diagnostic_text(diag) if diag is not None else schema
            continue
        element = next((c for c in data if isinstance(c.tag, str)), None)
        if element is not None:
            retrieved.records.append((position, etree.tostring(element, encoding="UTF-8")))
        elif (data.text or "").strip():  # recordPacking=string: the record is escaped text
            retrieved.records.append((position, data.text.strip().encode("utf-8")))
    return retrieved
