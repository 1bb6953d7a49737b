"""The vector index interface: what retrieval and ingest need from a vector store, nothing more.

Callers (ingest, retrieval, the server) see only this, so another engine (an exact NumPy
store, a sharded or served index) can replace FAISS without touching them. Vectors are
keyed by chunk id (int64); scores are inner products (cosines for unit vectors).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np


class IndexModelMismatch(RuntimeError):
    """The index on disk was built by another embedder: mixing vector spaces is refused."""


class IndexBackendMismatch(IndexModelMismatch):
    """The index on disk was written by another backend (`storage.index_backend`): its files cannot be read here."""


class IndexBusy(RuntimeError):
    """Another process holds the index for writing (an ingest is running)."""


@runtime_checkable
class VectorIndex(Protocol):
    """Vectors keyed by chunk id, persisted in a folder; `save()` is the durable commit point.

    One writer at a time (`writer()`, across processes); any number of readers, which pick up
    a writer's saved changes with `reload_if_changed()`.
    """

    model: str  # the embedder that made the vectors: an index never mixes two vector spaces
    dim: int
    folder: Path

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        """Add or replace: an id that is present gets the new vector (never two vectors for one id)."""
        ...

    def remove(self, ids: Iterable[int]) -> int:
        """Drop these ids (absent ones are ignored); returns how many were removed."""
        ...

    def search(self, queries: np.ndarray, k: int, ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each of shape (queries, <= k), best first; -1 pads missing hits.

        `ids` restricts the search to those chunk ids (e.g. the chunks a metadata filter allows).
        """
        ...

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        """The stored vectors of these ids, rows in the given order; KeyError if one is absent."""
        ...

    def ids(self) -> set[int]:
        """Every id held (a copy: safe to keep while the index changes)."""
        ...

    def count(self) -> int:
        """How many vectors are held."""
        ...

    def __contains__(self, chunk_id: object) -> bool: ...

    @property
    def generation(self) -> int:
        """Bumps on every in-memory change, so a cache of search results knows when it is stale."""
        ...

    @property
    def dirty(self) -> bool:
        """Changes made since the last `save()`."""
        ...

    def save(self) -> None:
        """Make every change so far durable (a kill after it returns loses nothing)."""
        ...

    def reload_if_changed(self) -> bool:
        """For readers: load what a writer saved since this was loaded; True if something changed."""
        ...

    def writer(self) -> AbstractContextManager["VectorIndex"]:
        """Hold the index for writing, one process at a time; raises IndexBusy while another holds it."""
        ...

    def build_ann(self) -> bool:
        """Build an approximate structure now (end of ingest) so no query pays for it; False if there is none."""
        ...
