"""Cutting a stream into lists of a fixed size, for work done (and committed) a batch at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of `size` items in order, the last one shorter; reads `items` lazily, once.

    Unlike `itertools.batched` (Python 3.12+, tuples) this gives lists and works on 3.11."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
