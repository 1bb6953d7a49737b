"""What retrieval hands on: scored chunks with the scores that put them there (for traceability)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    chunk_id: int
    report_id: str
    text: str
    score: float  # the fused score used for ranking
    scores: dict[str, float] = field(default_factory=dict)  # per signal: dense, bm25, rrf, metadata, kg
    ranks: dict[str, int] = field(default_factory=dict)
    marked: list[str] = field(default_factory=list)  # sentences marked at ingest as not evidence (chunks.flags)
