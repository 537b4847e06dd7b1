"""`kitab sip2 serve` as its own process over a throw-away KITAB_HOME, driven by the `sip2` client from PyPI
(what a self-check integration would use) and by raw sockets sending broken messages. About 4 s."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kitab.protocols.sip2 import codec
from tests.conftest import REPO_ROOT
from tests.live_servers import protocol_server

SETUP = """
import django
django.setup()
from datetime import date
from django.utils import timezone
from kitab.catalogue.models import Record
from kitab.circulation.models import CirculationRule
from kitab.items.models import Branch, Item, ItemType
from kitab.patrons.models import Patron, PatronCategory

main = Branch.objects.create(code="MAIN", name="Main library")
book = ItemType.objects.create(code="BOOK", name="Book")
adult = PatronCategory.objects.create(code="ADULT", name="Adult")
CirculationRule.objects.get_or_create(branch=None, patron_category=None, item_type=None)
now = timezone.now()
common = {"home_branch": main, "category": adult, "expires_on": date(2099, 1, 1), "created_at": now,
          "updated_at": now}
Patron.objects.create(card_number="P0001", first_name="Ayşə", last_name="Məmmədova", language="az", **common)
Patron.objects.create(card_number="P0002", first_name="Иван", last_name="Петров", language="ru", **common)
from kitab.circulation.fines import charge
from kitab.core.actor import Actor
ivan = Patron.objects.get(card_number="P0002")
charge(ivan, 4, actor=Actor.system(), at=now, note="Damage")
for n in range(1, 8):
    record = Record.objects.create(title=f"Kitab {n}: Şuşa, İçərişəhər", raw=b"", raw_digest=f"{n:040d}")
    Item.objects.create(record=record, barcode=f"B{n:04d}", home_branch=main, holding_branch=main,
                        item_type=book)
