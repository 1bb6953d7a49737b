"""The store's interface: what the rest of the system may ask of the database, grouped by resource.

`ReportStore` is the whole of it; `grounding.store.sql.SqlStore` (SQLAlchemy: SQLite or PostgreSQL)
implements it. Nothing outside grounding/store/ opens a session or builds a query: a second
backend implements these methods and nothing else changes. Rows come back as read-only objects
with the attributes of grounding/store/schema.py (Report, Chunk, ReportConcept, Reject, IngestRun)
or as the plain records of grounding/store/records.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from grounding.store.aggregates import AggregateQueries
from grounding.store.leases import IndexLeases
from grounding.store.records import BatchResult, LinkedReport, LinksFn, RejectRow, ReportWrite, SplitFn
from grounding.store.review import Candidate
from grounding.store.summaries import SummaryQueries


@runtime_checkable
class ReportReads(Protocol):
    """Reports and their counts."""

    def count_reports(self) -> int: ...

    def stats(self) -> dict[str, int]:
        """reports, chunks, rejects (errors), warnings, concept_links."""
        ...

    def corpus_counts(self) -> dict[str, int]: ...

    def get_report(self, report_id: str) -> Any | None:
        """By full id ("nrc:56912") or, when unambiguous, by the bare source id."""
        ...

    def get_reports(self, ids: Iterable[str]) -> dict[str, Any]: ...

    def report_ids(self, corpora: Sequence[str]) -> list[str]: ...

    def report_texts(self, corpus: str | None = None, batch: int = 1000) -> Iterator[tuple[str, str]]:
        """(id, text) of every report (of `corpus`), in id order, a page at a time."""
        ...

    def report_meta_pages(self, batch: int = 5000) -> Iterator[list[tuple[str, str | None, dict | None]]]:
        """(id, date, meta) of every report in id order, a page at a time."""
        ...

    def facilities(self) -> dict[str, str]: ...


@runtime_checkable
class ChunkReads(Protocol):
    """Passages: what the vector index and BM25 are keyed by."""

    def chunks_of(self, report_id: str) -> list[Any]: ...

    def get_chunks(self, ids: Sequence[int]) -> dict[int, Any]: ...

    def chunk_ids(self) -> set[int]: ...

    def chunk_report_ids(self, report_ids: Sequence[str]) -> list[tuple[int, str]]: ...

    def iter_chunks(self, batch: int = 2000) -> Iterator[list[Any]]: ...

    def chunk_ids_where(
        self,
        corpus: str | Sequence[str] | None = None,
        facility: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        report_ids: Iterable[str] | None = None,
    ) -> set[int]: ...


@runtime_checkable
class ConceptLinks(Protocol):
    """Which ontology concepts each report mentions."""

    def concepts_of(self, report_ids: Iterable[str]) -> dict[str, list[Any]]: ...

    def linked_reports(self, concept: str, limit: int) -> tuple[list[LinkedReport], int]: ...

    def relink(self, links: LinksFn, batch: int = 500) -> int: ...


@runtime_checkable
class IngestWrites(Protocol):
    """Ingest's writes, each committed before it returns (SQL first, vectors after)."""

    def write_reports(self, reports: Sequence[ReportWrite], rejects: Sequence[RejectRow], split: SplitFn, links: LinksFn) -> BatchResult:
        """Raises grounding.store.records.RecordRefused when the database refuses the batch."""
        ...

    def delete_reports(self, ids: Sequence[str]) -> list[int]: ...


@runtime_checkable
class IngestRuns(Protocol):
    def start_run(self, corpora: Sequence[str]) -> int: ...

    def finish_run(self, run_id: int, status: str, stats: dict) -> None: ...

    def last_run(self) -> Any | None: ...


@runtime_checkable
class Rejects(Protocol):
    def add_rejects(self, rows: Sequence[RejectRow], one_by_one: bool = False) -> None: ...

    def clear_rejects(self, corpora: Sequence[str], keep_run: int | None) -> None: ...

    def rejects(self, corpus: str | None = None, limit: int = 100) -> list[Any]: ...


@runtime_checkable
class KeyValues(Protocol):
    """Small facts about the stored state (which embedder built the index, the link fingerprint)."""

    def kv_get(self, key: str) -> dict | None: ...

    def kv_set(self, key: str, value: dict) -> None: ...


@runtime_checkable
class ReviewQueueStore(Protocol):
    """Candidate concepts and synonyms awaiting a curator (grounding.store.review)."""

    def upsert_candidates(self, cands: list[Candidate]) -> dict[str, int]: ...

    def candidates(self, status: str | None = "pending", kind: str | None = None, limit: int = 50, min_reports: int = 0) -> list[Any]: ...

    def candidate(self, cid: int) -> Any | None: ...

    def decided_candidate_keys(self) -> set[tuple[str, str, str]]: ...

    def decide_candidate(self, cid: int, status: str, by: str, note: str = "", iri: str = "") -> Any: ...

    def candidate_counts(self) -> dict[str, int]: ...


@runtime_checkable
class ReportStore(
    ReportReads, ChunkReads, ConceptLinks, IngestWrites, IngestRuns, Rejects, KeyValues, ReviewQueueStore,
    AggregateQueries, SummaryQueries, IndexLeases, Protocol,
):
    """Everything the system stores in SQL."""

    @property
    def dialect(self) -> str:
        """The database kind ("sqlite", "postgresql"), for status pages."""
        ...

    def dispose(self) -> None: ...
