"""Patron read queries."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kitab.items.models import Branch
from kitab.textnorm import fold

from .models import Patron, PatronCategory, name_key, phone_digits

MIN_PHONE_DIGITS = 4


def search_patrons(query: str, *, category: PatronCategory | None = None, branch: Branch | None = None,
                   limit: int = 50) -> QuerySet[Patron]:
    """Patrons matching `query`: the card number exactly, the email exactly, the phone number (its digits, at
    least four, as the end of the stored number), or every name word as the start of a name word in any script
    (Məmmədov, Mammadov and Мамедов find each other). Anonymised patrons are never found."""
    query = query.strip()
    patrons = Patron.objects.filter(is_anonymised=False).select_related("category", "home_branch")
    if category is not None:
        patrons = patrons.filter(category=category)
    if branch is not None:
        patrons = patrons.filter(home_branch=branch)
    if not query:
        return patrons.none()
    match = Q(card_number__iexact=query)
    if "@" in query:
        match |= Q(email__iexact=query)
    digits = phone_digits(query)
    if len(digits) >= MIN_PHONE_DIGITS and len(digits) >= len(query.replace(" ", "")) - 3:
        match |= Q(phone_digits__endswith=digits)
    tokens = fold(query).split()
    if tokens:
        names = Q()
        for token in tokens:
            names &= Q(name_folded__contains=" " + token) | Q(name_key__contains=" " + name_key(token))
        match |= names
    return patrons.filter(match)[:limit]
