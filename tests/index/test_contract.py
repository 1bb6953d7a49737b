"""The VectorIndex contract, run against every implementation: FAISS flat / HNSW / IVF and exact NumPy."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grounding.config import StorageConfig
from grounding.index.base import IndexBusy, IndexModelMismatch, VectorIndex
from grounding.index.factory import make_index, peek_index

BACKENDS = {
    "faiss-flat": StorageConfig(),
    "faiss-hnsw": StorageConfig(index_type="hnsw", hnsw_m=16),
    # nprobe = nlist: every list is visited, so the approximate answers are the exact ones here.
    "faiss-ivf": StorageConfig(index_type="ivf", ivf_nlist=4, ivf_nprobe=4),
    "numpy": StorageConfig(index_backend="numpy"),
}


def _vecs(n, dim=16, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=list(BACKENDS))
def opener(request, tmp_path):
    cfg = BACKENDS[request.param]
    return lambda model="m", dim=16: make_index(cfg, tmp_path, model, dim)


def test_add_remove_replace_contains_count_and_vectors(opener):
    idx = opener()
    assert isinstance(idx, VectorIndex) and idx.count() == 0 and 5 not in idx
    v = _vecs(400)
    idx.add(np.arange(400), v)
    g = idx.generation
    assert idx.count() == 400 and idx.ids() == set(range(400)) and 5 in idx
    assert idx.remove([5, 6, 6, 9999]) == 2 and idx.generation > g
    assert idx.count() == 398 and 5 not in idx and idx.remove([5]) == 0
    new = _vecs(1, seed=9)
    idx.add(np.array([7]), new)  # replace: still one vector for id 7
    assert idx.count() == 398
    got = idx.vectors([300, 7, 10])  # rows in the order asked
    assert np.allclose(got, np.vstack([v[300], new[0], v[10]]))
    with pytest.raises(KeyError):
        idx.vectors([5])
    with pytest.raises(ValueError):
        idx.add(np.array([1, 1]), _vecs(2))
    with pytest.raises(ValueError):
        idx.add(np.array([1]), _vecs(1, dim=8))


def test_search_returns_the_nearest_with_scores_and_honours_an_id_filter(opener):
    idx = opener()
    assert idx.search(_vecs(1)[0], 3)[1].shape == (1, 0)  # empty index
    v = _vecs(400)
    idx.add(np.arange(1000, 1400), v)
    scores, ids = idx.search(v[[3, 77]], 4)
    assert ids.shape == scores.shape == (2, 4)
    assert ids[:, 0].tolist() == [1003, 1077] and np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    _, ids = idx.search(v[3], 5, ids=[1010, 1011, 1012, 5])
    assert set(ids[0].tolist()) == {1010, 1011, 1012}
    assert idx.search(v[3], 5, ids=[5])[1].shape == (1, 0)
    idx.remove([1003])
    _, ids = idx.search(v[3], 10)
    assert 1003 not in ids[0].tolist()
    _, ids = idx.search(v[3], 1000)
    got = [i for i in ids[0].tolist() if i >= 0]
    assert len(got) == len(set(got)) and set(got) <= idx.ids()  # each id once, never a removed one
    if getattr(getattr(idx, "cfg", None), "index_type", "flat") != "hnsw":  # HNSW may miss a few: approximate
        assert set(got) == idx.ids()  # k > count: everything


def test_persist_reload_and_one_writer(opener, tmp_path):
    idx = opener()
    v = _vecs(50)
    idx.add(np.arange(50), v)
    assert idx.dirty
    idx.save()
    assert not idx.dirty and peek_index(tmp_path) == {"model": "m", "dim": 16, "count": 50}
    reader = opener()
    assert reader.ids() == set(range(50)) and np.allclose(reader.vectors([4, 49]), v[[4, 49]])
    idx.remove([3])
    idx.add(np.array([60]), _vecs(1, seed=2))
    idx.save()
    g = reader.generation
    assert reader.reload_if_changed() and reader.generation > g
    assert 3 not in reader and 60 in reader and not reader.reload_if_changed()
    with idx.writer():
        with pytest.raises(IndexBusy):
            with reader.writer():
                pass
    with pytest.raises(IndexModelMismatch):
        opener(model="other")


def test_a_torn_log_tail_is_ignored(opener, tmp_path):
    idx = opener()
    idx.add(np.arange(5), _vecs(5))
    idx.save()
    idx.add(np.arange(5, 8), _vecs(3, seed=3))
    idx.save()
    log = tmp_path / json.loads((tmp_path / "vectors.json").read_text())["log"]
    good = log.stat().st_size
    idx.add(np.arange(8, 10), _vecs(2, seed=4))
    idx.save()
    with open(log, "r+b") as fh:  # a kill in the middle of the last append
        fh.truncate(good + 30)
    again = opener()
    assert again.ids() == set(range(8))
    again.add(np.array([42]), _vecs(1, seed=5))
    again.save()
    assert opener().ids() == set(range(8)) | {42}
