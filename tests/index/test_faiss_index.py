import json

import faiss
import numpy as np
import pytest

from grounding.config import StorageConfig
from grounding.index.faiss_index import FaissIndex, IndexModelMismatch, _kind_of


def _vecs(n, dim=16, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_add_remove_replace_and_persist(tmp_path):
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    v = _vecs(10)
    idx.add(np.arange(100, 110), v)
    assert idx.count() == 10 and idx.ids() == set(range(100, 110))
    scores, ids = idx.search(v[3], 1)
    assert ids[0][0] == 103 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    idx.remove([100, 101])
    idx.add(np.array([105]), _vecs(1, seed=9))  # replace: still one vector for id 105
    assert idx.count() == 8
    idx.save()
    again = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert again.ids() == set(range(102, 110))
    assert np.allclose(again.vectors([105])[0], _vecs(1, seed=9)[0])
    assert FaissIndex.peek(tmp_path)["count"] == 8


def test_refuses_to_mix_models(tmp_path):
    idx = FaissIndex(tmp_path, "model-a", 16, StorageConfig())
    idx.add(np.arange(3), _vecs(3))
    idx.save()
    with pytest.raises(IndexModelMismatch, match="model-a"):
        FaissIndex(tmp_path, "model-b", 16, StorageConfig())


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_indexes_follow_removals(tmp_path, kind):
    cfg = StorageConfig(index_type=kind, ivf_nlist=4, ivf_nprobe=4)
    idx = FaissIndex(tmp_path, "m", 16, cfg)
    v = _vecs(400)
    idx.add(np.arange(400), v)
    _, ids = idx.search(v[7], 1)
    assert ids[0][0] == 7
    idx.remove([7])
    _, ids = idx.search(v[7], 5)
    assert 7 not in ids[0].tolist()


def test_saves_append_to_a_log_and_compact_when_it_outgrows_the_snapshot(tmp_path, monkeypatch):
    import grounding.index.log as fi

    monkeypatch.setattr(fi, "_MIN_COMPACT_BYTES", 0)
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    idx.add(np.arange(10), _vecs(10))
    idx.save()  # first save: snapshot of epoch 1
    manifest = json.loads((tmp_path / "vectors.json").read_text())
    assert manifest["epoch"] == 1 and (tmp_path / manifest["log"]).stat().st_size == 0
    idx.add(np.arange(10, 12), _vecs(2, seed=1))
    idx.save()  # small change: appended, no new snapshot
    log = tmp_path / manifest["log"]
    assert 0 < log.stat().st_size < (tmp_path / manifest["snapshot"]).stat().st_size
    assert FaissIndex.peek(tmp_path)["count"] == 12
    idx.add(np.arange(100, 140), _vecs(40, seed=2))
    idx.remove([0, 1])
    idx.save()  # the log is now bigger than the snapshot: compacted into epoch 2
    manifest = json.loads((tmp_path / "vectors.json").read_text())
    assert manifest["epoch"] == 2 and not log.exists()
    again = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert again.ids() == set(range(2, 12)) | set(range(100, 140)) and again.count() == 50


def test_a_torn_log_tail_is_ignored_and_cut_by_the_next_writer(tmp_path):
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
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
    again = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert again.ids() == set(range(8)) and FaissIndex.peek(tmp_path)["count"] == 8
    again.add(np.array([42]), _vecs(1, seed=5))
    again.save()
    assert FaissIndex(tmp_path, "m", 16, StorageConfig()).ids() == set(range(8)) | {42}


def test_leftovers_of_an_interrupted_compaction_are_harmless(tmp_path):
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    idx.add(np.arange(4), _vecs(4))
    idx.save()
    # A kill after writing the next epoch's files but before switching the manifest.
    (tmp_path / "vectors.2.faiss").write_bytes(b"partial")
    (tmp_path / "vectors.2.log").write_bytes(b"")
    (tmp_path / "vectors.2.faiss.tmp").write_bytes(b"partial")
    again = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert again.ids() == set(range(4))
    again._compact()
    assert again.ids() == set(range(4)) and not (tmp_path / "vectors.2.faiss.tmp").exists()
    assert FaissIndex(tmp_path, "m", 16, StorageConfig()).ids() == set(range(4))


def test_filtered_search_and_a_reader_picking_up_a_writers_changes(tmp_path):
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    v = _vecs(50)
    idx.add(np.arange(50), v)
    idx.save()
    _, ids = idx.search(v[3], 5, ids=[10, 11, 12])
    assert set(ids[0].tolist()) == {10, 11, 12}
    _, ids = idx.search(v[3], 5, ids=[999])
    assert ids.shape[1] == 0
    reader = FaissIndex(tmp_path, "m", 16, StorageConfig())
    idx.remove([3])
    idx.save()
    assert reader.reload_if_changed() and 3 not in reader.ids()
    assert not reader.reload_if_changed()


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_the_approximate_index_is_the_only_copy_and_is_what_the_snapshot_holds(tmp_path, kind):
    cfg = StorageConfig(index_type=kind, ivf_nlist=4, ivf_nprobe=4)
    idx = FaissIndex(tmp_path, "m", 16, cfg)
    v = _vecs(300)
    with idx.writer():
        idx.add(np.arange(300), v)
        idx.save()
        assert idx.build_ann()
    # One faiss structure in memory, the approximate one: no exact flat store beside it.
    held = [x for x in vars(idx).values() if isinstance(x, faiss.Index)]
    assert held == [idx._index] and _kind_of(idx._index).startswith(kind)
    snap = tmp_path / json.loads((tmp_path / "vectors.json").read_text())["snapshot"]
    assert _kind_of(faiss.read_index(str(snap))).startswith(kind)  # persisted as built: a restart rebuilds nothing
    again = FaissIndex(tmp_path, "m", 16, cfg)
    assert again._kind == idx._kind and not again._restructured
    _, ids = again.search(v[9], 1)
    assert ids[0][0] == 9
    _, ids = again.search(v[9], 3, ids=list(range(100, 300)))
    assert all(i >= 100 for i in ids[0].tolist())
    assert np.allclose(again.vectors([9, 250]), v[[9, 250]])
    again.add(np.array([9]), v[[10]])  # replace inside the approximate structure
    again.remove([250])
    assert again.count() == 299 and np.allclose(again.vectors([9]), v[[10]]) and 250 not in again
    _, ids = again.search(v[10], 2)
    assert set(ids[0].tolist()) == {9, 10}
    again.save()
    assert FaissIndex(tmp_path, "m", 16, cfg).ids() == set(range(300)) - {250}


def test_hnsw_removals_are_tombstones_skipped_by_search_and_dropped_by_a_rebuild(tmp_path):
    cfg = StorageConfig(index_type="hnsw", hnsw_m=16)
    idx = FaissIndex(tmp_path, "m", 16, cfg)
    v = _vecs(200)
    idx.add(np.arange(200), v)
    idx.remove(range(0, 60))
    idx.add(np.array([100]), _vecs(1, seed=7))  # a replacement leaves a tombstone too
    assert idx.count() == 140 and idx._index.ntotal == 201 and idx._dead == 61
    _, ids = idx.search(v[:60], 5)
    assert not set(ids.ravel().tolist()) & set(range(60))
    _, ids = idx.search(v[100], 200)
    assert ids[0].tolist().count(100) == 1  # the old vector's slot is never a second hit
    assert np.allclose(idx.vectors([100])[0], _vecs(1, seed=7)[0])
    with pytest.raises(KeyError):
        idx.vectors([3])
    idx.save()  # the first save writes a snapshot: over a fifth dead, so the graph is rebuilt first
    assert idx._index.ntotal == 140 and idx._dead == 0
    again = FaissIndex(tmp_path, "m", 16, cfg)
    assert again.ids() == set(range(60, 200)) and again._index.ntotal == 140
    assert np.allclose(again.vectors([100])[0], _vecs(1, seed=7)[0])


def test_a_snapshot_of_another_structure_is_converted_and_rewritten_by_the_next_save(tmp_path):
    v = _vecs(120)
    flat = FaissIndex(tmp_path, "m", 16, StorageConfig())
    flat.add(np.arange(120), v)
    flat.save()
    hnsw = FaissIndex(tmp_path, "m", 16, StorageConfig(index_type="hnsw"))
    assert hnsw._kind == "hnsw:32" and hnsw._restructured and hnsw.ids() == set(range(120))
    assert FaissIndex(tmp_path, "m", 16, StorageConfig())._kind == "flat"  # a reader converts in memory only
    hnsw.save()
    snap = tmp_path / json.loads((tmp_path / "vectors.json").read_text())["snapshot"]
    assert _kind_of(faiss.read_index(str(snap))) == "hnsw:32"
    back = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert back._kind == "flat" and np.allclose(back.vectors(range(120)), v)


def test_old_approximate_index_cache_files_are_removed(tmp_path):
    (tmp_path / "vectors.ann.faiss").write_bytes(b"old")
    (tmp_path / "vectors.ann.faiss.stamp").write_text("hnsw:32:x")
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    idx.add(np.arange(3), _vecs(3))
    idx.save()
    assert not (tmp_path / "vectors.ann.faiss").exists() and not (tmp_path / "vectors.ann.faiss.stamp").exists()


def test_reads_the_first_on_disk_format(tmp_path):
    ex = faiss.IndexIDMap2(faiss.IndexFlatIP(16))
    ex.add_with_ids(_vecs(3), np.array([7, 8, 9], dtype=np.int64))
    faiss.write_index(ex, str(tmp_path / "vectors.faiss"))
    (tmp_path / "vectors.json").write_text(json.dumps({"model": "m", "dim": 16, "generation": 1, "count": 3}))
    idx = FaissIndex(tmp_path, "m", 16, StorageConfig())
    assert idx.ids() == {7, 8, 9}
    idx.remove([7])
    idx.save()  # upgraded to the log format
    assert FaissIndex(tmp_path, "m", 16, StorageConfig()).ids() == {8, 9} and not (tmp_path / "vectors.faiss").exists()


def test_concurrent_first_searches_train_ivf_once_and_agree(tmp_path, monkeypatch):
    # Regression: the server searches from several threads; the first searches over a flat store with
    # enough vectors each trained IVF (and set nprobe on the shared index) with nothing to stop the others.
    import threading

    cfg = StorageConfig(index_type="ivf", ivf_nlist=2, ivf_nprobe=2)
    writer = FaissIndex(tmp_path, "m", 16, cfg)
    v = _vecs(400)
    writer.add(np.arange(400), v)
    assert _kind_of(writer._index) == "flat"  # no search and no build_ann yet: still the flat store
    writer.save()
    reader = FaissIndex(tmp_path, "m", 16, cfg)
    rebuilds = []
    real = reader._rebuild
    monkeypatch.setattr(reader, "_rebuild", lambda *a: (rebuilds.append(1), real(*a)))
    start, results = threading.Barrier(8), [None] * 8

    def search(i):
        start.wait()
        results[i] = reader.search(v[:5], 3)[1].tolist()

    threads = [threading.Thread(target=search, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(rebuilds) == 1 and reader._kind.startswith("ivf")
    assert all(r == results[0] for r in results) and [row[0] for row in results[0]] == [0, 1, 2, 3, 4]
