"""JSON Lines, plain or gzip-compressed, read as bytes so one bad line costs one record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from grounding.config import CorpusConfig
from grounding.ingest.adapters import Item, count_lines, fields_seen, open_binary
from grounding.ingest.records import RawRecord, RecordError


def read(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
    src = str(path)
    rename = corpus.rename
    with open_binary(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            loc = f"line {lineno}"
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode(corpus.encoding)
            except UnicodeDecodeError as exc:
                yield RecordError(src, loc, f"not valid {corpus.encoding} (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(src, loc, f"malformed JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield RecordError(src, loc, "malformed JSON: nested too deeply")
                continue
            if not isinstance(obj, dict):
                yield RecordError(src, loc, f"expected a JSON object, got {type(obj).__name__}")
                continue
            if rename:
                obj = {rename.get(k, k): v for k, v in obj.items()}
            yield RawRecord(obj, src, loc)


read_jsonl = read


def fields(corpus: CorpusConfig, path: Path) -> tuple[set[str], str]:
    return fields_seen(read, corpus, path)


def estimate(corpus: CorpusConfig, path: Path) -> int | None:
    return count_lines(path)
