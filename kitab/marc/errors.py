"""Exceptions raised at the MARC edge.

Reading never raises for a single bad record (the reader reports it in `ReadResult.error` and goes on); these
are
for problems that stop a whole file or a whole write.
"""

from __future__ import annotations


class MarcError(Exception):
    """Base class for everything kitab.marc raises."""


class MarcReadError(MarcError):
    """A file cannot be read at all (missing, unknown format, broken compression)."""


class MarcWriteError(MarcError):
    """A record cannot be expressed in the requested serialisation (e.g. longer than ISO 2709 allows)."""


class RecordRejected(MarcError):
    """One record is unusable; the message is the human reason shown to the librarian."""
