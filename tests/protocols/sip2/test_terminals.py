"""Terminal accounts: the add_terminal service and the `kitab sip2` commands' argument checks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kitab.cli import main as cli
from kitab.protocols.sip2.errors import SIP2AccountError
from kitab.protocols.sip2.models import SipTerminal
from kitab.protocols.sip2.services import add_terminal
from tests.patrons.factories import BranchFactory


@pytest.fixture
def branches(db):
    return BranchFactory(code="MAIN"), BranchFactory(code="EAST")


def test_add_terminal_hashes_the_password_and_replaces_an_account(branches):
    terminal = add_terminal("kiosk", password="secret", branch_code="MAIN")
    assert terminal.password != "secret" and terminal.check_password("secret")
    again = add_terminal("kiosk", password="other", branch_code="EAST", charset="cp850", enabled=False)
    assert again.pk == terminal.pk and SipTerminal.objects.count() == 1
    assert (again.branch.code, again.charset, again.enabled) == ("EAST", "cp850", False)
    assert again.check_password("other") and not again.check_password("secret")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"password": "", "branch_code": "MAIN"}, "missing_password"),
        ({"password": "x", "branch_code": "NOWHERE"}, "unknown_branch"),
        ({"password": "x", "branch_code": "MAIN", "charset": "klingon-8"}, "invalid_charset"),
    ],
)
def test_add_terminal_refusals(branches, kwargs, code):
    with pytest.raises(SIP2AccountError) as excinfo:
        add_terminal("kiosk", **kwargs)
    assert excinfo.value.code == code
    assert not SipTerminal.objects.exists()


def test_serve_refuses_an_unknown_character_set():
    result = CliRunner().invoke(cli, ["sip2", "serve", "--encoding", "klingon-8"])
    assert result.exit_code == 2 and "unknown character set" in result.output


def test_admin_can_disable_a_terminal_but_never_sees_the_password(branches, admin_client):
    terminal = add_terminal("kiosk", password="secret", branch_code="MAIN")
    page = admin_client.get(f"/admin/sip2/sipterminal/{terminal.pk}/change/")
    assert page.status_code == 200 and terminal.password.encode() not in page.content
    assert admin_client.get("/admin/sip2/sipterminal/add/").status_code == 403
    response = admin_client.post(
        f"/admin/sip2/sipterminal/{terminal.pk}/change/",
        {"branch": branches[1].pk, "enabled": "", "charset": "cp850"},
    )
    assert response.status_code == 302
    terminal.refresh_from_db()
    assert (terminal.branch.code, terminal.enabled, terminal.charset) == ("EAST", False, "cp850")
    assert terminal.check_password("secret")
