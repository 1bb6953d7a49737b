"""Builds the configured VectorIndex (`storage.index_backend`), the one place that names a backend."""

from __future__ import annotations

from pathlib import Path

from grounding.config import StorageConfig
from grounding.index.base import VectorIndex
from grounding.index.log import peek


def make_index(cfg: StorageConfig, folder: Path, model: str, dim: int) -> VectorIndex:
    """The index in `folder` for vectors of `model` (dim `dim`), loaded from disk when saved there."""
    if cfg.index_backend == "numpy":
        from grounding.index.numpy_index import NumpyIndex

        return NumpyIndex(folder, model, dim)
    from grounding.index.faiss_index import FaissIndex

    return FaissIndex(folder, model, dim, cfg)


def peek_index(folder: Path) -> dict:
    """A saved index's model, dim and count without loading it (any backend: the manifest is shared)."""
    return peek(folder)
