"""Ingest: sources -> reports and chunks in SQL -> vectors in FAISS, incrementally and crash-safely.

SQL is the source of truth and FAISS follows it:

1. A batch of reports, their chunks, entity links and the batch's rejects commit in one
   SQL transaction.
2. Only then are the new chunks embedded and added to FAISS; vectors of deleted chunks are
   removed. FAISS is saved durably (log append + fsync) every `checkpoint_every` vectors
   and at the end.
3. Every run starts with `reconcile()`: vectors whose chunk is gone are removed, chunks
   without a vector are embedded. So a SIGKILL at any moment costs at most the work since
   the last checkpoint, and the next run of the same command converges: every report once,
   every chunk with exactly one vector, no vector without a chunk.

Incremental: a report whose content hash is unchanged costs no chunking and no embedding;
when only its title/date/metadata changed, its rows are updated in place (no embedding);
when its text changed it is re-chunked and only chunks whose text is new are embedded
(unchanged chunk texts keep their ids and vectors). One writer at a time: the run holds
the index's write lock.

(Over 400 lines because one run is one state machine whose steps share its counters and pending
work; its SQL lives in grounding/store/writes.py and the sources side in ingest/sources.py.)
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from grounding.config import Config, ConfigError, CorpusConfig
from grounding.embed.base import Embedder
from grounding.engine.base import Engine
from grounding.engine.local import LocalEngine
from grounding.index.base import VectorIndex
from grounding.ingest.adapters import SourceReadError, adapter_for
from grounding.ingest.chunking import Chunker
from grounding.ingest.records import RawRecord, RecordError, ReportDraft, Skipped, content_hash, record_id, text_hash
from grounding.ingest.sources import check_corpora, corpus_path, count_records, read_drafts  # noqa: F401  (imported from here too)
from grounding.retrieve.injection import chunk_flags
from grounding.store.base import ReportStore
from grounding.store.records import ChunkRow, LinkRow, RecordRefused, RejectRow, ReportWrite, facility_key


class SourceUnreadable(ConfigError):
    """A source file could not be read to its end (one line: the file, the last good record, the error)."""


LinkFn = Callable[[str], list]  # text -> mentions with .concept, .start, .end, .score


@dataclass
class IngestSummary:
    read: int = 0  # records read from the sources (valid or not; layout rows not counted)
    ingested: int = 0  # new reports
    updated: int = 0  # changed reports (text or metadata)
    unchanged: int = 0
    rejected: int = 0
    excluded: int = 0  # records left out by `only` (a profile such as the demo's)
    undated: int = 0  # stored, but their date field is set and does not parse (warnings in `report rejects`)
    skipped: int = 0  # layout rows (XLSX titles, month dividers, footnotes)
    duplicates: int = 0  # records repeating an earlier record exactly (same id, same content)
    pruned: int = 0
    chunks: int = 0  # chunk rows written
    reused: int = 0  # chunks of changed reports kept with their vectors (text unchanged)
    embedded: int = 0  # vectors computed (reconcile included)
    repaired: int = 0  # vectors added or removed by reconcile (after a crash)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("errors", "warnings")}


_LIBC = None


def _release_free_memory() -> None:
    """Give freed heap pages back to the OS (glibc). Model activations of varying sizes,
    interleaved with small Python objects, otherwise fragment the heap and RSS creeps up
    over a long run."""
    global _LIBC
    if _LIBC is False:
        return
    try:
        if _LIBC is None:
            import ctypes
            import ctypes.util

            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        _LIBC.malloc_trim(0)
    except (OSError, AttributeError):
        _LIBC = False


class Ingestor:
    def __init__(
        self,
        cfg: Config,
        store: ReportStore,
        index: VectorIndex,
        embedder: Embedder,
        link: LinkFn | None = None,
        link_fingerprint: str = "",
        batch_reports: int = 0,
        embed_group: int = 0,
        derived: Sequence[Callable[[], None]] = (),
        engine: Engine | None = None,
    ) -> None:
        self.cfg = cfg
        # Where embedding (and, ahead of the SQL writes, linking) is computed; the writes stay here.
        self.engine = engine or LocalEngine(embedder)
        # Indexes derived from the stored chunks (BM25): rebuilt at the end of every run, so no
        # question ever waits for one.
        self.derived = list(derived)
        self.store = store
        self.index = index
        self.embedder = embedder
        self.link = link
        self.link_fingerprint = link_fingerprint
        self.chunker = Chunker(cfg.chunking)
        self.batch_reports = batch_reports or cfg.storage.commit_every
        # Chunks are embedded in groups sorted by length (less padding); progress ticks per slice.
        self.embed_group = embed_group or self.engine.embed_group or cfg.embedder.group or 16 * cfg.embedder.batch_size
        self._prelinked: dict[str, list | str] = {}  # report id -> mentions computed by the engine (or its error)
        self._pending: list[tuple[int, str]] = []
        self._since_save = 0
        self._on_progress: Callable[[IngestSummary], None] | None = None
        self._summary = IngestSummary()
        self._rejects: list[RejectRow] = []
        self._only: set[str] | None = None
        self._rejected_ids: set[str] = set()
        self._read_errors: list[str] = []
        self._run_id: int | None = None

    # --- reconciliation -------------------------------------------------------------
    def reconcile(self) -> int:
        """Make FAISS hold exactly one vector per SQL chunk; returns how many were repaired."""
        in_sql = self.store.chunk_ids()
        in_index = self.index.ids()
        stale = in_index - in_sql
        missing = sorted(in_sql - in_index)
        if stale:
            self.index.remove(sorted(stale))
        for i in range(0, len(missing), 2000):
            chunks = self.store.get_chunks(missing[i : i + 2000])
            self._pending += [(cid, chunks[cid].text) for cid in missing[i : i + 2000] if cid in chunks]
            if len(self._pending) >= self.embed_group:
                self._flush_embeddings()
        self._flush_embeddings()
        if stale or missing:
            self.index.save()
            self._since_save = 0
        return len(stale) + len(missing)

    # --- embedding ----------------------------------------------------------------------
    def _flush_embeddings(self) -> None:
        """Embed pending chunks (identical texts once), add them to FAISS, checkpoint when due."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        by_text: dict[str, list[int]] = defaultdict(list)
        for cid, text in pending:
            by_text[text].append(cid)
        texts = sorted(by_text, key=len, reverse=True)
        step = max(self.cfg.embedder.batch_size * 2, 32)
        for pos, vecs in self.engine.embed(texts, step):
            ids: list[int] = []
            rows: list[int] = []
            for j, p in enumerate(pos):
                for cid in by_text[texts[p]]:
                    ids.append(cid)
                    rows.append(j)
            self.index.add(np.asarray(ids, dtype=np.int64), vecs[rows])
            self._summary.embedded += len(pos)
            self._since_save += len(ids)
            if self._since_save >= self.cfg.storage.checkpoint_every:
                self.index.save()
                self._since_save = 0
            if self._on_progress:
                self._on_progress(self._summary)
        _release_free_memory()

    # --- records --------------------------------------------------------------------------
    def _prescan_last(self, c: CorpusConfig, path: Path) -> dict[str, str]:
        """For duplicates = "last": id -> location of its last occurrence (ids seen twice or more)."""
        last: dict[str, str] = {}
        count: Counter[str] = Counter()
        for rec in adapter_for(c.format).read(c, path):
            if isinstance(rec, RawRecord):
                rid = record_id(c, rec.fields)
                if not rid.startswith("\x00"):
                    last[rid] = rec.location
                    count[rid] += 1
        return {k: v for k, v in last.items() if count[k] > 1}

    def _drafts(self, corpora: list[CorpusConfig], seen: dict[str, tuple[str, str]]) -> Iterator[ReportDraft]:
        summary = self._summary
        salt = self.chunker.fingerprint
        for c in corpora:
            path = corpus_path(self.cfg, c)
            last = self._prescan_last(c, path) if c.duplicates == "last" and c.id else {}
            held: dict[str, list[tuple[str, str]]] = defaultdict(list)  # superseded occurrences
            for item in read_drafts(c, path, self.cfg.chunking.max_report_chars):
                if isinstance(item, Skipped):
                    summary.skipped += 1
                    continue
                if self._only is not None and (isinstance(item, RecordError) or item.id not in self._only):
                    summary.excluded += 1
                    continue
                summary.read += 1
                if isinstance(item, RecordError):
                    self._reject(c.name, item)
                    if isinstance(item, SourceReadError):
                        self._read_errors.append(f"{item.source_path}: {item.reason}")
                    continue
                if item.date is None and item.meta.get("date_raw") not in (None, ""):
                    self._warn_date(c, item)
                item.text_hash = text_hash(item.text, salt)
                item.content_hash = content_hash(item, salt)
                if item.source_id in last and last[item.source_id] != item.location:
                    held[item.source_id].append((item.location, item.content_hash))
                    continue
                for loc, h in held.pop(item.source_id, []):
                    if h == item.content_hash:
                        summary.duplicates += 1
                    else:
                        self._reject(c.name, RecordError(
                            item.source_path, loc,
                            f"duplicate id with different content: superseded by the later record at {item.location}",
                            item.source_id,
                        ))
                prev = seen.get(item.id)
                if prev is not None:
                    if prev[0] == item.content_hash:
                        summary.duplicates += 1
                    else:
                        self._reject(c.name, RecordError(
                            item.source_path, item.location,
                            f"duplicate id with different content (the record at {prev[1]} was kept)",
                            item.source_id,
                        ))
                    continue
                seen[item.id] = (item.content_hash, item.location)
                yield item
            for sid, occurrences_held in held.items():
                # The last record of this id was rejected: the earlier ones are not used either.
                for loc, _h in occurrences_held:
                    self._reject(c.name, RecordError(
                        str(path), loc, f"duplicate id: superseded by the later record at {last[sid]}, which was rejected", sid,
                    ))

    def _warn_date(self, c: CorpusConfig, item: ReportDraft) -> None:
        """A set date that does not parse: the report is stored undated, and the record is named."""
        self._summary.undated += 1
        how = f"date_format {c.date_format!r}" if c.date_format else "ISO or a common format"
        reason = f"date {item.meta['date_raw']!r} in field '{c.date}' does not parse ({how}); stored without a date"
        if self._summary.undated <= 10:
            self._summary.warnings.append(f"[{c.name}] {item.source_path}: {item.location} (id {item.source_id}): {reason}")
        self._rejects.append(
            RejectRow(
                run_id=self._run_id, corpus=c.name, source_path=item.source_path, location=item.location,
                record_id=item.source_id, reason=reason, severity="warning",
            )
        )

    def _reject(self, corpus: str, err: RecordError) -> None:
        self._summary.rejected += 1
        self._summary.errors.append(f"[{corpus}] {err}")
        if err.record_id:
            self._rejected_ids.add(f"{corpus}:{err.record_id}")
        self._rejects.append(
            RejectRow(
                run_id=self._run_id, corpus=corpus, source_path=err.source_path, location=err.location,
                record_id=err.record_id, reason=err.reason,
            )
        )

    def _links(self, report_id: str, text: str) -> list[LinkRow]:
        if self.link is None:
            return []
        mentions = self._prelinked.pop(report_id, None)
        if isinstance(mentions, str):  # the engine's linker failed on this report
            self._summary.warnings.append(f"entity linking failed for {report_id}: {mentions}")
            return []
        try:
            if mentions is None:
                mentions = self.link(text)
        except Exception as exc:  # a linker bug must not stop the ingest; the report stays unlinked
            self._summary.warnings.append(f"entity linking failed for {report_id}: {type(exc).__name__}: {exc}")
            return []
        agg: dict[str, LinkRow] = {}
        for m in mentions:
            rc = agg.get(m.concept)
            if rc is None:
                agg[m.concept] = LinkRow(concept=m.concept, mentions=1, score=float(m.score), first_span=f"{m.start}:{m.end}")
            else:
                rc.mentions += 1
                rc.score = max(rc.score, float(m.score))
        return list(agg.values())

    def _split(self, text: str) -> list[ChunkRow]:
        return [ChunkRow(c.ord, c.text, c.start_char, chunk_flags(c.text)) for c in self.chunker.split(text)]

    @staticmethod
    def _denorm(d: ReportDraft) -> dict:
        return dict(corpus=d.corpus, title=d.title, date=d.date, facility=d.facility, facility_key=facility_key(d.facility), meta=d.meta)

    def _report_fields(self, d: ReportDraft, denorm: dict) -> dict:
        return dict(
            corpus=d.corpus, source_id=d.source_id, title=d.title, date=d.date, facility=d.facility,
            facility_key=denorm["facility_key"], text=d.text, meta=d.meta, content_hash=d.content_hash,
            text_hash=d.text_hash, source_path=d.source_path, source_location=d.location, updated_at=datetime.now(timezone.utc),
        )

    def _write(self, d: ReportDraft) -> ReportWrite:
        denorm = self._denorm(d)
        return ReportWrite(d.id, d.text, d.content_hash, d.text_hash, self._report_fields(d, denorm), denorm)

    def _write_batch(self, drafts: list[ReportDraft]) -> None:
        if not drafts and not self._rejects:
            return
        rejects, self._rejects = self._rejects, []
        try:
            new_rows, removed = self._write_drafts(drafts, rejects)
        except RecordRefused:
            # One record the database refuses must not cost the batch: write them one by one.
            new_rows, removed = [], []
            for d in drafts:
                try:
                    r, rm = self._write_drafts([d], [])
                except RecordRefused as exc:
                    reason = str(exc).strip().splitlines()[0][:300]
                    self._reject(d.corpus, RecordError(d.source_path, d.location, f"the database refused the record: {reason}", d.source_id))
                    continue
                new_rows += r
                removed += rm
            self.store.add_rejects(rejects + self._rejects, one_by_one=True)
            self._rejects = []
        # SQL is committed: now vectors. A kill from here on is repaired by reconcile().
        if removed:
            self.index.remove(removed)
            self._since_save += len(removed)
        self._pending += new_rows
        if len(self._pending) >= self.embed_group:
            self._flush_embeddings()

    def _write_drafts(self, drafts: list[ReportDraft], rejects: list[RejectRow]) -> tuple[list[tuple[int, str]], list[int]]:
        """One transaction: the drafts (new, changed or unchanged) and the rejects read with them;
        returns the new chunks (id, text) and the removed chunk ids. Counts only once committed."""
        res = self.store.write_reports([self._write(d) for d in drafts], rejects, self._split, self._links)
        summary = self._summary
        summary.ingested += res.ingested
        summary.updated += res.updated
        summary.unchanged += res.unchanged
        summary.chunks += res.chunks
        summary.reused += res.reused
        return res.new_chunks, res.removed

    def _prune(self, corpora: list[CorpusConfig], seen: dict[str, tuple[str, str]], valid: Counter[str]) -> None:
        """Delete reports of these corpora that the sources no longer hold.

        Kept: reports whose id was read but rejected this time (a bad new version does not delete
        the good old one), and every report of a corpus that yielded no valid record at all
        (an emptied or unreadable file is more likely an accident than a deletion)."""
        names = []
        for c in corpora:
            if valid[c.name] == 0:
                self._summary.warnings.append(f"prune skipped for corpus {c.name!r}: it yielded no valid record")
            else:
                names.append(c.name)
        if not names:
            return
        keep = self._rejected_ids
        ids = [r for r in self.store.report_ids(names) if r not in seen and r not in keep]
        for i in range(0, len(ids), 500):
            chunk_ids = self.store.delete_reports(ids[i : i + 500])
            self.index.remove(chunk_ids)
        self._summary.pruned = len(ids)

    def relink(self) -> int:
        """Recompute entity links of every report (the ontology changed; no embedding work)."""
        if self.link is None:
            return 0
        n = self.store.relink(self._links)
        self.store.kv_set("links", {"fingerprint": self.link_fingerprint})
        return n

    def _batches(self, drafts: Iterator[ReportDraft], corpora: list[CorpusConfig]) -> Iterator[list[ReportDraft]]:
        """The SQL batches, `batch_reports` drafts each (the last may be short or empty). An engine that links
        ahead (Ray) gets a window of whole batches at a time, so the batches, and so the chunk ids, are the same."""
        window = self.engine.link_window if self.link is not None else 0
        per = max(1, -(-window // self.batch_reports)) * self.batch_reports if window else self.batch_reports
        stored: set[str] | None = None
        buf: list[ReportDraft] = []
        for d in drafts:
            buf.append(d)
            if len(buf) >= per:
                stored = self._prelink(buf, corpora, stored)
                yield from self._slices(buf)
                buf = []
        if window and buf:
            self._prelink(buf, corpora, stored)
        yield from self._slices(buf) if buf else iter([[]])

    def _slices(self, drafts: list[ReportDraft]) -> Iterator[list[ReportDraft]]:
        for i in range(0, len(drafts), self.batch_reports):
            yield drafts[i : i + self.batch_reports]

    def _prelink(self, drafts: list[ReportDraft], corpora: list[CorpusConfig], stored: set[str] | None) -> set[str] | None:
        """Link the window's new reports on the engine before they are written (a changed report is still
        linked here, by the store's call, inside its transaction). Returns the stored ids, read once a run."""
        if not self.engine.link_window or self.link is None:
            return stored
        if stored is None:
            stored = set(self.store.report_ids([c.name for c in corpora]))
        items = [(d.id, d.text) for d in drafts if d.id not in stored]
        self._prelinked = dict(self.engine.link(items, self.link_fingerprint))
        return stored

    # --- the job ------------------------------------------------------------------------------
    def run(
        self,
        corpora: list[CorpusConfig] | None = None,
        prune: bool = False,
        on_progress: Callable[[IngestSummary], None] | None = None,
        only: set[str] | None = None,
    ) -> IngestSummary:
        """Ingest `corpora` (default: all enabled); `only` = just the reports with these ids (a profile).

        A profile is a subset of the same ids, so a later full run adds the rest and redoes none of it.
        """
        corpora = [c for c in (corpora if corpora is not None else self.cfg.corpus) if c.enabled]
        check_corpora(self.cfg, corpora)  # a wrong config fails here, before any work
        if only is not None and prune:
            raise ConfigError("--prune removes every report not read, so it cannot be combined with --only")
        self._only = only
        t0 = time.perf_counter()
        self._summary = summary = IngestSummary()
        self._on_progress = on_progress
        self._rejects = []
        self._rejected_ids: set[str] = set()
        self._read_errors: list[str] = []
        self._pending = []
        self._since_save = 0
        with self.index.writer():
            self.store.kv_set("index", {"model": self.embedder.name, "dim": self.embedder.dim})
            # We hold the write lock: a run still marked "running" died (killed, crashed).
            self._run_id = self.store.start_run([c.name for c in corpora])
            status = "failed"
            try:
                summary.repaired = self.reconcile()
                links_state = self.store.kv_get("links") or {}
                relink_needed = self.link is not None and links_state.get("fingerprint") != self.link_fingerprint
                had_reports = self.store.count_reports() > 0
                seen: dict[str, tuple[str, str]] = {}
                for batch in self._batches(self._drafts(corpora, seen), corpora):
                    self._write_batch(batch)
                    if on_progress:
                        on_progress(summary)
                self._flush_embeddings()
                if on_progress:
                    on_progress(summary)
                if self._read_errors:
                    # What was read is stored (and its vectors saved); no prune, no clean-up of old
                    # rejects: the file was not read in full. A re-run after fixing it completes.
                    self.index.save()
                    self._since_save = 0
                    raise SourceUnreadable(
                        f"{self._read_errors[0]} (the records before it are stored and the rest is recorded as one "
                        "reject; fix the file and run ingest again)"
                    )
                if prune:
                    valid = Counter(i.split(":", 1)[0] for i in seen)
                    self._prune(corpora, seen, valid)
                self.index.save()
                self._since_save = 0
                if relink_needed and had_reports:
                    self.relink()  # reports ingested before this ontology carry stale links
                elif relink_needed:
                    self.store.kv_set("links", {"fingerprint": self.link_fingerprint})
                self.index.build_ann()
                for build in self.derived:
                    build()
                # The rejects table describes the sources as last read in full.
                self.store.clear_rejects([c.name for c in corpora], keep_run=self._run_id)
                status = "done"
            except KeyboardInterrupt:
                status = "interrupted"
                raise
            finally:
                summary.seconds = round(time.perf_counter() - t0, 3)
                try:
                    if self.index.dirty:
                        self.index.save()  # every vector in memory belongs to a committed chunk
                    self.store.finish_run(self._run_id, status, summary.as_dict())
                except Exception:
                    if status == "done":
                        raise
                    # already failing: keep the original error; the next run repairs both stores
        return summary
