"""FAISS vectors keyed by chunk id, persisted crash-safely in the data dir (format: index/log.py).

One structure lives in memory, the one `storage.index_type` names, and it is also what the
snapshot holds; there is no second exact copy beside an approximate index:

- `flat`: `IndexIDMap2(IndexFlatIP)`, exact; removal and replacement by id.
- `hnsw`: `IndexIDMap2(IndexHNSWFlat)`. HNSW cannot delete, so a removed or replaced vector
  stays in the graph as a tombstone: its slot's id becomes -1 and searches skip it (an
  IDSelector that admits only ids >= 0). Tombstones are dropped when the graph is rebuilt from
  the live vectors, at a compaction or an ingest's end once they are over a fifth of the slots.
- `ivf`: `IndexIVFFlat` with a hash-table direct map (removal, replacement and reconstruction by
  id). Below `39 x ivf_nlist` vectors there is too little to train on: the vectors stay in a
  flat store (exact search), which is trained into IVF once there are enough (at the first
  search or the end of an ingest) and retrained when the count has doubled since.
- `ivfpq`: `IndexIVFPQ`, the same lists holding product-quantized codes (`ivfpq_m` codes of
  `ivfpq_nbits` bits per vector) instead of the floats: for archives whose float vectors do not
  fit in memory (docs/scaling.md). Trained like `ivf` once there are `39 x max(ivf_nlist,
  2^ivfpq_nbits)` vectors. The floats are not kept, so `vectors()` returns the codes'
  reconstructions (approximate), and a retrain when the count has doubled trains on those.

The snapshot records the structure, so a server starts without rebuilding anything. A snapshot
of another structure (the config changed) is converted when loaded and rewritten by the next
save of a writer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from grounding.config import ConfigError, StorageConfig
from grounding.index.base import IndexBusy, IndexModelMismatch  # noqa: F401  (re-exported: older imports)
from grounding.index.log import LoggedIndex

_EMPTY = (np.zeros((0, 0), dtype=np.float32), np.zeros((0, 0), dtype=np.int64))
_ALIVE = (0, 2**62)  # the id range an IDSelectorRange admits: every real id, never a tombstone's -1
_EXACT_BELOW = 4096  # a filtered search over this few ids is done exactly


class FaissIndex(LoggedIndex):
    """Vector index with ids; `save()` is the durable commit point."""

    EXT = ".faiss"
    BACKEND = "faiss"

    def __init__(self, folder: Path, model: str, dim: int, cfg: StorageConfig) -> None:
        if cfg.index_type == "ivfpq" and dim % cfg.ivfpq_m:
            raise ConfigError(f"storage.ivfpq_m = {cfg.ivfpq_m} must divide the embedding dimension {dim}")
        self.cfg = cfg
        # Searches run on the server's threads: the one in-memory change a search can make (training IVF
        # the first time there are enough vectors) happens under this lock, once, and each search reads
        # the structure it uses in one step under it, never a new index with the old kind.
        self._search_lock = threading.Lock()
        super().__init__(folder, model, dim)

    # --- the store ------------------------------------------------------------------
    def _reset(self) -> None:
        self._set(faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim)) if self.cfg.index_type != "hnsw" else self._new_hnsw())

    def _new_hnsw(self) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexHNSWFlat(self.dim, self.cfg.hnsw_m, faiss.METRIC_INNER_PRODUCT))

    def _set(self, index: faiss.Index) -> None:
        """Adopt `index` as the store and derive the id bookkeeping from it."""
        self._index = index
        self._trained_on = int(index.ntotal)
        self._kind = _kind_of(index)
        if self._kind.startswith("hnsw"):
            labels = self._labels()
            self._pos: dict[int, int] = {int(i): p for p, i in enumerate(labels.tolist()) if i >= 0}
            self._ids: set[int] = set(self._pos)
            self._dead = int(len(labels) - len(self._pos))
        else:
            self._pos = {}
            self._dead = 0
            if self._kind.startswith("ivf"):
                ivf = faiss.extract_index_ivf(index)
                ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
                self._ids = set(_ivf_ids(ivf).tolist())
            else:
                self._ids = set(faiss.vector_to_array(index.id_map).tolist()) if index.ntotal else set()

    def _labels(self) -> np.ndarray:
        """The slot -> id map of an IDMap2, as a writable view (valid until the next add)."""
        n = self._index.id_map.size()
        return faiss.rev_swig_ptr(self._index.id_map.data(), n) if n else np.zeros(0, dtype=np.int64)

    def _read_snapshot(self, path: Path) -> None:
        self._set(faiss.read_index(str(path)))
        want = self._wanted_kind()
        if self._kind != want and not (want.startswith("ivf") and self._kind == "flat"):
            ids, vecs = self._all()
            self._rebuild(ids, vecs, want)
            self._restructured = True  # the next save writes the configured structure

    def _write_snapshot(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def _wanted_kind(self) -> str:
        if self.cfg.index_type == "hnsw":
            return f"hnsw:{self.cfg.hnsw_m}"
        if self.cfg.index_type == "ivf":
            return f"ivf:{self.cfg.ivf_nlist}"
        if self.cfg.index_type == "ivfpq":
            return f"ivfpq:{self.cfg.ivf_nlist}:{self.cfg.ivfpq_m}:{self.cfg.ivfpq_nbits}"
        return "flat"

    def _train_min(self) -> int:
        """How many vectors IVF (or IVF-PQ: its codebooks too) needs to train on: 39 per centroid."""
        if self.cfg.index_type == "ivfpq":
            return 39 * max(self.cfg.ivf_nlist, 2**self.cfg.ivfpq_nbits)
        return 39 * self.cfg.ivf_nlist

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        """Every live (id, vector), in slot order."""
        if self._kind.startswith("ivf"):
            ids = np.asarray(sorted(self._ids), dtype=np.int64)
            return ids, self.vectors(ids)
        if not self._index.ntotal:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        labels = faiss.vector_to_array(self._index.id_map)
        vecs = self._index.index.reconstruct_n(0, self._index.ntotal)
        keep = labels >= 0
        return labels[keep].astype(np.int64), vecs[keep]

    def _rebuild(self, ids: np.ndarray, vecs: np.ndarray, kind: str) -> None:
        """A fresh structure of `kind` holding exactly (ids, vecs): drops tombstones, (re)trains IVF."""
        if kind.startswith("hnsw"):
            index = self._new_hnsw()
        elif kind.startswith("ivf") and len(ids) >= self._train_min():
            quant = faiss.IndexFlatIP(self.dim)
            if kind.startswith("ivfpq"):
                index = faiss.IndexIVFPQ(
                    quant, self.dim, self.cfg.ivf_nlist, self.cfg.ivfpq_m, self.cfg.ivfpq_nbits, faiss.METRIC_INNER_PRODUCT
                )
            else:
                index = faiss.IndexIVFFlat(quant, self.dim, self.cfg.ivf_nlist, faiss.METRIC_INNER_PRODUCT)
            index.train(np.ascontiguousarray(vecs, dtype=np.float32))
            index.set_direct_map_type(faiss.DirectMap.Hashtable)  # the Python wrapper keeps `quant` alive
        else:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), np.ascontiguousarray(ids, dtype=np.int64))
        self._set(index)

    def _apply_add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        # Replacing an id is remove-then-add so an id never holds two vectors.
        present = [i for i in ids.tolist() if i in self._ids]
        if present:
            self._apply_remove(np.asarray(present, dtype=np.int64))
        start = int(self._index.ntotal)
        self._index.add_with_ids(vectors, ids)
        if self._kind.startswith("hnsw"):
            self._pos.update(zip(ids.tolist(), range(start, start + len(ids))))
        self._ids.update(ids.tolist())

    def _apply_remove(self, ids: np.ndarray) -> int:
        if self._kind.startswith("hnsw"):
            labels = self._labels()
            for i in ids.tolist():
                labels[self._pos.pop(i)] = -1  # a tombstone: searches skip it
            self._dead += len(ids)
            n = len(ids)
        else:
            n = int(self._index.remove_ids(ids))
        self._ids.difference_update(ids.tolist())
        return n

    def _before_snapshot(self) -> None:
        if self._dead and self._dead * 5 > self._index.ntotal:
            self._rebuild(*self._all(), self._kind)

    # --- contents -----------------------------------------------------------------
    def count(self) -> int:
        return len(self._ids)

    def ids(self) -> set[int]:
        return set(self._ids)

    def __contains__(self, chunk_id: object) -> bool:
        return int(chunk_id) in self._ids  # type: ignore[call-overload]

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        ids = [int(i) for i in ids]
        missing = [i for i in ids if i not in self._ids]
        if missing:
            raise KeyError(f"{len(missing)} ids have no vector, e.g. {missing[:5]}")
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._kind.startswith("hnsw"):
            keys = np.asarray([self._pos[i] for i in ids], dtype=np.int64)
            return faiss.downcast_index(self._index.index).storage.reconstruct_batch(keys)  # slots, not ids
        return self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    # --- search -------------------------------------------------------------------
    def _ann_ready(self) -> bool:
        """Whether the store is (or can now become) the configured approximate structure."""
        if self.cfg.index_type == "hnsw":
            return True
        return self._kind.startswith("ivf") or self.count() >= self._train_min()

    def build_ann(self) -> bool:
        """Make the store the configured approximate structure now (end of ingest), so no query pays for it.

        Trains IVF once there is enough data (and retrains when the count doubled), rebuilds an HNSW
        graph whose tombstones exceed a fifth of it; a writer then snapshots the result.
        """
        if self.cfg.index_type == "flat" or not self.count() or not self._ann_ready():
            return False
        before = self._index
        if self.cfg.index_type in ("ivf", "ivfpq") and (self._kind == "flat" or self.count() >= 2 * max(self._trained_on, 1)):
            self._rebuild(*self._all(), self._wanted_kind())
        elif self._dead and self._dead * 5 > self._index.ntotal:
            self._rebuild(*self._all(), self._kind)
        if self._index is not before and self._lock_fd is not None and not self.dirty:
            self._compact()  # persist the new structure: a restart loads it instead of rebuilding
        return True

    def search(self, queries: np.ndarray, k: int, ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Inner products (cosines for unit vectors) and chunk ids; -1 pads missing hits.

        `ids` restricts the search to those chunk ids (e.g. from SqlStore.chunk_ids_where).
        """
        q = np.ascontiguousarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        with self._search_lock:
            if self.cfg.index_type in ("ivf", "ivfpq") and self._kind == "flat" and self._ann_ready():
                self._rebuild(*self._all(), self._wanted_kind())  # enough vectors now: train IVF
                self._restructured = True  # a writer's next save persists it
            index, kind, dead, live = self._index, self._kind, self._dead, self._ids
        n = len(live)
        if n == 0 or k <= 0:
            return np.zeros((len(q), 0), dtype=np.float32), np.zeros((len(q), 0), dtype=np.int64)
        if ids is None:
            if kind.startswith("hnsw"):
                sel = faiss.IDSelectorRange(*_ALIVE) if dead else None
                return index.search(q, min(k, n), params=faiss.SearchParametersHNSW(sel=sel, efSearch=self.cfg.hnsw_ef_search))
            if kind.startswith("ivf"):  # nprobe per search, not set on the shared index
                return index.search(q, min(k, n), params=faiss.SearchParametersIVF(nprobe=self.cfg.ivf_nprobe))
            return index.search(q, min(k, n))
        allowed = np.asarray(sorted(set(int(i) for i in ids) & live), dtype=np.int64)
        if not len(allowed):
            return np.zeros((len(q), 0), dtype=np.float32), np.zeros((len(q), 0), dtype=np.int64)
        sel = faiss.IDSelectorBatch(allowed)
        kk = min(k, len(allowed))
        if kind == "flat":
            return index.search(q, kk, params=faiss.SearchParameters(sel=sel))
        if len(allowed) <= _EXACT_BELOW:
            # Small allowed sets: exact over their vectors is both exact and fast.
            sub = faiss.IndexFlatIP(self.dim)
            sub.add(self.vectors(allowed))
            scores, pos = sub.search(q, kk)
            return scores, np.where(pos >= 0, allowed[np.clip(pos, 0, None)], -1)
        if kind.startswith("hnsw"):
            params = faiss.SearchParametersHNSW(sel=sel, efSearch=max(self.cfg.hnsw_ef_search, k))
        else:
            params = faiss.SearchParametersIVF(sel=sel, nprobe=self.cfg.ivf_nprobe)
        return index.search(q, kk, params=params)


def _kind_of(index: faiss.Index) -> str:
    """`flat`, `hnsw:<M>`, `ivf:<nlist>` or `ivfpq:<nlist>:<m>:<nbits>`: what a loaded index is, to compare with the config."""
    index = faiss.downcast_index(index)
    if isinstance(index, faiss.IndexIVFPQ):
        return f"ivfpq:{index.nlist}:{index.pq.M}:{index.pq.nbits}"
    if isinstance(index, faiss.IndexIVF):
        return f"ivf:{index.nlist}"
    inner = faiss.downcast_index(index.index)
    if isinstance(inner, faiss.IndexHNSW):
        return f"hnsw:{inner.hnsw.nb_neighbors(1)}"
    return "flat"


def _ivf_ids(ivf: faiss.IndexIVF) -> np.ndarray:
    """Every id stored in an IVF's inverted lists."""
    invlists = ivf.invlists
    out = [faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy() for i in range(ivf.nlist) if invlists.list_size(i)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