"""


@dataclass
class Live:
    port: int
    env: dict[str, str]
    home: Path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("kitab-sip2")
    env = dict(os.environ, KITAB_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.prod")
    for name in ("KITAB_DATABASE_URL", "KITAB_INDEX_DIR"):
        env.pop(name, None)

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            env=env,
            cwd=REPO_ROOT,
            input=stdin,
            text=True,
            capture_output=True,
            check=True,
            timeout=120,
        )

    run("-m", "kitab.cli", "migrate")
    run("-c", SETUP)
    added = run("-m", "kitab.cli", "sip2", "add-terminal", "kiosk", "--branch", "MAIN", stdin="pa55\npa55\n")
    assert "ready at branch MAIN" in added.stdout
    run(
        "-m",
        "kitab.cli",
        "sip2",
        "add-terminal",
        "old-kiosk",
        "--branch",
        "MAIN",
        "--charset",
        "cp850",
        "--password",
        "pa55",
    )
    with protocol_server("sip2", env) as port:
        yield Live(port, env, home)


def client(live: Live, tmp_path: Path):  # type: ignore[no-untyped-def]
    Sip2 = pytest.importorskip("Sip2.sip2").Sip2  # the `sip2` package of the test extra

    sip = Sip2()
    sip.hostName, sip.hostPort = "127.0.0.1", live.port
    sip.tlsEnable = False
    sip.logfile_path = str(tmp_path)
    sip.socketTimeout = 10
    sip.institutionId, sip.scLocation = "Kitab", "MAIN"
    sip.connect()
    return sip


def test_pypi_sip2_client(live, tmp_path):
    sip = client(live, tmp_path)
    try:
        login = sip.sip_login_response(sip.get_response(sip.sip_login_request("kiosk", "pa55")))
        assert login["fixed"]["Ok"] == "1"
        status = sip.sip_sc_status_response(sip.get_response(sip.sip_sc_status_request()))
        assert status["fixed"]["OnlineStatus"] == "Y"
        sip.patron = "P0001"
        info = sip.sip_patron_information_response(
            sip.get_response(sip.sip_patron_information_request("charged"))
        )
        assert info["variable"]["AE"] == ["Ayşə Məmmədova"] and info["variable"]["BL"] == ["Y"]
        assert info["fixed"]["ChargedItemsCount"] == "0000"
        out = sip.sip_checkout_response(
            sip.get_response(sip.sip_checkout_request("B0001"))
        )  # 18-blank due date
        assert out["fixed"]["Ok"] == "1" and out["fixed"]["Desensitize"] == "Y"
        assert out["variable"]["AJ"] == ["Kitab 1: Şuşa, İçərişəhər"]
        due = out["variable"]["AH"][0]
        info = sip.sip_patron_information_response(
            sip.get_response(sip.sip_patron_information_request("charged"))
        )
        assert info["fixed"]["ChargedItemsCount"] == "0001" and info["variable"]["AU"] == ["B0001"]
        again = sip.sip_checkout_response(sip.get_response(sip.sip_checkout_request("B0001")))
        assert again["fixed"]["Ok"] == "0" and again["variable"]["AF"][0]  # already on loan, in Azerbaijani
        renewed = sip.sip_renew_response(sip.get_response(sip.sip_renew_request("B0001")))
        assert renewed["fixed"]["Ok"] == "1" and renewed["fixed"]["RenewalOk"] == "Y"
        assert renewed["variable"]["AH"][0] >= due
        everything = sip.sip_renew_all_response(sip.get_response(sip.sip_renew_all_request()))
        assert everything["fixed"]["Ok"] == "1" and everything["fixed"]["RenewedItems"] == "0001"
        back = sip.sip_checkin_response(sip.get_response(sip.sip_checkin_request("B0001")))
        assert back["fixed"]["Ok"] == "1" and back["variable"]["AA"] == ["P0001"]
        item = sip.sip_item_information_response(sip.get_response(sip.sip_item_information_request("B0001")))
        assert item["fixed"]["CirculationStatus"] == "03"
        sip.patron = "P0002"
        status = sip.sip_patron_status_response(sip.get_response(sip.sip_patron_status_request()))
        assert status["variable"]["AE"] == ["Иван Петров"] and status["variable"]["BV"] == ["4.00"]
        paid = sip.sip_fee_paid_response(
            sip.get_response(sip.sip_fee_paid_request(1, 0, "1.50", transactionId="t1"))
        )
        assert paid["fixed"]["PaymentAccepted"] == "Y" and paid["variable"]["BK"] == ["t1"]
        hold = sip.sip_hold_response(sip.get_response(sip.sip_hold_request("+", itemIdentifier="B0002")))
        assert hold["fixed"]["Ok"] == "1" and hold["fixed"]["Available"] == "Y"
        cancel = sip.sip_hold_response(sip.get_response(sip.sip_hold_request("-", itemIdentifier="B0002")))
        assert cancel["fixed"]["Ok"] == "1"
        end = sip.get_response(sip.sip_end_patron_session_request())
        assert end.startswith("36Y")
    finally:
        sip.disconnect()


class Raw:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def ask(self, data: bytes) -> bytes | None:
        self.sock.sendall(data + b"\r")
        while b"\r" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buf += chunk
        line, _sep, self.buf = self.buf.partition(b"\r")
        return line

    def close(self) -> None:
        self.sock.close()


DATE = b"20250303    100000"


def test_malformed_truncated_and_undecodable_messages(live):
    t = Raw(live.port)
    try:
        assert t.ask(b"9300CNkiosk|COpa55|") == b"941"
        assert t.ask(b"17" + DATE[:7]).startswith(b"18")  # truncated: refused on this connection
        assert t.ask(b"17" + DATE + b"ABB0001AY1AZ0000") == b"96AZFEF6"
        undecodable = t.ask(b"17" + DATE + b"ABB\xff\xfe|")
        assert undecodable is not None and b"utf-8" in undecodable
        assert t.ask(b"\x16\x03\x01\x00\xa5") == b"96"
        ok = t.ask(b"17" + DATE + b"AOKitab|ABB0002|")
        assert ok is not None and ok.startswith(b"1803") and "Şuşa".encode() in ok
    finally:
        t.close()


def test_cp850_terminal_and_cyrillic_over_utf8(live):
    old = Raw(live.port)
    try:
        assert old.ask(b"9300CNold-kiosk|COpa55|") == b"941"
        reply = old.ask(b"23000" + DATE + b"AOKitab|AAP0001|")
        assert (
            reply is not None and codec.decode(reply, "cp850", responses=True).get("AE") == "Ay?? M?mm?dova"
        )
    finally:
        old.close()
    new = Raw(live.port)
    try:
        assert new.ask(b"9300CNkiosk|COpa55|") == b"941"
        reply = new.ask(b"23015" + DATE + b"AOKitab|AAP0002|")
        assert reply is not None and codec.decode(reply, responses=True).get("AE") == "Иван Петров"
    finally:
        new.close()


def test_concurrent_terminals_lend_different_copies(live):
    def lend(n: int) -> bytes | None:
        t = Raw(live.port)
        try:
            assert t.ask(b"9300CNkiosk|COpa55|") == b"941"
            card = b"P0002"
            barcode = f"B{n:04d}".encode()
            head = (
                b"11NN"
                + DATE
                + b" " * 18
                + b"AOKitab|AA"
                + card
                + b"|AB"
                + barcode
                + b"|AY"
                + str(n).encode()
                + b"AZ"
            )
            return t.ask(head + codec.checksum(head).encode())
        finally:
            t.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        replies = list(pool.map(lend, [3, 4, 5]))
    assert all(r is not None and r.startswith(b"121NUY") for r in replies), replies


def _signed(head: bytes) -> bytes:
    return head + codec.checksum(head).encode()


def _session(live: Live) -> Raw:
    t = Raw(live.port)
    assert t.ask(b"9300CNkiosk|COpa55|") == b"941"
    return t


def test_a_resent_renew_renews_once_even_over_a_new_connection(live):
    first = _session(live)
    try:
        lent = first.ask(_signed(b"11NN" + DATE + b" " * 18 + b"AOKitab|AAP0001|ABB0006|AY1AZ"))
        assert lent is not None and lent.startswith(b"121"), lent
        renew = _signed(b"29NN" + DATE + b" " * 18 + b"AOKitab|AAP0001|ABB0006|AY2AZ")
        answer = first.ask(renew)
        assert answer is not None and answer.startswith(b"301Y"), answer
    finally:
        first.close()  # the terminal timed out waiting, reconnected and sent the same message again
    again = _session(live)
    try:
        assert again.ask(renew) == answer
        # The rule allows two renewals: a second real renewal works, a third is refused. Had the resend
        # renewed, the next one would already be refused.
        second = again.ask(_signed(b"29NN" + DATE + b" " * 18 + b"AOKitab|AAP0001|ABB0006|AY3AZ"))
        assert second is not None and second.startswith(b"301Y"), second
        third = again.ask(_signed(b"29NN" + DATE + b" " * 18 + b"AOKitab|AAP0001|ABB0006|AY4AZ"))
        assert third is not None and third.startswith(b"300N"), third
    finally:
        again.close()


def _owed(t: Raw, card: bytes) -> str:
    status = t.ask(b"23000" + DATE + b"AOKitab|AA" + card + b"|")
    assert status is not None
    return codec.decode(status, responses=True).get("BV")


def test_a_resent_fee_payment_is_recorded_once_even_when_sent_at_once_on_several_connections(live):
    t = _session(live)
    try:
        before = float(_owed(t, b"P0002"))
    finally:
        t.close()
    payment = _signed(b"37" + DATE + b"0100AZNBV0.25|AOKitab|AAP0002|BKpay-77|AY5AZ")

    def pay(_n: int) -> bytes | None:
        terminal = _session(live)
        try:
            return terminal.ask(payment)
        finally:
            terminal.close()

    with ThreadPoolExecutor(max_workers=3) as pool:
        replies = list(pool.map(pay, range(3)))
    assert all(r is not None and r.startswith(b"38Y") for r in replies), replies
    assert len(set(replies)) == 1  # the same response each time
    t = _session(live)
    try:
        assert float(_owed(t, b"P0002")) == pytest.approx(before - 0.25)
        # A new payment (another sequence number) is a new payment.
        other = t.ask(_signed(b"37" + DATE + b"0100AZNBV0.25|AOKitab|AAP0002|BKpay-78|AY6AZ"))
        assert other is not None and other.startswith(b"38Y")
        assert float(_owed(t, b"P0002")) == pytest.approx(before - 0.50)
    finally:
        t.close()
