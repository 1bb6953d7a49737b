"""Test doubles for ingest tests that do not depend on what the vectors mean."""

from __future__ import annotations

import zlib

import numpy as np


class HashEmbedder:
    """A deterministic unit vector per text, no model: for tests of bookkeeping, not meaning."""

    def __init__(self, name: str = "hash-embedder", dim: int = 32) -> None:
        self.name, self.dim, self.calls = name, dim, 0

    def embed_passages(self, texts):
        self.calls += len(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = np.random.default_rng(zlib.crc32(t.encode("utf-8", "surrogatepass"))).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts):
        return self.embed_passages(texts)


class CountingEmbedder:
    """The real embedder, counting how many passages it was asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, 0

    def embed_passages(self, texts):
        self.calls += len(texts)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)


def assert_consistent(g) -> None:
    """SQL and FAISS agree: every chunk has exactly one vector, no vector lacks a chunk."""
    from grounding.index.faiss_index import FaissIndex

    chunk_ids = g.store.chunk_ids()
    fresh = FaissIndex(g.index.folder, g.index.model, g.index.dim, g.cfg.storage)  # what is on disk
    assert fresh.ids() == chunk_ids
    assert fresh.count() == len(chunk_ids)  # no id holds two vectors
