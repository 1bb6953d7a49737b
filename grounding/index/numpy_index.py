"""An exact vector index in plain NumPy: the second VectorIndex, and the reference FAISS flat is held to.

Why: it shows (and tests) that nothing outside `index/` depends on FAISS, it has no native
dependency, and for a few hundred thousand vectors a matrix-vector product is as fast as
FAISS flat. Persistence is the same crash-safe manifest + log as FaissIndex (index/log.py);
the snapshot is an `.npz` of `ids` (int64) and `vectors` (float32, one row per id).

Vectors are kept in insertion order (removal closes the gap, as FAISS flat does), and ties in
score are ordered as FAISS flat orders them for a full result (later slot first), so swapping
this in for `index_type = "flat"` gives the same rankings.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from grounding.index.log import LoggedIndex


class NumpyIndex(LoggedIndex):
    """Exact inner-product search over a float32 matrix; ids map to rows."""

    EXT = ".npz"
    BACKEND = "numpy"

    # --- the store ------------------------------------------------------------------
    def _reset(self) -> None:
        self._buf = np.zeros((0, self.dim), dtype=np.float32)  # rows [0, _n) are live; the rest is growth room
        self._row_ids = np.zeros(0, dtype=np.int64)
        self._n = 0
        self._row: dict[int, int] = {}

    def _read_snapshot(self, path: Path) -> None:
        with np.load(path) as z:
            ids, vecs = z["ids"].astype(np.int64, copy=False), z["vectors"].astype(np.float32, copy=False)
        self._buf, self._row_ids, self._n = np.ascontiguousarray(vecs), ids, len(ids)
        self._row = {int(i): r for r, i in enumerate(ids.tolist())}

    def _write_snapshot(self, path: Path) -> None:
        with open(path, "wb") as fh:
            np.savez(fh, ids=self._row_ids[: self._n], vectors=self._buf[: self._n])

    def _apply_add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        present = [i for i in ids.tolist() if i in self._row]
        if present:
            self._apply_remove(np.asarray(present, dtype=np.int64))
        need = self._n + len(ids)
        if need > len(self._buf):  # grow by doubling: adds in small batches stay linear overall
            cap = max(need, 2 * len(self._buf), 1024)
            buf = np.zeros((cap, self.dim), dtype=np.float32)
            buf[: self._n] = self._buf[: self._n]
            rid = np.zeros(cap, dtype=np.int64)
            rid[: self._n] = self._row_ids[: self._n]
            self._buf, self._row_ids = buf, rid
        self._buf[self._n : need] = vectors
        self._row_ids[self._n : need] = ids
        self._row.update(zip(ids.tolist(), range(self._n, need)))
        self._n = need

    def _apply_remove(self, ids: np.ndarray) -> int:
        gone = np.zeros(self._n, dtype=bool)
        gone[[self._row[i] for i in ids.tolist()]] = True
        keep = ~gone
        m = int(keep.sum())
        self._buf[:m] = self._buf[: self._n][keep]
        self._row_ids[:m] = self._row_ids[: self._n][keep]
        self._n = m
        self._row = {int(i): r for r, i in enumerate(self._row_ids[:m].tolist())}
        return len(ids)

    # --- contents -----------------------------------------------------------------
    def count(self) -> int:
        return self._n

    def ids(self) -> set[int]:
        return set(self._row)

    def __contains__(self, chunk_id: object) -> bool:
        return int(chunk_id) in self._row  # type: ignore[call-overload]

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        ids = [int(i) for i in ids]
        missing = [i for i in ids if i not in self._row]
        if missing:
            raise KeyError(f"{len(missing)} ids have no vector, e.g. {missing[:5]}")
        return self._buf[[self._row[i] for i in ids]].reshape(len(ids), self.dim)

    def build_ann(self) -> bool:
        return False  # always exact: nothing to build

    # --- search -------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int, ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Inner products and chunk ids, best first; -1 pads missing hits."""
        q = np.ascontiguousarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if self._n == 0 or k <= 0:
            return np.zeros((len(q), 0), dtype=np.float32), np.zeros((len(q), 0), dtype=np.int64)
        if ids is None:
            rows = np.arange(self._n)
        else:
            rows = np.asarray(sorted(self._row[i] for i in {int(x) for x in ids} if i in self._row), dtype=np.int64)
            if not len(rows):
                return np.zeros((len(q), 0), dtype=np.float32), np.zeros((len(q), 0), dtype=np.int64)
        kk = min(k, len(rows))
        mat = self._buf[: self._n] if ids is None else self._buf[rows]
        out_s = np.empty((len(q), kk), dtype=np.float32)
        out_i = np.empty((len(q), kk), dtype=np.int64)
        for j, qv in enumerate(q):
            scores = mat @ qv
            top = _top(scores, kk)
            out_s[j] = scores[top]
            out_i[j] = self._row_ids[rows[top]]
        return out_s, out_i


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores: at the cut, earlier positions win ties; in the result, a tie lists the later first.

    That is the order FAISS flat gives a full result, so this index ranks duplicates as it does.
    """
    if k < len(scores):
        cut = np.partition(scores, len(scores) - k)[len(scores) - k]
        cand = np.flatnonzero(scores >= cut)
        if len(cand) > k:
            cand = cand[np.lexsort((cand, -scores[cand]))][:k]
    else:
        cand = np.arange(len(scores))
    return cand[np.lexsort((-cand, -scores[cand]))]
