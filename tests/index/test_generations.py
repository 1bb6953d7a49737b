"""Published index generations (grounding/index/generations.py): immutable folders, a whole switch, leases.

Real parts: the NumPy and FAISS backends on disk, leases in a real SQLite store.
"""

from __future__ import annotations

import numpy as np
import pytest

from grounding.config import StorageConfig
from grounding.index.factory import make_index
from grounding.index.generations import (
    IndexReadOnly,
    PublishedIndex,
    generations_dir,
    publish,
    published,
    read_current,
)
from grounding.store.sql import SqlStore

DIM = 8


def _vecs(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["numpy", "faiss"])
def setup(request, tmp_path):
    cfg = StorageConfig(index_backend=request.param)
    folder = tmp_path / "index"
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")

    def open_folder(f):
        return make_index(cfg, f, "m", DIM)

    def reader(holder: str = "") -> PublishedIndex:
        return PublishedIndex(folder, "m", DIM, open_folder, store, ttl_s=60.0, holder=holder)

    yield folder, store, open_folder, reader
    store.dispose()


def _snapshot(folder):
    """Every file of every generation with its bytes: what 'never modified after publish' is checked against."""
    root = generations_dir(folder)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != "CURRENT"}


def test_a_reader_switches_whole_to_each_published_generation(setup):
    folder, store, open_folder, reader = setup
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(10), _vecs(10, 1))
        w.save()
        assert publish(w, store, 60.0) == 1
    r = reader()
    assert r.count() == 10 and r.published_generation == 1
    first = _snapshot(folder)
    old = r._cur  # what a search in flight holds
    with w.writer():
        w.add(np.arange(10, 25), _vecs(15, 2))
        w.remove([0, 1])
        w.save()
        assert publish(w, store, 60.0) == 2
    # Generation 1 is untouched by the second publish (a reader may be opening it).
    assert {k: v for k, v in _snapshot(folder).items() if k.startswith("00000001/")} == first
    assert r.reload_if_changed() is True
    assert r.published_generation == 2 and r.count() == 23 and 0 not in r and 24 in r
    assert old.count() == 10 and 0 in old  # the old object still answers as generation 1 did
    q = _vecs(1, 2)[:1]
    _, i_new = r.search(q, 5)
    _, i_w = w.search(q, 5)
    assert i_new.tolist() == i_w.tolist()
    assert r.reload_if_changed() is False


def test_old_generations_are_deleted_only_when_no_lease_holds_them(setup):
    folder, store, open_folder, reader = setup
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(4), _vecs(4, 3))
        publish(w, store, 60.0)
    slow, fast = reader("slow"), reader("fast")
    assert slow.count() == fast.count() == 4  # both hold generation 1
    with w.writer():
        w.add([100], _vecs(1, 4))
        publish(w, store, 60.0)
    assert published(folder) == [1, 2]  # 1 is leased: kept
    fast.reload_if_changed()
    with w.writer():
        w.add([101], _vecs(1, 5))
        publish(w, store, 60.0)
    assert published(folder) == [1, 2, 3]  # slow holds 1, fast holds 2
    slow.reload_if_changed()
    fast.reload_if_changed()
    with w.writer():
        assert publish(w, store, 60.0) is None  # nothing changed: no new generation, but old ones collected
    assert published(folder) == [3]
    assert slow.count() == fast.count() == 6


def test_a_lapsed_lease_does_not_keep_a_generation(setup):
    folder, store, open_folder, reader = setup
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(3), _vecs(3, 6))
        publish(w, store, 60.0)
    dead = reader("crashed-server")
    dead.count()  # holds generation 1, then never renews
    with w.writer():
        w.add([7], _vecs(1, 7))
        publish(w, store, 60.0)
        assert published(folder) == [1, 2]
        publish(w, store, ttl_s=0.0)  # as if the TTL had passed
    assert published(folder) == [2]
    assert store.leased_generations(60.0) == set()  # the lapsed row is gone too


def test_a_reader_of_a_folder_with_no_generation_publishes_the_working_index_once(setup):
    folder, _store, open_folder, reader = setup
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(5), _vecs(5, 8))
        w.save()
    del w
    r = reader()
    assert r.count() == 5 and r.published_generation == 1
    assert read_current(folder)["count"] == 5
    again = reader()
    assert again.count() == 5 and again.published_generation == 1  # the second reader finds it published
    assert published(folder) == [1]


def test_a_reader_before_any_ingest_is_empty_and_picks_up_the_first_generation(setup):
    folder, store, open_folder, reader = setup
    r = reader()
    assert r.count() == 0 and r.search(_vecs(1, 9), 3)[1].shape[1] == 0
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(2), _vecs(2, 9))
        publish(w, store, 60.0)
    assert r.reload_if_changed() and r.count() == 2


def test_a_generation_deleted_while_it_is_being_opened_is_skipped_for_the_current_one(setup, monkeypatch):
    folder, store, open_folder, reader = setup
    w = open_folder(folder)
    with w.writer():
        w.add(np.arange(2), _vecs(2, 10))
        publish(w, store, 60.0)
    r = reader()
    real_load = PublishedIndex._load
    calls = []

    def racing_load(self, n):
        calls.append(n)
        if len(calls) == 1:  # the writer publishes 2 and deletes 1 right after we read CURRENT = 1
            with w.writer():
                w.add([9], _vecs(1, 11))
                publish(w, store, ttl_s=0.0)
        return real_load(self, n)

    monkeypatch.setattr(PublishedIndex, "_load", racing_load)
    store.release_lease(r.holder)
    assert r.count() == 3 and r.published_generation == 2
    assert calls == [1, 2]


def test_a_published_reader_refuses_writes_and_an_ingest_writes_the_working_index(setup):
    *_, reader = setup
    r = reader()
    with pytest.raises(IndexReadOnly, match="storage.index_generations"):
        r.add([1], _vecs(1, 12))
    with pytest.raises(IndexReadOnly):
        r.writer()
    with r.working.writer():
        r.working.add([1, 2], _vecs(2, 12))
        assert r.publish() == 1
    assert r.reload_if_changed() and r.count() == 2
