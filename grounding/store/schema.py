"""SQL tables: the source of truth for reports, chunks, links, runs and rejects.

FAISS holds only vectors keyed by `chunks.id`; anything in FAISS that SQL does not
know is garbage, and any chunk SQL knows without a vector is pending work. Chunk
ids are never reused (AUTOINCREMENT / sequences) and a chunk's text is never
updated, so an id names one text (and one vector) forever.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # "<corpus>:<source id>"
    corpus: Mapped[str] = mapped_column(String(64), index=True)
    source_id: Mapped[str] = mapped_column(String(191), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str | None] = mapped_column(String(10), index=True, nullable=True)  # ISO YYYY-MM-DD
    facility: Mapped[str | None] = mapped_column(Text, default="", nullable=True)
    facility_key: Mapped[str | None] = mapped_column(String(255), default="", nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))  # everything stored about the report
    text_hash: Mapped[str | None] = mapped_column(String(64), default="", nullable=True)  # what its chunks depend on
    source_path: Mapped[str] = mapped_column(Text, default="")
    source_location: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Chunk(Base):
    """A passage of a report. The report's corpus, title, date, facility and metadata are copied
    onto each chunk (kept in sync by ingest, in the same transaction) so retrieval can filter
    and boost on them without a join."""

    __tablename__ = "chunks"
    __table_args__ = (
        Index("ix_chunks_facility_date", "facility_key", "date"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_char: Mapped[int] = mapped_column(Integer, default=0)
    corpus: Mapped[str | None] = mapped_column(String(64), default="", nullable=True, index=True)
    title: Mapped[str | None] = mapped_column(Text, default="", nullable=True)
    date: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    facility: Mapped[str | None] = mapped_column(Text, default="", nullable=True)
    facility_key: Mapped[str | None] = mapped_column(String(255), default="", nullable=True)
    meta: Mapped[dict | None] = mapped_column(JSON, default=dict, nullable=True)
    # Marks set at ingest: {"injection": [sentences addressed to a reader/assistant], "rules": N}
    # (grounding/retrieve/injection.py); such sentences are never evidence.
    flags: Mapped[dict | None] = mapped_column(JSON, default=dict, nullable=True)


class ReportConcept(Base):
    """Entity links of a report: which ontology concepts it mentions."""

    __tablename__ = "report_concepts"

    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    concept: Mapped[str] = mapped_column(String(512), primary_key=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    score: Mapped[float] = mapped_column(Float, default=1.0)
    first_span: Mapped[str] = mapped_column(String(64), default="")


Index("ix_report_concepts_concept", ReportConcept.concept)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | failed | interrupted
    corpora: Mapped[list | None] = mapped_column(JSON, default=list, nullable=True)
    stats: Mapped[dict] = mapped_column(JSON, default=dict)


class Reject(Base):
    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    corpus: Mapped[str] = mapped_column(String(64), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text)  # "line 12", "sheet 2011 row 40"
    record_id: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    # "error": the record was not stored; "warning": stored, but part of it was not understood
    # (a date that does not parse). NULL in databases from before this column: an error.
    severity: Mapped[str | None] = mapped_column(String(16), nullable=True, default="error")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KeyValue(Base):
    """Small facts about the stored state, e.g. which embedder built the index."""

    __tablename__ = "kv"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class IndexLease(Base):
    """A reader's hold on a published index generation (grounding/index/generations.py, docs/scaling.md).

    One row per reading process, renewed while it runs; the writer deletes a generation only when
    no row renewed within `storage.lease_ttl_s` names it. `renewed` is Unix time (seconds).
    """

    __tablename__ = "index_leases"

    holder: Mapped[str] = mapped_column(String(191), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    renewed: Mapped[float] = mapped_column(Float)
