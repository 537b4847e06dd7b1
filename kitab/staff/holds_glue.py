"""The desk's view of holds (kitab.holds): a patron's live holds, and placing one for a patron at the desk."""

from __future__ import annotations

from kitab.holds import selectors
from kitab.holds.models import Hold
from kitab.patrons.models import Patron

ENABLED = True


def patron_holds(patron: Patron) -> list[Hold]:
    """The patron's live holds, the ones waiting on the hold shelf first."""
    holds = list(selectors.patron_holds(patron))
    return sorted(holds, key=lambda hold: hold.status != Hold.Status.READY)
