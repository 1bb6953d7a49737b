"""NumpyIndex: the exact reference; it ranks as FAISS flat does, and refuses another backend's files."""

from __future__ import annotations

import numpy as np
import pytest

from grounding.config import StorageConfig
from grounding.index.base import IndexBackendMismatch
from grounding.index.faiss_index import FaissIndex
from grounding.index.numpy_index import NumpyIndex


def _vecs(n, dim=16, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_rankings_match_faiss_flat_including_duplicate_vectors(tmp_path):
    base = _vecs(40, seed=1)
    rng = np.random.default_rng(2)
    v = base[rng.integers(0, 40, size=300)]  # many exact duplicates: ties in score
    ids = rng.permutation(np.arange(10_000, 10_300))
    f = FaissIndex(tmp_path / "f", "m", 16, StorageConfig())
    n = NumpyIndex(tmp_path / "n", "m", 16)
    for idx in (f, n):
        idx.add(ids[:200], v[:200])
        idx.remove(ids[50:70].tolist())
        idx.add(ids[200:], v[200:])
    q = _vecs(5, seed=3)
    fs, fi = f.search(q, 300)
    ns, ni = n.search(q, 300)
    assert np.array_equal(fi, ni) and np.allclose(fs, ns, atol=1e-6)
    # A cut that falls between distinct scores gives the same hits too.
    distinct = np.flatnonzero(np.diff(fs[0]) < -1e-4)[5] + 1
    assert np.array_equal(f.search(q[:1], int(distinct))[1], n.search(q[:1], int(distinct))[1])
    allowed = ids[100:260].tolist()
    assert np.array_equal(f.search(q, 30, ids=allowed)[1][:, :1], n.search(q, 30, ids=allowed)[1][:, :1])


def test_grows_in_small_batches_and_keeps_insertion_order(tmp_path):
    n = NumpyIndex(tmp_path, "m", 16)
    v = _vecs(3000)
    for i in range(0, 3000, 7):
        n.add(np.arange(i, min(i + 7, 3000)), v[i : i + 7])
    n.remove(range(0, 3000, 2))
    assert n.count() == 1500 and n._row_ids[: n.count()].tolist() == list(range(1, 3000, 2))
    assert np.allclose(n.vectors([2999, 1]), v[[2999, 1]])


def test_refuses_the_files_of_another_backend(tmp_path):
    f = FaissIndex(tmp_path, "m", 16, StorageConfig())
    f.add(np.arange(3), _vecs(3))
    f.save()
    with pytest.raises(IndexBackendMismatch, match="faiss"):
        NumpyIndex(tmp_path, "m", 16)
    other = tmp_path / "np"
    n = NumpyIndex(other, "m", 16)
    n.add(np.arange(3), _vecs(3))
    n.save()
    with pytest.raises(IndexBackendMismatch, match="numpy"):
        FaissIndex(other, "m", 16, StorageConfig())
