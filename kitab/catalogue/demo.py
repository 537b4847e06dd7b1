"""`kitab demo`: a ready-to-explore catalogue of real Library of Congress records with synthetic copies."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kitab.core.actor import Actor
from kitab.items import services as item_services
from kitab.items.models import Branch, ItemType
from kitab.marc.summary import Holding
from kitab.search import services as search_services

from .models import Record
from .services import import_file

DEMO_FILE = Path(__file__).with_name("demo") / "loc-demo.mrc.xz"
DEMO_USERNAME = "librarian"

BRANCHES = [
    ("CENTRAL", "Central Library"),
    ("NORTH", "North District Branch"),
    ("RIVER", "Riverside Branch"),
    ("CHILD", "Children's Library"),
]
ITEM_TYPES = [("BOOK", "Book"), ("REF", "Reference"), ("SHORT", "Short loan")]


@dataclass
class DemoInfo:
    username: str
    password: str
    records: int


def load_demo(*, on_message: Callable[[str], None] = print, seed: int = 2026) -> DemoInfo:
    """Import the demo records and give them copies, once; always (re)issue the demo staff password."""
    from kitab.staff.services import ensure_staff_user

    if not Record.objects.exists():
        on_message(f"Loading the demo catalogue ({DEMO_FILE.name}, Library of Congress records)…")
        report = import_file(DEMO_FILE, actor=Actor.system())
        on_message(f"  {report.added:,} records imported in {report.seconds:.1f} s")
        copies = add_demo_copies(seed=seed)
        on_message(f"  {copies:,} demo copies in {len(BRANCHES)} branches")
    else:
        on_message(f"Catalogue already has {Record.objects.count():,} records; not loading the demo again.")
    password = secrets.token_urlsafe(9)
    ensure_staff_user(DEMO_USERNAME, password=password, superuser=True)
    return DemoInfo(username=DEMO_USERNAME, password=password, records=Record.objects.count())


def add_demo_copies(*, seed: int) -> int:
    """One to three copies per record in the demo branches; a few on loan or not for loan."""
    rng = random.Random(seed)
    with transaction.atomic():
        for code, name in BRANCHES:
            Branch.objects.update_or_create(code=code, defaults={"name": name})
        for code, name in ITEM_TYPES:
            ItemType.objects.update_or_create(code=code, defaults={"name": name})
        holdings: dict[int, list[Holding]] = {}
        barcode = 39000000000
        for record_id, title in Record.objects.order_by("pk").values_list("pk", "title"):
            copies = []
            for branch_code, _name in rng.sample(BRANCHES, rng.choice([1, 1, 2, 3])):
                barcode += 1
                status = rng.choices(["available", "on_loan", "not_for_loan"], weights=[80, 15, 5])[0]
                copies.append(
                    Holding(
                        barcode=str(barcode),
                        home_branch=branch_code,
                        holding_branch=branch_code,
                        location=rng.choice(["Stacks", "Open shelves", "Reading room"]),
                        call_number=f"{(title or 'X')[:1].upper()} {rng.randint(100, 999)}",
                        item_type="REF" if status == "not_for_loan" else "BOOK",
                        status=status,
                        source_tag="",
                    )
                )
            holdings[record_id] = copies
        item_services.sync_imported_holdings(holdings)
        search_services.queue(holdings.keys())
    search_services.index_pending(wait_seconds=30)
    return sum(len(v) for v in holdings.values())
