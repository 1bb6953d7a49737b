"""Corpus adapters, chosen by `format` in the corpus config.

Each adapter turns a source into RawRecords, RecordErrors (a bad record, with file and
line/row and the reason) or Skipped (layout rows), and never raises on a bad record. Each
also lists the field names the source offers (`fields`, used to check the config before any
work) and estimates its record count (`estimate`, for the progress bar's ETA).
"""

from __future__ import annotations

import gzip
import importlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from grounding.config import CorpusConfig
from grounding.ingest.records import RawRecord, RecordError, Skipped

Item = RawRecord | RecordError | Skipped
Reader = Callable[[CorpusConfig, Path], Iterator[Item]]

_MODULES = {"jsonl": "jsonl", "csv": "csv_rows", "xlsx": "xlsx", "json": "json_array", "textdir": "textdir"}


@dataclass(frozen=True)
class Adapter:
    read: Reader
    fields: Callable[[CorpusConfig, Path], tuple[set[str], str]]  # (field names, where they were seen)
    estimate: Callable[[CorpusConfig, Path], int | None]


# A source that cannot be read further (truncated gzip, I/O error, corrupt deflate stream).
READ_ERRORS = (OSError, EOFError, zlib.error)


class SourceReadError(RecordError):
    """The rest of a source, after its last readable record: one reject, and ingest then stops."""


def guarded(read: Reader) -> Reader:
    """`read`, but a read error mid-file ends the records with one SourceReadError naming the file
    and the last good location, instead of an exception (EOFError would reach click as Ctrl-D)."""

    def reader(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
        last = ""
        items = iter(read(corpus, path))
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except READ_ERRORS as exc:
                where = f"after {last}" if last else "before the first record"
                why = (str(exc) or type(exc).__name__).splitlines()[0][:200]
                yield SourceReadError(str(path), where, f"read error {where}: {type(exc).__name__}: {why}; the rest of the file was not read")
                return
            last = getattr(item, "location", "") or last
            yield item

    return reader


def adapter_for(fmt: str) -> Adapter:
    if fmt not in _MODULES:
        raise ValueError(f"corpus format {fmt!r} is not supported; use one of {sorted(_MODULES)}")
    mod = importlib.import_module(f"grounding.ingest.adapters.{_MODULES[fmt]}")
    return Adapter(guarded(mod.read), mod.fields, mod.estimate)


def fields_seen(read: Reader, corpus: CorpusConfig, path: Path, peek: int = 1000) -> tuple[set[str], str]:
    """Field names of the first `peek` records, for sources without a header (JSON records)."""
    seen: set[str] = set()
    n = 0
    for rec in guarded(read)(corpus, path):  # a file cut short: the fields of what can be read
        if isinstance(rec, RawRecord):
            seen.update(rec.fields)
            n += 1
            if n >= peek:
                break
    return seen, f"the first {n} records of {path}"


def open_binary(path: Path) -> IO[bytes]:
    """Plain or gzip-compressed (by the .gz suffix)."""
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def count_lines(path: Path) -> int:
    n = 0
    with open_binary(path) as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                return n
            n += block.count(b"\n")


def renamed(corpus: CorpusConfig, name: str) -> str:
    return corpus.rename.get(name, name)


def bad_bytes(s: str) -> str | None:
    """The first undecodable byte (kept as a surrogate escape) in s, as "0xff", or None."""
    for ch in s:
        if 0xDC80 <= ord(ch) <= 0xDCFF:
            return f"0x{ord(ch) - 0xDC00:02x}"
    return None
