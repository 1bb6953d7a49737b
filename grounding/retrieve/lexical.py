"""BM25 over chunk texts (bm25s), cached in the data dir and rebuilt when the chunk set changes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import bm25s
import numpy as np

from grounding.store.base import ReportStore
from grounding.text import STEMMER_ID, tokenize

# Saved indexes record how their tokens were made; one built by another tokenizer is rebuilt.
TOKENIZER_ID = f"words2+|{STEMMER_ID}|kiwi-content"


class BM25Index:
    def __init__(self, folder: Path, store: ReportStore) -> None:
        self.folder = Path(folder)
        self.store = store
        self._bm25: bm25s.BM25 | None = None
        self._ids: np.ndarray = np.zeros(0, dtype=np.int64)
        self._stamp = ""

    @staticmethod
    def peek(folder: Path) -> int:
        """Chunks in the saved index (0 = none built yet), without loading it."""
        meta = Path(folder) / "meta.json"
        if not meta.exists():
            return 0
        return int(str(json.loads(meta.read_text()).get("stamp", ":0")).rsplit(":", 1)[-1] or 0)

    def _current_stamp(self) -> str:
        ids = sorted(self.store.chunk_ids())
        return hashlib.sha256(np.asarray(ids, dtype=np.int64).tobytes()).hexdigest()[:16] + f":{len(ids)}"

    def ensure(self) -> None:
        stamp = self._current_stamp()
        if self._bm25 is not None and stamp == self._stamp:
            return
        if not self._load_saved(stamp):
            self._build(stamp)
        self._stamp = stamp

    def _read_meta(self) -> dict:
        try:
            return json.loads((self.folder / "meta.json").read_text())
        except (OSError, ValueError):
            return {}

    def _load_saved(self, stamp: str) -> bool:
        """Load the saved index if it is of this chunk set; False (build instead) if not, or if another
        process (a second server, an ingest) replaced the folder while it was being read."""
        saved = self._read_meta()
        if saved.get("stamp") != stamp or saved.get("tokenizer") != TOKENIZER_ID:
            return False
        try:
            ids = np.load(self.folder / "ids.npy")
            bm25 = bm25s.BM25.load(str(self.folder / "index"), show_progress=False) if len(ids) else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return False
        if self._read_meta() != saved:
            return False
        self._bm25, self._ids = bm25, ids
        return True

    def _build(self, stamp: str) -> None:
        ids: list[int] = []
        toks: list[list[str]] = []
        for batch in self.store.iter_chunks():
            ids += [c.id for c in batch]
            toks += tokenize([c.text for c in batch])
        self._ids = np.asarray(ids, dtype=np.int64)
        self._bm25 = bm25s.BM25()
        if ids:
            self._bm25.index(toks, show_progress=False)
        # Written aside and swapped in by renames, each process under its own names: several servers
        # (or a server and an ingest) may rebuild at once, and a reader never loads a half-written folder.
        tag = uuid.uuid4().hex[:8]
        tmp = self.folder.with_name(f"{self.folder.name}.tmp-{tag}")
        old = self.folder.with_name(f"{self.folder.name}.old-{tag}")
        tmp.mkdir(parents=True)
        try:
            if ids:
                self._bm25.save(str(tmp / "index"), show_progress=False)
            np.save(tmp / "ids.npy", self._ids)
            (tmp / "meta.json").write_text(json.dumps({"stamp": stamp, "tokenizer": TOKENIZER_ID}))
            try:
                os.rename(self.folder, old)
            except FileNotFoundError:
                pass
            try:
                os.rename(tmp, self.folder)
            except OSError:
                pass  # another process put its build there first: it is of the same chunks or newer
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        self.ensure()
        if self._bm25 is None or len(self._ids) == 0:
            return []
        q = tokenize([query])
        vocab = self._bm25.vocab_dict
        q = [[t for t in q[0] if t in vocab]]
        if not q[0]:
            return []
        docs, scores = self._bm25.retrieve(q, k=min(k, len(self._ids)), show_progress=False)
        return [(int(self._ids[d]), float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
