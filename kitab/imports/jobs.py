"""How a started batch runs: in a background thread of the web process (the embedded default), or not at all
from the web (`KITAB_IMPORT_JOBS=cli`: an operator or a timer runs `kitab batches run ID`).

The thread is a daemon: if the web process stops mid-batch, the batch stays "running" with every committed
chunk kept, and `kitab batches run ID --resume` (or the staff page's resume button) continues after the last one.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection

from kitab.core.actor import Actor

from . import services
from .errors import ImportBatchError
from .models import ImportBatch

log = logging.getLogger(__name__)


def mode() -> str:
    """"thread" (default), "inline" (run before the request returns: tests) or "cli" (leave it queued)."""
    return str(getattr(settings, "KITAB_IMPORT_JOBS", "thread") or "thread")


def start(batch: ImportBatch, *, actor: Actor, resume: bool = False) -> ImportBatch:
    """Queue `batch` and start its job. Raises ImportBatchError("not_staged") for a batch already started,
    unless `resume` (a failed or stalled batch)."""
    if not resume:
        batch = services.queue_batch(batch, actor=actor)
    how = mode()
    if how == "inline":
        _run(batch.pk, actor, resume)
    elif how == "thread":
        threading.Thread(target=_run_in_thread, args=(batch.pk, actor, resume), daemon=True,
                         name=f"import-batch-{batch.pk}").start()
    batch.refresh_from_db()
    return batch


def _run(batch_id: int, actor: Actor, resume: bool) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        services.run_batch(batch, actor=actor, resume=resume)
    except ImportBatchError as exc:  # recorded on the batch (status failed, error) for the staff page
        log.warning("import batch %s: %s", batch_id, exc.message)


def _run_in_thread(batch_id: int, actor: Actor, resume: bool) -> None:
    try:
        _run(batch_id, actor, resume)
    except Exception:
        log.exception("import batch %s failed", batch_id)
    finally:
        connection.close()  # this thread's own database connection
