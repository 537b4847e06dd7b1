"""The SIP2 adapter: one `Session` per terminal connection turns request bytes into response bytes.

Each message handler parses, resolves the patron (AA, card number) and item (AB, barcode), builds the
terminal's Actor (channel "sip2", the terminal's branch), calls one service and maps its error `code` to
the response's flags and screen message (AF). Messages are in the patron's language where one is known.
No rule is decided here: a terminal may do exactly what the desk may do for the same patron and item.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kitab.circulation import fines, policy
from kitab.circulation import services as circulation
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import FineEntry, Loan
from kitab.circulation.selectors import current_loans
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds import selectors as hold_selectors
from kitab.holds import services as holds
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

from . import codec, logins
from . import services as sip2_services
from .codec import Message, SIP2Error
from .models import SipTerminal

log = logging.getLogger("kitab.sip2")

# Supported messages (BX in the SC Status response), in the standard's order: patron status, checkout,
# checkin, block patron, SC/ACS status, request resend, login, patron information, end patron session,
# fee paid, item information, item status update, patron enable, hold, renew, renew all.
SUPPORTED = "YYYNYYYYYYYNNYYY"
# SIP2 language codes for the languages Kitab speaks (the standard has no Azerbaijani or Turkish).
LANGUAGE_CODES = {"en": "001", "ru": "015"}
CIRCULATION_STATUS: dict[str, str] = {
    Item.Status.AVAILABLE: "03",
    Item.Status.ON_LOAN: "04",
    Item.Status.ON_HOLD_SHELF: "08",
    Item.Status.IN_TRANSIT: "10",
    Item.Status.LOST: "12",
}
DEFAULT_ITEM_RANGE = 50  # items listed by Patron Information when the terminal names no range (BP/BQ)
_RAW_SEQUENCE = re.compile(rb"AY(\d)(?:AZ[0-9A-Fa-f]{1,4})?$")


@dataclass(slots=True)
class Config:
    encoding: str = "utf-8"  # the character set of terminals whose account names none
    institution: str = ""  # AO in the SC Status response (default: the library's name)
    max_failed_logins: int = 5  # then the connection is closed


@dataclass(frozen=True, slots=True)
class Reply:
    data: bytes
    close: bool = False


def _patron(card: str) -> Patron | None:
    if not card:
        return None
    return Patron.objects.filter(card_number=card, is_anonymised=False).select_related("category").first()


def _item(barcode: str) -> Item | None:
    if not barcode:
        return None
    return (
        Item.objects.filter(barcode=barcode).select_related("record", "home_branch", "holding_branch").first()
    )


def _patron_status(codes: set[str]) -> str:
    """The 14 patron status flags for the patron_blocks codes."""
    flags = [" "] * 14
    if codes:
        flags[0] = "Y"  # charge privileges denied
        flags[3] = "Y"  # hold privileges denied (holds refuse every block too)
    if codes & {"card_expired", "patron_blocked", "fines_over_limit"}:
        flags[1] = "Y"  # renewal privileges denied (an overdue item does not stop renewals)
    if codes & {"card_expired", "patron_blocked"}:
        flags[2] = "Y"  # recall privileges denied
    if "overdue_items" in codes:
        flags[6] = "Y"  # too many items overdue
    if "fines_over_limit" in codes:
        flags[10] = "Y"  # excessive outstanding fines
    return "".join(flags)


INVALID_PATRON_STATUS = "YYYY          "


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


@dataclass(slots=True)
class Session:
    """One terminal connection: its login, character set and the last response (for 97)."""

    config: Config = field(default_factory=Config)
    terminal: SipTerminal | None = None
    last_request: bytes | None = None
    last_response: bytes | None = None
    failed_logins: int = 0

    @property
    def encoding(self) -> str:
        return (
            self.terminal.charset
            if self.terminal is not None and self.terminal.charset
            else self.config.encoding
        )

    @property
    def tz(self) -> tzinfo:
        return timezone.get_current_timezone()

    # -- framing ---------------------------------------------------------------------------------------

    def respond(self, data: bytes) -> Reply:
        """The answer to one message (without its CR). Never raises for anything the terminal sent."""
        try:
            request = codec.decode(data, self.encoding)
        except SIP2Error as error:
            return self._remember(None, self._undecodable(data, error))
        if request.command == "97":
            return Reply(self.last_response or codec.resend_request(request.checksummed))
        if request.sequence is not None and data == self.last_request and self.last_response is not None:
            return Reply(self.last_response)  # the terminal resent a message we answered: do nothing twice
        if self.terminal is None and request.command not in ("93", "99"):
            return self._remember(data, Reply(self._refuse(request, _("The terminal must log in first."))))
        handler = self._handlers()[request.command]
        return self._remember(data, handler(request))

    def _remember(self, request: bytes | None, reply: Reply) -> Reply:
        self.last_request = request
        self.last_response = reply.data
        return reply

    def _undecodable(self, data: bytes, error: SIP2Error) -> Reply:
        checksummed = b"AZ" in data[-8:]
        if error.kind in ("checksum", "unknown") or error.command not in codec.RESPONSE_TO:
            log.info("sip2: %s", error.reason)
            return Reply(codec.resend_request(checksummed))
        found = _RAW_SEQUENCE.search(data.strip(b"\r\n"))
        sequence = found.group(1).decode("ascii") if found else None
        request = Message(error.command, {}, sequence=sequence, checksummed=checksummed)
        if error.kind == "encoding":
            text = _("The message is not valid %(charset)s text; check the terminal's character set.") % {
                "charset": self.encoding
            }
        else:
            text = _("The message is malformed: %(reason)s") % {"reason": error.reason}
        return Reply(self._refuse(request, text))

    def _handlers(self) -> dict[str, Callable[[Message], Reply]]:
        return {
            "93": self.login,
            "99": self.sc_status,
            "23": self.patron_status,
            "63": self.patron_information,
            "17": self.item_information,
            "11": self.checkout,
            "09": self.checkin,
            "29": self.renew,
            "65": self.renew_all,
            "37": self.fee_paid,
            "15": self.hold,
            "35": self.end_session,
        }

    # -- building responses ----------------------------------------------------------------------------

    def _build(self, request: Message, fixed: dict[str, str], fields: list[tuple[str, str]]) -> bytes:
        command = codec.RESPONSE_TO[request.command]
        layout = {name for name, _n, _d in codec.RESPONSES[command]}
        values = {"transaction_date": codec.format_date(clock.now(), self.tz)}
        values.update(fixed)
        values = {k: v for k, v in values.items() if k in layout}
        kept = [(tag, value) for tag, value in fields if value is not None]
        message = Message(command, values, tuple(kept), request.sequence, request.checksummed)
        return codec.encode(message, self.encoding)

    def _refuse(
        self,
        request: Message,
        text: str,
        fixed: dict[str, str] | None = None,
        fields: list[tuple[str, str]] | None = None,
    ) -> bytes:
        """The request's response with the layout's refusal flags and `text` as the screen message."""
        echo = [(tag, request.get(tag)) for tag in ("AO", "AA", "AB") if request.has(tag)]
        return self._build(request, fixed or {}, [*echo, *(fields or []), ("AF", text)])

    def _actor(self) -> Actor:
        assert self.terminal is not None
        return Actor(channel="sip2", username=self.terminal.login, branch_code=self.terminal.branch.code)

    def _key(self, request: Message, *parts: str) -> str | None:
        """An idempotency key for a checkout/checkin: the same terminal resending the same message (same
        sequence number and transaction date) gets the first result. None without a transaction date."""
        date = request.fixed.get("transaction_date", codec.BLANK_DATE)
        if date == codec.BLANK_DATE or self.terminal is None:
            return None
        source = "\x1f".join([self.terminal.login, request.sequence or "-", date, *parts])
        return "sip2:" + hashlib.sha256(source.encode()).hexdigest()[:40]

    def _when(self, value: str, now: datetime) -> datetime:
        """A date the terminal reports (an offline transaction, a return date), never later than now."""
        try:
            at = codec.parse_date(value, self.tz)
        except ValueError:
            at = None
        return min(at, now) if at is not None else now

    @staticmethod
    def _language(request: Message, patron: Patron | None) -> str:
        if patron is not None:
            return patron.language
        by_code = {code: lang for lang, code in LANGUAGE_CODES.items()}
        return by_code.get(request.fixed.get("language", ""), settings.LANGUAGE_CODE)

    def _institution(self, request: Message) -> tuple[str, str]:
        return ("AO", request.get("AO") or self.config.institution or settings.KITAB_LIBRARY_NAME)

    # -- messages --------------------------------------------------------------------------------------

    def login(self, request: Message) -> Reply:
        terminal = (
            SipTerminal.objects.filter(login=request.get("CN"), enabled=True).select_related("branch").first()
        )
        if terminal is not None and logins.verify(terminal, request.get("CO")):
            self.terminal, self.failed_logins = terminal, 0
            log.info("sip2: terminal %s logged in (branch %s)", terminal.login, terminal.branch.code)
            return Reply(self._build(request, {"ok": "1"}, []))
        self.terminal = None
        self.failed_logins += 1
        log.warning("sip2: failed login for %r", request.get("CN"))
        return Reply(
            self._build(request, {"ok": "0"}, []), close=self.failed_logins >= self.config.max_failed_logins
        )

    def sc_status(self, request: Message) -> Reply:
        fields = [self._institution(request), ("AM", settings.KITAB_LIBRARY_NAME), ("BX", SUPPORTED)]
        if self.terminal is not None:
            fields.append(("AN", self.terminal.branch.code))
        fixed = {"date_time_sync": codec.format_date(clock.now(), self.tz)}
        return Reply(self._build(request, fixed, fields))

    def _patron_fields(self, patron: Patron, at: datetime) -> tuple[str, list[tuple[str, str]], str]:
        """Patron status flags, the fields both patron messages share, and the first block's message."""
        reasons = policy.patron_blocks(patron, at)
        fields = [
            ("AA", patron.card_number),
            ("AE", patron.full_name),
            ("BL", "Y"),
            ("BV", _money(fines.balance(patron))),
        ]
        currency = getattr(settings, "KITAB_CURRENCY", "")
        if currency:
            fields.append(("BH", currency[:3]))
        return _patron_status({r.code for r in reasons}), fields, reasons[0].message if reasons else ""

    def _unknown_patron(self, request: Message) -> Reply:
        return Reply(
            self._refuse(request, _("Unknown patron."), {"patron_status": INVALID_PATRON_STATUS}, [("BL", "N")])
        )

    def patron_status(self, request: Message) -> Reply:
        patron = _patron(request.get("AA"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return self._unknown_patron(request)
            status, fields, screen = self._patron_fields(patron, clock.now())
            fixed = {"patron_status": status, "language": LANGUAGE_CODES.get(patron.language, "000")}
            return Reply(
                self._build(
                    request,
                    fixed,
                    [self._institution(request), *fields, *([("AF", screen)] if screen else [])],
                )
            )

    def patron_information(self, request: Message) -> Reply:
        patron = _patron(request.get("AA"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return self._unknown_patron(request)
            at = clock.now()
            status, fields, screen = self._patron_fields(patron, at)
            loans = list(current_loans(patron))
            overdue = [loan for loan in loans if loan.is_overdue(at)]
            live = list(hold_selectors.patron_holds(patron))
            ready = [h for h in live if h.status == Hold.Status.READY]
            waiting = [h for h in live if h.status != Hold.Status.READY]
            owed = [
                e
                for e in FineEntry.objects.filter(
                    patron=patron, kind__in=FineEntry.CHARGES, outstanding__gt=0
                )
                .select_related("loan__item")
                .order_by("created_at", "pk")
            ]
            lists: list[tuple[str, list[str]]] = [
                ("AS", [h.trapped_item.barcode or "" if h.trapped_item else h.record.title for h in ready]),
                ("AT", [str(loan.item) for loan in overdue]),
                ("AU", [str(loan.item) for loan in loans]),
                (
                    "AV",
                    [
                        " ".join(
                            filter(
                                None,
                                [
                                    _money(e.outstanding),
                                    str(e.get_kind_display()),
                                    str(e.loan.item) if e.loan else "",
                                ],
                            )
                        )
                        for e in owed
                    ],
                ),
                ("BU", []),
                ("CD", [h.record.title for h in waiting]),
            ]
            summary = request.fixed["summary"]
            wanted = next((i for i, ch in enumerate(summary[:6]) if ch == "Y"), None)
            try:
                start = max(1, int(request.get("BP") or 1))
                end = int(request.get("BQ") or start + DEFAULT_ITEM_RANGE - 1)
            except ValueError:
                start, end = 1, DEFAULT_ITEM_RANGE
            fixed = {
                "patron_status": status,
                "language": LANGUAGE_CODES.get(patron.language, "000"),
                "hold_items_count": f"{len(ready):04d}",
                "overdue_items_count": f"{len(overdue):04d}",
                "charged_items_count": f"{len(loans):04d}",
                "fine_items_count": f"{len(owed):04d}",
                "recall_items_count": "0000",
                "unavailable_holds_count": f"{len(waiting):04d}",
            }
            out = [self._institution(request), *fields]
            if patron.address:
                out.append(("BD", patron.address))
            if patron.email:
                out.append(("BE", patron.email))
            if patron.phone:
                out.append(("BF", patron.phone))
            if wanted is not None:
                tag, values = lists[wanted]
                out.extend((tag, value) for value in values[start - 1 : end])
            if screen:
                out.append(("AF", screen))
            return Reply(self._build(request, fixed, out))

    def item_information(self, request: Message) -> Reply:
        item = _item(request.get("AB"))
        if item is None:
            return Reply(self._refuse(request, _("Unknown item."), {"circulation_status": "01"}))
        status = CIRCULATION_STATUS.get(item.status, "01")
        fields: list[tuple[str, str]] = [("CF", str(hold_selectors.queue_for(item.record).count()))]
        loan = Loan.objects.open().filter(item=item).first()
        if loan is not None:
            fields.append(("AH", codec.format_date(loan.due_at, self.tz)))
        if item.status == Item.Status.ON_HOLD_SHELF:
            hold = Hold.objects.filter(trapped_item=item, status=Hold.Status.READY).first()
            if hold is not None and hold.pickup_deadline is not None:
                fields.append(("CM", codec.format_date(hold.pickup_deadline, self.tz)))
        fields += [
            ("AB", item.barcode or ""),
            ("AJ", item.record.title),
            ("AQ", item.home_branch.code),
            ("AP", item.holding_branch.code),
        ]
        if item.call_number:
            fields.append(("CS", item.call_number))
        fixed = {"circulation_status": status}
        return Reply(self._build(request, fixed, [self._institution(request), *fields]))

    def checkout(self, request: Message) -> Reply:
        patron, item = _patron(request.get("AA")), _item(request.get("AB"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return Reply(self._refuse(request, _("Unknown patron.")))
            if item is None:
                return Reply(self._refuse(request, _("Unknown item.")))
            now = clock.now()
            # An offline transaction (no block) happened when the terminal says it did.
            at = (
                self._when(request.fixed["transaction_date"], now)
                if request.fixed["no_block"] == "Y"
                else now
            )
            renewal = (
                request.fixed["sc_renewal_policy"] == "Y"
                and Loan.objects.current().filter(item=item, patron=patron).exists()
            )
            try:
                if renewal:
                    loan = circulation.renew(
                        Loan.objects.current().get(item=item, patron=patron), actor=self._actor(), at=at
                    )
                else:
                    loan = circulation.checkout(
                        item,
                        patron,
                        actor=self._actor(),
                        at=at,
                        idempotency_key=self._key(request, patron.card_number, item.barcode or ""),
                    )
            except CirculationError as error:
                return Reply(
                    self._refuse(request, error.message, {"desensitize": "N"}, [("AJ", item.record.title)])
                )
            due = timezone.localtime(loan.due_at).strftime("%Y-%m-%d %H:%M")
            fixed = {"ok": "1", "renewal_ok": "Y" if renewal else "N", "desensitize": "Y"}
            fields = [
                self._institution(request),
                ("AA", patron.card_number),
                ("AB", item.barcode or ""),
                ("AJ", item.record.title),
                ("AH", codec.format_date(loan.due_at, self.tz)),
                ("AF", _("Due %(due)s.") % {"due": due}),
            ]
            return Reply(self._build(request, fixed, fields))

    def checkin(self, request: Message) -> Reply:
        item = _item(request.get("AB"))
        if item is None:
            return Reply(self._refuse(request, _("Unknown item.")))
        loan = Loan.objects.open().filter(item=item).select_related("patron").first()
        language = loan.patron.language if loan is not None else settings.LANGUAGE_CODE
        with translation.override(language):
            now = clock.now()
            at = self._when(request.fixed["return_date"], now)
            try:
                result = circulation.checkin(
                    item, actor=self._actor(), at=at, idempotency_key=self._key(request, item.barcode or "")
                )
            except CirculationError as error:
                return Reply(self._refuse(request, error.message, fields=[("AJ", item.record.title)]))
            alert, fields = (
                "N",
                [
                    self._institution(request),
                    ("AB", item.barcode or ""),
                    ("AQ", item.home_branch.code),
                    ("AJ", item.record.title),
                    ("AA", result.loan.patron.card_number),
                ],
            )
            if result.destination == "hold_shelf":
                alert = "Y"
                fields += [("CL", "HOLD"), ("AF", _("Put it on the hold shelf: a hold is waiting for it."))]
            elif result.destination == "transit" and result.transfer is not None:
                to = Branch.objects.get(pk=result.transfer.to_branch_id)
                alert = "Y"
                fields += [("CL", to.code), ("AF", _("Send it to %(branch)s.") % {"branch": to.name})]
            else:
                fields.append(("AF", _("Returned. Thank you.")))
            fixed = {"ok": "1", "resensitize": "Y", "alert": alert}
            return Reply(self._build(request, fixed, fields))

    def _once(self, request: Message, parts: list[str], answer: Callable[[Message], Reply]) -> Reply:
        """Answer a write the terminal may resend (Renew, Renew All, Fee Paid) once: the same message again
        (same terminal, sequence number, transaction date and fields), even over a new connection after a
        timeout, gets the first response and changes nothing. Without a transaction date there is no telling
        a resend from a new request, so each is answered afresh (as for checkouts)."""
        key = self._key(request, request.command, *parts)
        if key is None or self.terminal is None:
            return answer(request)
        data = sip2_services.once(self.terminal, key, command=request.command, at=clock.now(),
                                  answer=lambda: answer(request).data)
        return Reply(data)

    def renew(self, request: Message) -> Reply:
        return self._once(request, [request.get("AA"), request.get("AB")], self._renew)

    def _renew(self, request: Message) -> Reply:
        patron, item = _patron(request.get("AA")), _item(request.get("AB"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return Reply(self._refuse(request, _("Unknown patron.")))
            if item is None:
                return Reply(self._refuse(request, _("Unknown item.")))
            loan = Loan.objects.current().filter(item=item, patron=patron).first()
            if loan is None:
                return Reply(
                    self._refuse(
                        request, _("Item %(barcode)s is not on loan to this patron.") % {"barcode": str(item)}
                    )
                )
            try:
                loan = circulation.renew(loan, actor=self._actor(), at=clock.now())
            except CirculationError as error:
                return Reply(
                    self._refuse(
                        request,
                        error.message,
                        fields=[("AJ", item.record.title), ("AH", codec.format_date(loan.due_at, self.tz))],
                    )
                )
            due = timezone.localtime(loan.due_at).strftime("%Y-%m-%d %H:%M")
            fields = [
                self._institution(request),
                ("AA", patron.card_number),
                ("AB", item.barcode or ""),
                ("AJ", item.record.title),
                ("AH", codec.format_date(loan.due_at, self.tz)),
                ("AF", _("Due %(due)s.") % {"due": due}),
            ]
            return Reply(self._build(request, {"ok": "1", "renewal_ok": "Y"}, fields))

    def renew_all(self, request: Message) -> Reply:
        return self._once(request, [request.get("AA")], self._renew_all)

    def _renew_all(self, request: Message) -> Reply:
        patron = _patron(request.get("AA"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return Reply(self._refuse(request, _("Unknown patron.")))
            results = circulation.renew_all(patron, actor=self._actor(), at=clock.now())
            renewed = [str(r.loan.item) for r in results if r.renewed]
            unrenewed = [str(r.loan.item) for r in results if not r.renewed]
            fixed = {
                "ok": "1",
                "renewed_count": f"{len(renewed):04d}",
                "unrenewed_count": f"{len(unrenewed):04d}",
            }
            fields = [
                self._institution(request),
                *[("BM", b) for b in renewed],
                *[("BN", b) for b in unrenewed],
            ]
            refusals = [r.message for r in results if not r.renewed]
            if refusals:
                fields.append(("AF", refusals[0]))
            return Reply(self._build(request, fixed, fields))

    def fee_paid(self, request: Message) -> Reply:
        parts = [request.get("AA"), request.fixed.get("fee_type", ""), request.fixed.get("payment_type", ""),
                 request.fixed.get("currency_type", ""), request.get("BV"), request.get("BK"), request.get("CG")]
        return self._once(request, parts, self._fee_paid)

    def _fee_paid(self, request: Message) -> Reply:
        patron = _patron(request.get("AA"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return Reply(self._refuse(request, _("Unknown patron.")))
            text = request.get("BV").strip()
            try:
                amount = Decimal(text)
                if not amount.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                return Reply(
                    self._refuse(request, _("The amount %(amount)s is not a number.") % {"amount": text})
                )
            note = (
                f"SIP2 {self.terminal.login if self.terminal else '-'}, payment type "
                f"{request.fixed['payment_type']}"
                + (f", transaction {request.get('BK')}" if request.get("BK") else "")
            )
            try:
                receipt = fines.pay(patron, amount, actor=self._actor(), at=clock.now(), note=note)
            except CirculationError as error:
                return Reply(self._refuse(request, error.message))
            fields = [
                self._institution(request),
                ("AA", patron.card_number),
                ("BK", request.get("BK") or str(receipt.entry_id)),
                (
                    "AF",
                    _("Paid %(amount)s; still owed %(balance)s.")
                    % {"amount": _money(receipt.amount), "balance": _money(receipt.balance_after)},
                ),
            ]
            return Reply(self._build(request, {"payment_accepted": "Y"}, fields))

    def hold(self, request: Message) -> Reply:
        patron, item = _patron(request.get("AA")), _item(request.get("AB"))
        with translation.override(self._language(request, patron)):
            if patron is None:
                return Reply(self._refuse(request, _("Unknown patron.")))
            if item is None:
                return Reply(self._refuse(request, _("Unknown item.")))
            mode, now = request.fixed["hold_mode"], clock.now()
            title = ("AJ", item.record.title)
            if mode == "*":
                return Reply(
                    self._refuse(
                        request,
                        _("Holds cannot be changed here; cancel the hold and place a new one."),
                        fields=[title],
                    )
                )
            if mode == "-":
                hold = hold_selectors.patron_holds(patron).filter(record=item.record).first()
                if hold is None:
                    return Reply(
                        self._refuse(request, _("There is no hold on this title to cancel."), fields=[title])
                    )
                try:
                    holds.cancel_hold(
                        hold, actor=self._actor(), at=now, reason=f"SIP2 {self._actor().label()}"
                    )
                except HoldError as error:
                    return Reply(self._refuse(request, error.message, fields=[title]))
                return Reply(
                    self._build(
                        request,
                        {"ok": "1"},
                        [
                            self._institution(request),
                            ("AA", patron.card_number),
                            ("AB", item.barcode or ""),
                            title,
                            ("AF", _("Hold cancelled.")),
                        ],
                    )
                )
            pickup_code = request.get("BS") or self._actor().branch_code or ""
            pickup = Branch.objects.filter(code=pickup_code).first()
            if pickup is None:
                return Reply(
                    self._refuse(
                        request, _("Unknown branch: %(code)s.") % {"code": pickup_code}, fields=[title]
                    )
                )
            try:
                expires = codec.parse_date(request.get("BW"), self.tz) if request.get("BW").strip() else None
            except ValueError:
                return Reply(self._refuse(request, _("The expiration date is not a date."), fields=[title]))
            try:
                hold = holds.place_hold(
                    patron,
                    item.record,
                    pickup_branch=pickup,
                    actor=self._actor(),
                    at=now,
                    item=item if request.get("BY") == "3" else None,
                    expires_at=expires,
                    idempotency_key=self._key(request, patron.card_number, item.barcode or ""),
                )
            except HoldError as error:
                return Reply(self._refuse(request, error.message, fields=[title]))
            # The standard's order: expiration date, queue position, pickup location (some clients count on it).
            fields = []
            if hold.expires_at is not None:
                fields.append(("BW", codec.format_date(hold.expires_at, self.tz)))
            fields += [
                ("BR", str(hold.position)),
                ("BS", pickup.code),
                self._institution(request),
                ("AA", patron.card_number),
                ("AB", item.barcode or ""),
                title,
                ("AF", _("Hold placed, number %(position)s in the queue.") % {"position": hold.position}),
            ]
            fixed = {"ok": "1", "available": "Y" if item.is_available() else "N"}
            return Reply(self._build(request, fixed, fields))

    def end_session(self, request: Message) -> Reply:
        fields = [self._institution(request), ("AA", request.get("AA"))]
        return Reply(self._build(request, {"end_session": "Y"}, fields))
