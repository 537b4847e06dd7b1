"""Terminal logins: the slow password hash runs once per account and password, never for a wrong password's
benefit, and a changed password is not served from memory."""

from __future__ import annotations

import threading

import pytest

from kitab.protocols.sip2 import logins
from kitab.protocols.sip2.models import SipTerminal
from kitab.protocols.sip2.services import add_terminal
from tests.circulation.conftest import main  # noqa: F401


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords checked the slow way."""
    logins.forget()
    calls: list[str] = []
    slow = SipTerminal.check_password

    def check(self: SipTerminal, raw: str) -> bool:
        calls.append(raw)
        return slow(self, raw)

    monkeypatch.setattr(SipTerminal, "check_password", check)
    return calls


def test_a_verified_password_is_not_hashed_again(main, counted):  # noqa: F811
    terminal = add_terminal("kiosk-9", password="right", branch_code="MAIN")
    assert logins.verify(terminal, "right")
    assert logins.verify(SipTerminal.objects.get(pk=terminal.pk), "right")
    assert counted == ["right"]


def test_a_wrong_password_always_takes_the_slow_path(main, counted):  # noqa: F811
    terminal = add_terminal("kiosk-9", password="right", branch_code="MAIN")
    assert logins.verify(terminal, "right")
    assert not logins.verify(terminal, "wrong")
    assert not logins.verify(terminal, "wrong")
    assert counted == ["right", "wrong", "wrong"]


def test_a_changed_password_is_checked_afresh(main, counted):  # noqa: F811
    terminal = add_terminal("kiosk-9", password="old", branch_code="MAIN")
    assert logins.verify(terminal, "old")
    terminal = add_terminal("kiosk-9", password="new", branch_code="MAIN")
    assert not logins.verify(terminal, "old")
    assert logins.verify(terminal, "new")
    assert counted == ["old", "old", "new"]


def test_concurrent_first_logins_hash_once(main, counted):  # noqa: F811
    terminal = add_terminal("kiosk-9", password="right", branch_code="MAIN")
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(logins.verify(terminal, "right"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 8
    assert counted == ["right"]
