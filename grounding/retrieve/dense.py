"""Dense retrieval: the question's embedding against the vector index (any VectorIndex)."""

from __future__ import annotations

import numpy as np

from grounding.embed.base import Embedder
from grounding.index.base import VectorIndex


class DenseRetriever:
    def __init__(self, index: VectorIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed(self, query: str) -> np.ndarray:
        return self.embedder.embed_queries([query])[0]

    def search_vector(self, q_vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        scores, ids = self.index.search(q_vec, k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        return self.search_vector(self.embed(query), k)
