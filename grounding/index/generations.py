"""Published index generations: several servers read one index that an ingest keeps changing.

Why: the working index (index/, format in log.py) is changed in place by the one writer, and a
reader that reloads it in place could be caught half-way. With `storage.index_generations` on,
every ingest ends by *publishing* what it saved as an immutable generation, and readers only
ever open published ones:

- `index/generations/<n>/`  a complete index folder in the log.py format (manifest, snapshot,
  log), never modified after it is published. The snapshot is a hard link to the working one
  (snapshots are immutable; a copy where links are not possible), the log a copy of its saved
  prefix, so publishing costs the size of the log, not of the index.
- `index/generations/CURRENT`  JSON naming the newest generation; replaced atomically (write,
  fsync, rename), it is the only commit point of a publish.

A reader (`PublishedIndex`, what a server's retrieval uses) loads the generation CURRENT names
into a fresh in-memory index and swaps one reference: a search in flight keeps the object it
started with, so no request ever sees half of two generations. Before loading generation n it
takes a lease on n (a row in SQL, grounding/store/leases.py) and renews it every poll. After a
publish, the writer deletes every generation that is neither current nor named by a live lease
(renamed aside first, then removed), so a generation stays on disk while any reader may still
be opening it. A reader that finds its generation gone (deleted between reading CURRENT and
opening it) simply reads CURRENT again.

The working folder's files are unchanged, so turning the setting on or off needs no migration:
the first reader of a folder with no generation yet publishes one from the working index (when
no ingest holds it).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from grounding.index.base import IndexBusy
from grounding.atomic_write import atomic_write_bytes, fsync_dir
from grounding.index.log import LoggedIndex

if TYPE_CHECKING:  # the store implements it; the index only calls it
    from grounding.store.leases import IndexLeases

log = logging.getLogger("grounding.index")

GENERATIONS = "generations"
CURRENT = "CURRENT"


class IndexReadOnly(RuntimeError):
    """A published generation cannot be changed: an ingest writes the working index and publishes."""


def generations_dir(folder: Path) -> Path:
    return Path(folder) / GENERATIONS


def _name(n: int) -> str:
    return f"{n:08d}"


def read_current(folder: Path) -> dict | None:
    """What CURRENT says ({"generation", "count", "state", ...}), or None before the first publish."""
    path = generations_dir(folder) / CURRENT
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def published(folder: Path) -> list[int]:
    """The generation numbers on disk, oldest first."""
    root = generations_dir(folder)
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def publish(index: LoggedIndex, leases: IndexLeases, ttl_s: float) -> int | None:
    """Publish what `index` (the working index, held for writing) has saved; returns the new generation.

    Nothing is published when the current generation already holds this state (an ingest that
    changed nothing). Old generations no live lease names are deleted afterwards.
    """
    if index.dirty:
        index.save()
    root = generations_dir(index.folder)
    root.mkdir(exist_ok=True)
    current = read_current(index.folder)
    manifest = index._manifest
    if manifest is None:  # nothing saved yet: an empty index is published as an empty generation
        index._compact()
        manifest = index._manifest
    if current is not None and current.get("state") == index.state and (root / _name(int(current["generation"]))).is_dir():
        _collect(index.folder, leases, ttl_s)
        return None
    n = max([int((current or {}).get("generation", 0)), *published(index.folder)]) + 1
    tmp = root / f".{_name(n)}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    snap = manifest["snapshot"]
    try:
        os.link(index.folder / snap, tmp / snap)
    except OSError:  # another file system, or one without hard links (an object-store mount)
        shutil.copyfile(index.folder / snap, tmp / snap)
    log_name = manifest.get("log") or ""
    if log_name:
        with open(index.folder / log_name, "rb") as src, open(tmp / log_name, "wb") as dst:
            dst.write(src.read(index._log_len))
            dst.flush()
            os.fsync(dst.fileno())
    meta = {**manifest, "state": index.state, "count": index.count(), "published": n}
    atomic_write_bytes(tmp / LoggedIndex.META, json.dumps(meta).encode())
    fsync_dir(tmp)
    os.rename(tmp, root / _name(n))
    fsync_dir(root)
    pointer = {"generation": n, "count": index.count(), "state": index.state, "model": index.model, "dim": index.dim,
               "published_at": time.time()}
    atomic_write_bytes(root / CURRENT, json.dumps(pointer).encode())
    log.info("published index generation %d (%d vectors)", n, index.count())
    _collect(index.folder, leases, ttl_s)
    return n


def _collect(folder: Path, leases: IndexLeases, ttl_s: float) -> list[int]:
    """Delete generations that are not current and that no live lease holds; returns those deleted."""
    root = generations_dir(folder)
    current = read_current(folder)
    keep = {int(current["generation"])} if current else set()
    keep |= leases.leased_generations(ttl_s)
    gone: list[int] = []
    for n in published(folder):
        if n in keep:
            continue
        trash = root / f".trash-{_name(n)}-{uuid.uuid4().hex[:8]}"
        try:
            os.rename(root / _name(n), trash)  # one atomic step: a reader sees the folder whole or not at all
        except OSError:
            continue
        shutil.rmtree(trash, ignore_errors=True)
        gone.append(n)
    for p in root.iterdir():  # leftovers of a killed publish or delete (we hold the writer lock)
        if p.name.startswith(".trash-") or ".tmp-" in p.name:
            shutil.rmtree(p, ignore_errors=True)
    if gone:
        log.info("deleted index generations %s (no reader holds them)", gone)
    return gone


class PublishedIndex:
    """The VectorIndex a server reads: the newest published generation, switched whole.

    Reads go to one loaded generation at a time; `reload_if_changed()` (called by the server's
    poller every `storage.generation_poll_s`, and by POST /index/reload) renews this process's
    lease and, when CURRENT names a newer generation, loads it beside the old one and swaps.
    `working` is the writable working index, for an ingest in this process; `publish()` ends it.
    """

    def __init__(
        self,
        folder: Path,
        model: str,
        dim: int,
        open_folder: Callable[[Path], LoggedIndex],
        leases: IndexLeases,
        ttl_s: float = 60.0,
        holder: str = "",
    ) -> None:
        self.folder = Path(folder)
        self.model = model
        self.dim = int(dim)
        self._open = open_folder
        self.leases = leases
        self.ttl_s = ttl_s
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._cur: LoggedIndex | None = None
        self._gen = 0  # the published generation loaded (0: none yet)
        self._renewed = 0.0
        self._lock = threading.Lock()  # one reload at a time; searches never wait on it
        self._working: LoggedIndex | None = None

    # --- the generation in use -------------------------------------------------------
    def _index(self) -> LoggedIndex:
        cur = self._cur
        if cur is None:
            self.reload_if_changed()
            cur = self._cur
        assert cur is not None
        return cur

    @property
    def published_generation(self) -> int:
        """The number of the generation being read (0 before any was published)."""
        return self._gen

    def reload_if_changed(self) -> bool:
        """Renew the lease; load and switch to a newer published generation. True if it switched."""
        with self._lock:
            now = time.monotonic()
            cur = read_current(self.folder)
            if cur is None:
                cur = self._bootstrap()
            if cur is None:  # nothing published and nothing to publish from yet: an empty index
                if self._cur is None:
                    self._cur = self._open_empty()
                return False
            n = int(cur["generation"])
            if n == self._gen and self._cur is not None:
                if now - self._renewed > self.ttl_s / 4:
                    self.leases.lease_generation(self.holder, n)
                    self._renewed = now
                return False
            for _attempt in range(5):
                self.leases.lease_generation(self.holder, n)  # before opening: the writer keeps what is leased
                self._renewed = time.monotonic()
                try:
                    fresh = self._load(n)
                    break
                except FileNotFoundError:
                    # Deleted between our reading CURRENT and leasing it: a newer one is current now.
                    cur = read_current(self.folder) or cur
                    n = int(cur["generation"])
            else:
                if self._gen:
                    self.leases.lease_generation(self.holder, self._gen)
                raise FileNotFoundError(f"index generation {n} in {generations_dir(self.folder)} kept vanishing while it was opened")
            self._cur, self._gen = fresh, n  # one reference swap: searches in flight keep the old object
            log.info("reading index generation %d (%d vectors)", n, fresh.count())
            return True

    def _load(self, n: int) -> LoggedIndex:
        folder = generations_dir(self.folder) / _name(n)
        meta = json.loads((folder / LoggedIndex.META).read_text())  # FileNotFoundError if it is gone
        idx = self._open(folder)
        if idx.count() != int(meta.get("count", idx.count())):
            raise FileNotFoundError(f"{folder} was removed while it was read")
        return idx

    def _open_empty(self) -> LoggedIndex:
        folder = generations_dir(self.folder) / ".empty"
        return self._open(folder)

    def _bootstrap(self) -> dict | None:
        """No generation yet: publish the working index once, if it has been saved and no ingest holds it."""
        if not (self.folder / LoggedIndex.META).exists():
            return None
        try:
            with self.writing() as working:
                publish(working, self.leases, self.ttl_s)
        except IndexBusy:
            return None  # an ingest is running; it publishes when it ends
        finally:
            self._working = None  # a server need not keep the writable copy in memory
        return read_current(self.folder)

    def release(self) -> None:
        """Drop this process's lease (a server shutting down); a crash lets it lapse instead."""
        try:
            self.leases.release_lease(self.holder)
        except Exception as exc:  # the database may be gone already at shutdown
            log.warning("could not release the index lease of %s: %s", self.holder, exc)

    # --- writing: through the working index, then publish ---------------------------
    @property
    def working(self) -> LoggedIndex:
        """The writable working index (index/), opened on first use."""
        if self._working is None:
            self._working = self._open(self.folder)
        return self._working

    @contextmanager
    def writing(self) -> Iterator[LoggedIndex]:
        with self.working.writer() as w:
            yield w

    def publish(self) -> int | None:
        """Publish the working index (called at the end of an ingest, under its writer lock)."""
        n = publish(self.working, self.leases, self.ttl_s)
        if self._cur is not None:
            self.reload_if_changed()
        return n

    # --- VectorIndex reads ----------------------------------------------------------
    def search(self, queries: np.ndarray, k: int, ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        return self._index().search(queries, k, ids)

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        return self._index().vectors(ids)

    def ids(self) -> set[int]:
        return self._index().ids()

    def count(self) -> int:
        return self._index().count()

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._index()

    @property
    def generation(self) -> int:
        """Bumps with every switch (the published number), for caches of search results."""
        return self._gen

    @property
    def dirty(self) -> bool:
        return False

    # --- VectorIndex writes: refused ----------------------------------------------------
    def _refuse(self, *_a, **_k):
        raise IndexReadOnly(
            f"the index in {self.folder} is read from published generations (storage.index_generations): "
            "change it with `grounding ingest`, which publishes a new generation"
        )

    add = _refuse
    remove = _refuse

    def save(self) -> None:
        """Nothing to save: a published generation never changes."""

    def writer(self):
        self._refuse()

    def build_ann(self) -> bool:
        return False
