"""The import progress bar: records/s, errors so far and an ETA from the share of the file read."""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm


class ImportBar:
    def __init__(self, path: Path, *, disable: bool) -> None:
        self.path = path
        self.size = path.stat().st_size if path.exists() else 0
        self.bar = tqdm(
            total=self.size or None,
            disable=disable,
            dynamic_ncols=True,
            desc=path.name[:30],
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix} [{elapsed}<{remaining}]",
        )
        self.records = 0

    def update(self, progress) -> None:  # type: ignore[no-untyped-def]
        # The reader reports how far into the file (compressed bytes for .gz/.xz) it has read.
        done = getattr(progress, "file_offset", None) or progress.offset
        self.bar.n = min(done, self.size) if self.size else done
        elapsed = self.bar.format_dict.get("elapsed") or 0.0
        rate = (progress.position / elapsed) if elapsed else 0.0
        self.bar.set_postfix_str(
            f"{progress.position:,} rec, {rate:,.0f} rec/s, {progress.rejected:,} errors", refresh=True
        )

    def close(self) -> None:
        self.bar.close()
