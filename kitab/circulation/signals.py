"""Signals other apps react to (STYLE rule 14: reactions such as statistics or reading history, never the main
flow). Sent after the transaction commits, so a receiver never sees a loan that was rolled back."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with loan=<Loan> (item and patron loaded), actor=<Actor>, at=<datetime> after a checkout commits, and
# patron_flags=<dict name -> bool>: the answers, read in the checkout's own transaction, to the questions
# receivers registered with selectors.register_patron_flag (None when checkout did not ask them).
loan_checked_out = Signal()
