from __future__ import annotations

from kitab.core.errors import KitabError


class ImportBatchError(KitabError):
    """Raised by staged-import services; `code` is stable, `message` is for people.

    `problems` lists what stands in the way (e.g. the records an undo would lose changes of), one line each.
    """

    def __init__(self, code: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(code, message)
        self.problems = problems or []
