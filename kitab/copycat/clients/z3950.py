"""A blocking Z39.50 client: Init, Search, Present and Close over `kitab.protocols.z3950.codec`.

One connection per search, a deadline for the whole exchange (connect included), and every failure turned into
a TargetError whose message says what went wrong: no connection, no answer in time, a refused Init, a Bib-1
diagnostic, or bytes that are not Z39.50.
"""

from __future__ import annotations

import socket
import time

from django.utils.translation import gettext as _

from kitab.protocols.z3950 import ber, codec
from kitab.protocols.z3950.diagnostics import MESSAGES as BIB1_MESSAGES

from . import QueryFields, Retrieved, TargetError

# Bib-1 use attributes of the search fields, searched as word lists (4=6), so word order does not matter.
USE_ATTRIBUTES = {"title": 4, "author": 1003, "isbn": 7}
WORD_LIST = 6
MAX_RESPONSE = 16 * 1024 * 1024
SYNTAXES = {"usmarc": codec.USMARC, "xml": codec.TEXT_XML}
# Element set names to ask for, in order: servers differ on how to name MARCXML (YAZ's servers want "marcxml",
# Kitab's and many others "F").
ELEMENT_SETS = {"usmarc": ("F",), "xml": ("marcxml", "F")}


def build_query(fields: QueryFields) -> codec.RPNQuery:
    """The fields as a type-1 query: `@and @attr 1=4 @attr 4=6 "..." @attr 1=1003 @attr 4=6 "..."`."""
    operands: list[codec.RPN] = [
        codec.AttributesPlusTerm(
            (codec.Attribute(1, USE_ATTRIBUTES[name]), codec.Attribute(4, WORD_LIST)),
            codec.Term("general", value.encode("utf-8")),
        )
        for name, value in fields.items()
    ]
    if not operands:
        raise ValueError("an empty query")
    tree = operands[0]
    for operand in operands[1:]:
        tree = codec.RPNOp(tree, operand, "and")
    return codec.RPNQuery(codec.BIB1_ATTRIBUTES, tree)


def describe(diagnostic: codec.Diagnostic) -> str:
    """A Bib-1 diagnostic as `[114] Unsupported Use attribute (9999)`."""
    text = f"[{diagnostic.condition}] {BIB1_MESSAGES.get(diagnostic.condition, _('Diagnostic'))}"
    return f"{text} ({diagnostic.addinfo})" if diagnostic.addinfo else text


class Connection:
    """One Z39.50 association; every call shares the deadline set at construction."""

    def __init__(self, host: str, port: int, *, timeout: float) -> None:
        self.address = f"{host}:{port}"
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.buf = bytearray()
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except TimeoutError:
            raise TargetError(self._timeout_message()) from None
        except OSError as exc:
            raise TargetError(
                _("Cannot connect to %(address)s: %(error)s") % {"address": self.address, "error": exc.strerror or exc}
            ) from None

    def _timeout_message(self) -> str:
        return _("%(address)s did not answer within %(seconds)s seconds.") % {
            "address": self.address,
            "seconds": f"{self.timeout:g}",
        }

    def ask(self, apdu: codec.APDU) -> codec.APDU:
        try:
            self._settimeout()
            self.sock.sendall(codec.encode_apdu(apdu))
            return self._receive()
        except TimeoutError:
            raise TargetError(self._timeout_message()) from None
        except OSError as exc:
            raise TargetError(
                _("The connection to %(address)s failed: %(error)s") % {"address": self.address, "error": exc}
            ) from None

    def _settimeout(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)

    def _receive(self) -> codec.APDU:
        while True:
            if self.buf:
                try:
                    try:
                        total = ber.frame_length(self.buf, MAX_RESPONSE)
                    except ber.BERError:
                        # An indefinite-length APDU (YAZ sends them): its end is found by decoding it.
                        if len(self.buf) > MAX_RESPONSE:
                            raise
                        total = ber.element_length(self.buf)
                    if total is not None and len(self.buf) >= total:
                        data = bytes(self.buf[:total])
                        del self.buf[:total]
                        apdu = codec.decode_apdu(data)
                        if isinstance(apdu, codec.Close):
                            raise TargetError(
                                _("%(address)s closed the connection: %(reason)s")
                                % {"address": self.address, "reason": apdu.diagnostic_information or apdu.reason}
                            )
                        return apdu
                except ber.BERError as exc:
                    raise TargetError(
                        _("%(address)s sent something that is not Z39.50: %(error)s")
                        % {"address": self.address, "error": exc}
                    ) from None
            self._settimeout()
            chunk = self.sock.recv(65536)
            if not chunk:
                raise TargetError(_("%(address)s closed the connection.") % {"address": self.address})
            self.buf += chunk

    def close(self) -> None:
        try:
            self.sock.settimeout(1.0)
            self.sock.sendall(codec.encode_apdu(codec.Close()))
        except OSError:
            pass
        finally:
            self.sock.close()


