"""The crash-safe on-disk format shared by every vector index backend: manifest + snapshot + log.

On disk (folder `index/`):

- `vectors.json`       the manifest: embedder model and dim, current epoch, snapshot and log
                       file names. Replaced atomically; it is the only commit point of a
                       compaction.
- `vectors.<E><ext>`   the snapshot of epoch E, in the backend's own format (`.faiss` for
                       FaissIndex, `.npz` for NumpyIndex).
- `vectors.<E>.log`    append-only log of changes since that snapshot: records of
                       (add | remove, ids[, vectors]) with a length and CRC each.

`save()` appends the changes made since the last save and fsyncs: its cost is proportional
to the change, not to the index. When the log outgrows the snapshot, a new snapshot is
written (epoch E+1) and the manifest switched. A SIGKILL at any point leaves either the old
or the new manifest, each naming complete files; a torn record at the log's tail is ignored
(and cut off by the next writer). Leftover files of an unfinished compaction are removed by
the next writer.

A backend subclasses `LoggedIndex` and supplies the in-memory store: `_reset`, `_read_snapshot`,
`_write_snapshot`, `_apply_add`, `_apply_remove`, `count`, `ids`, `__contains__`.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import uuid
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from grounding.atomic_write import atomic_write_bytes
from grounding.index.base import IndexBackendMismatch, IndexBusy, IndexModelMismatch

FORMAT = 2
_MAGIC = b"GVL1"
_HEADER = struct.Struct("<4sBxxxQQ16sII")  # magic, op, n ids, count after, state, payload crc, header crc
_ADD, _REMOVE = 1, 2
_MIN_COMPACT_BYTES = 16 << 20
SNAPSHOT_EXTS = (".faiss", ".npz")


def _header_crc(magic: bytes, op: int, n: int, count: int, state: bytes, pcrc: int) -> int:
    return zlib.crc32(struct.pack("<4sBQQ16sI", magic, op, n, count, state, pcrc))


def _iter_log(data: bytes | memoryview, dim: int, with_payload: bool = True) -> Iterator[tuple[int, int, int, str, memoryview | None, int]]:
    """Valid records of a log: (op, n, count_after, state, payload, end offset). Stops at the first torn one."""
    mv = memoryview(data)
    pos = 0
    size = len(mv)
    while pos + _HEADER.size <= size:
        magic, op, n, count, state, pcrc, hcrc = _HEADER.unpack_from(mv, pos)
        if magic != _MAGIC or hcrc != _header_crc(magic, op, n, count, state, pcrc) or op not in (_ADD, _REMOVE):
            return
        plen = n * 8 + (n * dim * 4 if op == _ADD else 0)
        start = pos + _HEADER.size
        if start + plen > size:
            return
        payload = mv[start : start + plen]
        if with_payload and zlib.crc32(payload) != pcrc:
            return
        pos = start + plen
        yield op, n, count, state.hex(), payload if with_payload else None, pos


def peek(folder: Path) -> dict:
    """A saved index's metadata (model, dim, count) without loading vectors or a model (any backend)."""
    folder = Path(folder)
    meta_path = folder / LoggedIndex.META
    if not meta_path.exists():
        return {}
    meta = json.loads(meta_path.read_text())
    log = meta.get("log")
    if log and (folder / log).exists():
        with open(folder / log, "rb") as fh:
            data = fh.read()
        for _op, _n, count, _state, _payload, _end in _iter_log(data, int(meta["dim"]), with_payload=False):
            meta["count"] = count
    return {k: meta[k] for k in ("model", "dim", "count") if k in meta}


