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
            bar_format="{desc} {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]",
        )
        self.name = path.name if len(path.name) <= 30 else path.name[:29] + "…"
        self.bar.set_description_str(self.name)

    def update(self, progress) -> None:  # type: ignore[no-untyped-def]
        # The reader reports how far into the file (compressed bytes for .gz/.xz) it has read.
        done = getattr(progress, "file_offset", None) or progress.offset
        self.bar.n = min(done, self.size) if self.size else done
        elapsed = self.bar.format_dict.get("elapsed") or 0.0
        done_here = progress.position - progress.resumed_from  # a resumed import skips records it had done
        rate = (done_here / elapsed) if elapsed else 0.0
        self.bar.set_description_str(
            f"{self.name}: {progress.position:,} records, {rate:,.0f}/s, {progress.rejected:,} errors", refresh=True
        )

    def close(self) -> None:
        self.bar.close()