def _present(conn: Connection, start: int, count: int, element_set: str, record_syntax: str) -> codec.PresentResponse:
    shown = conn.ask(
        codec.PresentRequest(
            start_point=start,
            number_of_records=count,
            element_set_names=element_set,
            preferred_record_syntax=SYNTAXES[record_syntax],
        )
    )
    if not isinstance(shown, codec.PresentResponse):
        raise TargetError(_("%(address)s did not answer the present request.") % {"address": conn.address})
    return shown


def _usable(shown: codec.PresentResponse) -> bool:
    """Whether a Present response holds at least one record (not only diagnostics)."""
    return any(isinstance(npr.record, codec.ExternalRecord) for npr in shown.records or [])


def search(
    host: str,
    port: int,
    database: str,
    fields: QueryFields,
    *,
    limit: int = 10,
    record_syntax: str = "usmarc",
    timeout: float = 10.0,
) -> Retrieved:
    """Search one database and present up to `limit` records in `record_syntax` ("usmarc" | "xml").

    Raises TargetError.
    """
    conn = Connection(host, port, timeout=timeout)
    try:
        init = conn.ask(
            codec.InitializeRequest(
                options=frozenset({"search", "present"}),
                implementation_name="Kitab copy cataloguing",
            )
        )
        if not isinstance(init, codec.InitializeResponse) or not init.result:
            raise TargetError(_("%(address)s refused the connection (Init).") % {"address": conn.address})
        found = conn.ask(
            codec.SearchRequest(
                query=build_query(fields),
                database_names=(database or "Default",),
                preferred_record_syntax=SYNTAXES[record_syntax],
            )
        )
        if not isinstance(found, codec.SearchResponse):
            raise TargetError(_("%(address)s did not answer the search.") % {"address": conn.address})
        if found.diagnostics or not found.search_status:
            detail = "; ".join(describe(d) for d in found.diagnostics) or _("no reason given")
            raise TargetError(_("The target refused the search: %(detail)s") % {"detail": detail})
        retrieved = Retrieved(total=found.result_count)
        wanted = min(limit, found.result_count)
        element_sets = list(ELEMENT_SETS[record_syntax])
        while len(retrieved.records) + len(retrieved.record_errors) < wanted:
            start = len(retrieved.records) + len(retrieved.record_errors) + 1
            shown = _present(conn, start, wanted - start + 1, element_sets[0], record_syntax)
            while len(element_sets) > 1 and not _usable(shown):
                # The first element set name did not work here: keep to the next one from now on.
                element_sets.pop(0)
                shown = _present(conn, start, wanted - start + 1, element_sets[0], record_syntax)
            del element_sets[1:]
            if shown.diagnostics or not shown.records:
                detail = "; ".join(describe(d) for d in shown.diagnostics) or _("no records")
                raise TargetError(_("The target could not show the records: %(detail)s") % {"detail": detail})
            for offset, npr in enumerate(shown.records):
                if isinstance(npr.record, codec.ExternalRecord):
                    retrieved.records.append((start + offset, npr.record.data))
                else:
                    retrieved.record_errors[start + offset] = describe(npr.record)
        return retrieved
    finally:
        conn.close()
