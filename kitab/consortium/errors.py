from __future__ import annotations

from datetime import datetime

from kitab.core.errors import KitabError


class ConsortiumError(KitabError):
    """Raised by consortium services; `code` is stable, `message` is for people."""


class HarvestError(ConsortiumError):
    """A harvest cannot go on: the repository is unreachable, answers badly, or reports an OAI-PMH error.

    `oai_code` is the repository's own error code (badResumptionToken, cannotDisseminateFormat, ...) when the
    error came as an OAI-PMH `<error>`.
    """

    def __init__(
        self, code: str, message: str, *, oai_code: str | None = None, response_date: datetime | None = None
    ) -> None:
        super().__init__(code, message)
        self.oai_code = oai_code
        self.response_date = response_date  # the repository's clock, when its answer said
