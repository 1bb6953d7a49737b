"""The issue's done-when check: swap in the second VectorIndex (exact NumPy) and the agent answers the same."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grounding.index.numpy_index import NumpyIndex
from grounding.system import Grounding

QUESTIONS = [
    "What caused the reactor trip at Oconee on December 31, 1998?",  # facility + date: the metadata ranking reads vectors()
    "Why did an emergency diesel generator fail to start?",  # dense + BM25 only
]


def _same(a, b, path="") -> list[str]:
    """Where two answer JSONs differ; floats within 1e-5 (FAISS and NumPy round a dot product differently)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in _same(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _same(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        return [] if math.isclose(a, b, abs_tol=1e-5) else [f"{path}: {a} vs {b}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


@pytest.mark.slow
def test_the_agent_answers_the_same_with_the_numpy_index(ingested, generator, tmp_path):
    faiss_index = ingested.index
    exact = NumpyIndex(tmp_path / "index", faiss_index.model, faiss_index.dim)
    ids = sorted(faiss_index.ids())  # a fresh ingest adds duplicate texts in id order: ties keep their order
    exact.add(np.asarray(ids, dtype=np.int64), faiss_index.vectors(ids))
    exact.save()
    shared = {"store": ingested.store, "embedder": ingested.embedder, "generator": generator,
              "bm25": ingested.bm25, "ontology": ingested.ontology}
    with_faiss = Grounding(ingested.cfg, index=faiss_index, **shared)
    with_numpy = Grounding(ingested.cfg, index=NumpyIndex(tmp_path / "index", exact.model, exact.dim), **shared)
    for q in QUESTIONS:
        a = with_faiss.agent.ask(q).to_json()
        b = with_numpy.agent.ask(q).to_json()
        a.pop("timings_ms"), b.pop("timings_ms")
        assert a["evidence"], q  # the question reached evidence: the comparison means something
        assert _same(a, b) == [], q
        assert (a["answer"], a["confidence"], [s["citations"] for s in a["sentences"]]) == (
            b["answer"], b["confidence"], [s["citations"] for s in b["sentences"]])