class LoggedIndex:
    """Manifest, log, writer lock and compaction around a backend's in-memory vector store."""

    META = "vectors.json"
    FILE = "vectors.faiss"  # the snapshot name of the first on-disk format (still read)
    LOCK = "write.lock"
    EXT = ".faiss"  # the backend's snapshot extension
    BACKEND = "faiss"  # the `storage.index_backend` value that writes EXT snapshots

    def __init__(self, folder: Path, model: str, dim: int) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.dim = int(dim)
        self._generation = 0  # bumps on every in-memory change
        self._lock_fd: int | None = None
        # Set when the loaded snapshot's structure is not the configured one: the next save rewrites it.
        self._restructured = False
        # Unsaved changes: (op, ids, vectors or None, count after, state after).
        self._pending: list[tuple[int, np.ndarray, np.ndarray | None, int, str]] = []
        self._load()

    # --- the backend's store (overridden) --------------------------------------------
    def _reset(self) -> None:
        """An empty store."""
        raise NotImplementedError

    def _read_snapshot(self, path: Path) -> None:
        raise NotImplementedError

    def _write_snapshot(self, path: Path) -> None:
        raise NotImplementedError

    def _apply_add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add, replacing ids already present."""
        raise NotImplementedError

    def _apply_remove(self, ids: np.ndarray) -> int:
        """Remove ids known to be present."""
        raise NotImplementedError

    def _before_snapshot(self) -> None:
        """A chance to restructure (drop tombstones, retrain) before a new snapshot is written."""

    def count(self) -> int:
        raise NotImplementedError

    def ids(self) -> set[int]:
        raise NotImplementedError

    def __contains__(self, chunk_id: object) -> bool:
        raise NotImplementedError

    # --- loading -------------------------------------------------------------------
    def _load(self, attempts: int = 5) -> None:
        for attempt in range(attempts):
            try:
                self._load_once()
                return
            except FileNotFoundError:
                # A writer compacted between our reading the manifest and the snapshot: retry.
                if attempt == attempts - 1:
                    raise

    def _load_once(self) -> None:
        manifest = self._read_manifest()
        self._manifest = manifest
        self._restructured = False
        if manifest is None:
            self._reset()
            self._log_len = 0
            self.state = "empty"
            self._snapshot_bytes = 0
            return
        if manifest["model"] != self.model or int(manifest["dim"]) != self.dim:
            raise IndexModelMismatch(
                f"the index in {self.folder} was built with embedder {manifest['model']!r} (dim {manifest['dim']}); "
                f"the configured embedder is {self.model!r} (dim {self.dim}). Vectors of two models cannot share an "
                "index: ingest into a new --data-dir, or delete that index folder to rebuild it with the new model "
                "(the reports and chunks in SQL are kept and re-embedded)."
            )
        if not str(manifest["snapshot"]).endswith(self.EXT):
            other = "numpy" if str(manifest["snapshot"]).endswith(".npz") else "faiss"
            raise IndexBackendMismatch(
                f"the index in {self.folder} was written by the {other!r} backend; storage.index_backend is "
                f"{self.BACKEND!r}. Set it back, or delete that index folder to rebuild it (the chunks in SQL are kept "
                "and re-embedded by the next ingest)."
            )
        snap = self.folder / manifest["snapshot"]
        self._read_snapshot(snap)
        self._snapshot_bytes = snap.stat().st_size
        self.state = manifest.get("state", "")
        self._log_len = 0
        log = manifest.get("log")
        if log:
            path = self.folder / log
            data = path.read_bytes() if path.exists() else b""
            for op, n, _count, state, payload, end in _iter_log(data, self.dim):
                ids = np.frombuffer(payload[: n * 8], dtype=np.int64)
                if op == _ADD:
                    vecs = np.frombuffer(payload[n * 8 :], dtype=np.float32).reshape(n, self.dim)
                    self._apply_add(ids, vecs)
                else:
                    present = np.asarray([i for i in ids.tolist() if i in self], dtype=np.int64)
                    if len(present):
                        self._apply_remove(present)
                self.state = state
                self._log_len = end

    def _read_manifest(self) -> dict | None:
        path = self.folder / self.META
        if not path.exists():
            return None
        meta = json.loads(path.read_text())
        if "snapshot" not in meta:  # the first format: one snapshot file, no log
            if not (self.folder / self.FILE).exists():
                return None
            meta = {**meta, "snapshot": self.FILE, "log": "", "epoch": 0, "state": str(meta.get("generation", ""))}
        return meta

    @classmethod
    def peek(cls, folder: Path) -> dict:
        """The saved index's metadata (model, dim, count) without loading vectors or a model."""
        return peek(folder)

    # --- changes ------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    @property
    def dirty(self) -> bool:
        """Changes not yet saved."""
        return bool(self._pending)

    def _changed(self) -> None:
        self._generation += 1
        self.state = uuid.uuid4().hex

    def add(self, ids: np.ndarray | list[int], vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64).reshape(-1)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected vectors of shape ({len(ids)}, {self.dim}), got {vectors.shape}")
        if not len(ids):
            return
        if len(np.unique(ids)) != len(ids):
            raise ValueError("duplicate ids in one add() call")
        self._apply_add(ids, vectors)
        self._changed()
        self._pending.append((_ADD, ids.copy(), vectors.copy(), self.count(), self.state))

    def remove(self, ids: np.ndarray | Iterable[int]) -> int:
        arr = np.asarray([i for i in dict.fromkeys(int(x) for x in ids) if i in self], dtype=np.int64)
        if not len(arr):
            return 0
        n = self._apply_remove(arr)
        self._changed()
        self._pending.append((_REMOVE, arr, None, self.count(), self.state))
        return n

    def reload_if_changed(self) -> bool:
        """For readers (e.g. a server): pick up what a writer saved since this was loaded."""
        if self.dirty:
            return False
        manifest = self._read_manifest()
        log = (manifest or {}).get("log")
        size = (self.folder / log).stat().st_size if log and (self.folder / log).exists() else 0
        same = manifest == self._manifest and size == self._log_len
        if not same:
            self._load()
            self._generation += 1
        return not same

    # --- writing ------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator["LoggedIndex"]:
        """Hold the index for writing (one writer at a time, across processes).

        The lock is an flock, so the kernel releases it when the process dies, even by SIGKILL.
        """
        if self._lock_fd is not None:
            yield self
            return
        fd = os.open(self.folder / self.LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            os.close(fd)
            raise IndexBusy(f"another process ({holder or 'unknown'}) is writing the index in {self.folder}; try again when it finishes") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._lock_fd = fd
        try:
            # What we loaded may be stale if a writer finished since: start from the saved state.
            if not self.dirty:
                self.reload_if_changed()
            yield self
        finally:
            self._lock_fd = None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def save(self) -> None:
        """Durably record every change since the last save (append + fsync; compaction when due)."""
        with self.writer():
            manifest = self._manifest
            if manifest is None or manifest.get("format") != FORMAT or self._restructured:
                self._compact()
                return
            if not self._pending:
                return
            if self._read_manifest() != manifest:
                raise IndexBusy(f"the index in {self.folder} was rewritten by another process since it was loaded; reload it")
            log = self.folder / manifest["log"]
            with open(log, "r+b" if log.exists() else "w+b") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell() != self._log_len:
                    fh.seek(self._log_len)
                    tail = fh.read()
                    if any(True for _ in _iter_log(tail, self.dim)):
                        raise IndexBusy(f"the index in {self.folder} was changed by another process since it was loaded; reload it")
                    # A torn record from a killed writer: cut it off.
                    fh.truncate(self._log_len)
                    fh.seek(self._log_len)
                buf = bytearray()
                for op, ids, vecs, count, state in self._pending:
                    payload = ids.tobytes() + (vecs.tobytes() if vecs is not None else b"")
                    sbytes = bytes.fromhex(state)
                    pcrc = zlib.crc32(payload)
                    hcrc = _header_crc(_MAGIC, op, len(ids), count, sbytes, pcrc)
                    buf += _HEADER.pack(_MAGIC, op, len(ids), count, sbytes, pcrc, hcrc) + payload
                fh.write(buf)
                fh.flush()
                os.fsync(fh.fileno())
                self._log_len = fh.tell()
            self._pending.clear()
            if self._log_len > max(self._snapshot_bytes, _MIN_COMPACT_BYTES):
                self._compact()

    def _compact(self) -> None:
        """Write a new snapshot and an empty log (epoch + 1), switch the manifest, drop the old files."""
        self._before_snapshot()
        epoch = int((self._manifest or {}).get("epoch", 0)) + 1
        snap = f"vectors.{epoch}{self.EXT}"
        log = f"vectors.{epoch}.log"
        tmp = self.folder / (snap + ".tmp")
        self._write_snapshot(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / snap)
        with open(self.folder / log, "wb") as fh:
            os.fsync(fh.fileno())
        if self.state == "empty":
            self.state = uuid.uuid4().hex
        manifest = {
            "format": FORMAT, "model": self.model, "dim": self.dim, "epoch": epoch, "snapshot": snap, "log": log,
            "count": self.count(), "state": self.state,
        }
        atomic_write_bytes(self.folder / self.META, json.dumps(manifest).encode())
        self._manifest = manifest
        self._log_len = 0
        self._snapshot_bytes = (self.folder / snap).stat().st_size
        self._pending.clear()
        self._restructured = False
        self._cleanup(keep={snap, log})

    def _cleanup(self, keep: set[str]) -> None:
        """Old epochs, unfinished compactions, and the approximate-index cache of the previous design."""
        for p in self.folder.iterdir():
            name = p.name
            if name in keep or not name.startswith("vectors.") or name == self.META:
                continue
            if name.endswith((*SNAPSHOT_EXTS, ".log", ".tmp", ".stamp")):
                try:
                    p.unlink()
                except OSError:
                    pass
