"""The state table itself: which triggers exist from which state, and apply() as the only status writer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kitab.circulation import services, transitions
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan

S = Loan.Status
CIRCULATION = Path(transitions.__file__).parent


def test_the_table() -> None:
    assert {(s, t): d for s, t, d, _cls in transitions.TABLE} == {
        (S.NEW, "checkout"): S.ON_LOAN,
        (S.ON_LOAN, "renew"): S.ON_LOAN,
        (S.ON_LOAN, "checkin"): S.RETURNED,
        (S.ON_LOAN, "mark_lost"): S.LOST,
        (S.LOST, "checkin"): S.RETURNED,
    }


@pytest.mark.parametrize(("status", "trigger"), [
    (S.RETURNED, "checkin"), (S.RETURNED, "renew"), (S.LOST, "renew"), (S.LOST, "mark_lost"),
    (S.ON_LOAN, "checkout"), (S.NEW, "checkin"),
])
def test_undeclared_transitions_are_refused(status, trigger) -> None:
    with pytest.raises(CirculationError) as excinfo:
        transitions.find(status, trigger)
    assert excinfo.value.code == "invalid_transition"


def test_mark_lost_on_a_returned_loan(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    services.checkin(item, actor=desk, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.mark_lost(loan, actor=desk, at=t0)
    assert excinfo.value.code == "invalid_transition"


def test_only_transitions_assign_loan_status() -> None:
    """No module of the app but transitions.py assigns `<something>.status` on a loan."""
    offenders = []
    for path in CIRCULATION.glob("*.py"):
        if path.name == "transitions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr == "status" and \
                            getattr(target.value, "id", "") == "loan":
                        offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
