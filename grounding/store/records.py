"""Plain row types that cross the store's boundary (no ORM, no SQLAlchemy).

Ingest builds these and the store writes them; the store never needs ingest's parsing code,
so the import arrow runs one way: ingest -> store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def facility_key(facility: str) -> str:
    """Case- and spacing-insensitive form for filtering ("FERMI" == "Fermi")."""
    return " ".join(facility.casefold().split())[:255]


class RecordRefused(Exception):
    """The database refused a write (a constraint, a value too long, bad data). The message is the
    database's own reason; the ORM/driver error is the cause."""


@dataclass
class ChunkRow:
    """One passage of a report, as the chunker cut it."""

    ord: int
    text: str
    start_char: int
    flags: dict = field(default_factory=dict)


@dataclass
class LinkRow:
    """An entity link: a report mentions an ontology concept."""

    concept: str
    mentions: int = 1
    score: float = 1.0
    first_span: str = ""


@dataclass
class RejectRow:
    """A record not stored ("error") or stored but partly not understood ("warning")."""

    corpus: str
    source_path: str
    location: str
    record_id: str = ""
    reason: str = ""
    severity: str | None = "error"
    run_id: int | None = None


@dataclass
class ReportWrite:
    """A report as ingest wants it stored. `fields` are the report's columns (id excluded); `denorm`
    the columns copied onto each of its chunks (corpus, title, date, facility, facility_key, meta)."""

    id: str
    text: str
    content_hash: str
    text_hash: str
    fields: dict
    denorm: dict


# text -> the report's chunks; (report id, text) -> its links. Called only for reports whose text is
# new or changed, in the order the reports were given (chunks first, then links, per report).
SplitFn = Callable[[str], list[ChunkRow]]
LinksFn = Callable[[str, str], list[LinkRow]]


@dataclass
class BatchResult:
    """What one write of a batch did: the chunks written (to embed), the chunk ids deleted (to remove
    from the vector index) and the counts."""

    new_chunks: list[tuple[int, str]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    reused: int = 0


@dataclass
class LinkedReport:
    """A report linked to a concept, for the concept's page."""

    report_id: str
    mentions: int
    title: str
    date: str | None
    facility: str
