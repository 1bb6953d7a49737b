"""The sources side of ingest: where a corpus is, checking its config against the source before any
work, reading its records as drafts with their final ids, and estimating how many there are."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from grounding.config import Config, ConfigError, CorpusConfig
from grounding.ingest.adapters import adapter_for
from grounding.ingest.records import RawRecord, RecordError, ReportDraft, Skipped, corpus_fields, number_occurrence, to_draft


def corpus_path(cfg: Config, corpus: CorpusConfig) -> Path:
    return cfg.resolve(corpus.path)


def check_corpora(cfg: Config, corpora: list[CorpusConfig]) -> None:
    """Fail fast, before any work: missing files, duplicate names, field names the source lacks."""
    names = Counter(c.name for c in cfg.corpus)
    for c in corpora:
        if names[c.name] > 1:
            raise ConfigError(f"corpus.{c.name}.name: {names[c.name]} corpora are named {c.name!r}; names must be unique")
        path = corpus_path(cfg, c)
        if not path.exists():
            raise ConfigError(f"corpus.{c.name}.path: {path} does not exist")
        if (c.format == "textdir") != path.is_dir():
            what = "a folder" if c.format == "textdir" else "a file"
            raise ConfigError(f"corpus.{c.name}.path: format {c.format!r} needs {what}; {path} is not")
        try:
            seen, where = adapter_for(c.format).fields(c, path)
        except ConfigError:
            raise
        except Exception as exc:  # unreadable source: name it now rather than mid-run
            raise ConfigError(f"corpus.{c.name}.path: cannot read {path} as {c.format}: {type(exc).__name__}: {exc}") from exc
        if not seen:
            continue  # nothing readable: every record will be rejected with its own reason
        for key, name in corpus_fields(c):
            if name not in seen:
                close = difflib.get_close_matches(name, sorted(seen), n=3, cutoff=0.5)
                hint = f"; did you mean {close}?" if close else f"; fields seen: {sorted(seen)[:12]}"
                raise ConfigError(f"corpus.{c.name}.{key}: field {name!r} is not in {where}{hint}")


def read_drafts(corpus: CorpusConfig, path: Path, max_chars: int) -> Iterator[ReportDraft | RecordError | Skipped]:
    """A source's records as drafts with their final ids (occurrence suffixes included), in source order.

    The one place ids are made: ingest uses it, and so does anything that must name reports by the ids
    ingest gives them (the eval set's gold ids).
    """
    occurrences: Counter[str] = Counter()
    for rec in adapter_for(corpus.format).read(corpus, path):
        item = to_draft(corpus, rec, max_chars) if isinstance(rec, RawRecord) else rec
        if isinstance(item, ReportDraft):
            number_occurrence(item, occurrences)
        yield item


def count_records(cfg: Config, corpora: Iterable[CorpusConfig]) -> int:
    """A quick estimate of the records to read, for the progress bar's ETA (0 = unknown)."""
    total = 0
    for c in corpora:
        p = corpus_path(cfg, c)
        if not c.enabled or not p.exists():
            continue
        try:
            n = adapter_for(c.format).estimate(c, p)
        except Exception:
            n = None
        if n is None:
            return 0
        total += n
    return total
