"""A JSON document holding an array of record objects (at the top level or at `records_key`).

A top-level array is decoded element by element, so a bad element costs one record and
the rest of the file still ingests; after a syntax error the rest of the file cannot be
located reliably, so it is rejected as one record naming line and column.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grounding.config import CorpusConfig
from grounding.ingest.adapters import Item, bad_bytes, fields_seen, open_binary
from grounding.ingest.records import RawRecord, RecordError

_WS = " \t\r\n"


def _text(corpus: CorpusConfig, path: Path) -> str:
    with open_binary(path) as fh:
        data = fh.read()
    enc = "utf-8-sig" if corpus.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else corpus.encoding
    return data.decode(enc, errors="surrogateescape")


def _has_bad_bytes(obj: Any) -> str | None:
    if isinstance(obj, str):
        return bad_bytes(obj)
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad = _has_bad_bytes(k) or _has_bad_bytes(v)
            if bad:
                return bad
    if isinstance(obj, list):
        for v in obj:
            bad = _has_bad_bytes(v)
            if bad:
                return bad
    return None


def _record(corpus: CorpusConfig, obj: Any, src: str, loc: str) -> Item:
    if not isinstance(obj, dict):
        return RecordError(src, loc, f"expected a JSON object, got {type(obj).__name__}")
    bad = _has_bad_bytes(obj)
    if bad:
        return RecordError(src, loc, f"not valid {corpus.encoding} (byte {bad})")
    if corpus.rename:
        obj = {corpus.rename.get(k, k): v for k, v in obj.items()}
    return RawRecord(obj, src, loc)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _stream_array(corpus: CorpusConfig, text: str, src: str) -> Iterator[Item]:
    dec = json.JSONDecoder()
    pos = 0
    n = len(text)
    while pos < n and text[pos] in _WS:
        pos += 1
    if pos >= n:
        return
    if text[pos] != "[":
        line, col = _line_col(text, pos)
        what = "an object" if text[pos] == "{" else "something else"
        yield RecordError(src, f"line {line}", f"expected a JSON array of records at the top level, found {what} (set records_key)")
        return
    pos += 1
    line, line_pos = 1, 0  # incremental line counting
    item = 0
    while True:
        while pos < n and text[pos] in _WS:
            pos += 1
        if pos < n and text[pos] == "]":
            return
        item += 1
        line += text.count("\n", line_pos, pos)
        line_pos = pos
        loc = f"line {line} (item {item})"
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            eline, ecol = _line_col(text, exc.pos)
            yield RecordError(src, loc, f"malformed JSON: {exc.msg} at line {eline} column {ecol}; the rest of the file was not read")
            return
        except RecursionError:
            yield RecordError(src, loc, "malformed JSON: nested too deeply; the rest of the file was not read")
            return
        yield _record(corpus, obj, src, loc)
        pos = end
        while pos < n and text[pos] in _WS:
            pos += 1
        if pos < n and text[pos] == ",":
            pos += 1
        elif pos < n and text[pos] == "]":
            return
        else:
            eline, ecol = _line_col(text, pos)
            yield RecordError(src, f"line {eline}", f"malformed JSON: expected ',' or ']' at line {eline} column {ecol}; the rest of the file was not read")
            return


def _at_key(corpus: CorpusConfig, text: str, src: str) -> Iterator[Item]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(src, f"line {exc.lineno}", f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}; file not read")
        return
    node: Any = doc
    for part in corpus.records_key.split("."):
        if not isinstance(node, dict) or part not in node:
            yield RecordError(src, "file", f"records_key {corpus.records_key!r}: no key {part!r} in the document")
            return
        node = node[part]
    if not isinstance(node, list):
        yield RecordError(src, "file", f"records_key {corpus.records_key!r} holds a {type(node).__name__}, not an array")
        return
    for i, obj in enumerate(node, start=1):
        yield _record(corpus, obj, src, f"{corpus.records_key}[{i - 1}]")


def read(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
    src = str(path)
    text = _text(corpus, path)
    if corpus.records_key:
        yield from _at_key(corpus, text, src)
    else:
        yield from _stream_array(corpus, text, src)


def fields(corpus: CorpusConfig, path: Path) -> tuple[set[str], str]:
    return fields_seen(read, corpus, path)


def estimate(corpus: CorpusConfig, path: Path) -> int | None:
    return None
