from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kitab.authorities import services
from kitab.catalogue.services import import_file as import_bibs
from kitab.core.actor import Actor
from tests.authorities.records import iso, sample_authorities, sample_bibs


@pytest.fixture
def load_sample(db: None, marc_file: Callable[..., Path]) -> Callable[..., None]:
    """Import the sample authorities and bibliographic records (authorities first unless `bibs_first`)."""

    def run(*, bibs_first: bool = False) -> None:
        auth_path = marc_file(iso(*sample_authorities()), name="authorities.mrc")
        bib_path = marc_file(iso(*sample_bibs()), name="bibs.mrc")
        if bibs_first:
            import_bibs(bib_path, actor=Actor.system())
            services.import_file(auth_path, actor=Actor.system())
        else:
            services.import_file(auth_path, actor=Actor.system())
            import_bibs(bib_path, actor=Actor.system())

    return run


@pytest.fixture
def jobs_sync(settings):  # type: ignore[no-untyped-def]
    settings.KITAB_JOBS_SYNC = True
    return settings
