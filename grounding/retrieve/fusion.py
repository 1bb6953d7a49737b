"""Reciprocal rank fusion: robust to the incomparable scales of cosine and BM25 scores."""

from __future__ import annotations


def rrf(rankings: dict[str, list[tuple[int, float]]], k: int = 60) -> dict[int, tuple[float, dict[str, int], dict[str, float]]]:
    """chunk id -> (fused score, rank per signal, raw score per signal)."""
    out: dict[int, tuple[float, dict[str, int], dict[str, float]]] = {}
    for name, hits in rankings.items():
        for rank, (cid, score) in enumerate(hits, start=1):
            fused, ranks, raw = out.get(cid, (0.0, {}, {}))
            ranks[name] = rank
            raw[name] = score
            out[cid] = (fused + 1.0 / (k + rank), ranks, raw)
    return out
