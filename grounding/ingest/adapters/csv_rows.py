"""CSV (or any delimiter) with a header row, plain or gzip-compressed, read as a stream.

Rows with missing or extra fields are rejected, not guessed (extra cells that are all
empty, as spreadsheet exports leave them, are accepted). Undecodable bytes cost one row.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from grounding.config import CorpusConfig
from grounding.ingest.adapters import Item, bad_bytes, count_lines, open_binary
from grounding.ingest.records import RawRecord, RecordError

# One field may hold a whole report: the length limit is enforced (with a reason) later.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _open_text(corpus: CorpusConfig, path: Path) -> io.TextIOWrapper:
    enc = "utf-8-sig" if corpus.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else corpus.encoding
    return io.TextIOWrapper(open_binary(path), encoding=enc, errors="surrogateescape", newline="")


def _header(corpus: CorpusConfig, row: list[str]) -> list[str]:
    out: list[str] = []
    for h in row:
        name = corpus.rename.get(h.strip(), h.strip())
        k, base = 2, name
        while name and name in out:
            name, k = f"{base}.{k}", k + 1
        out.append(name)
    return out


def read(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
    src = str(path)
    with _open_text(corpus, path) as fh:
        reader = csv.reader(fh, delimiter=corpus.delimiter)
        try:
            header = _header(corpus, next(reader))
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(src, "line 1", f"unreadable header: {exc}")
            return
        bad = bad_bytes("".join(header))
        if bad:
            yield RecordError(src, "line 1", f"header is not valid {corpus.encoding} (byte {bad}); nothing read")
            return
        n = 0
        errors_in_a_row = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                errors_in_a_row += 1
                yield RecordError(src, f"line {start}", f"unreadable CSV: {exc}")
                if errors_in_a_row > 100:
                    yield RecordError(src, f"line {start}", "giving up on this file after 100 unreadable rows in a row")
                    return
                continue
            errors_in_a_row = 0
            if not row or all(not c.strip() for c in row):
                continue
            n += 1
            loc = f"row {n} (line {start})"
            bad = next((b for b in map(bad_bytes, row) if b), None)
            if bad is not None:
                yield RecordError(src, loc, f"not valid {corpus.encoding} (byte {bad})")
                continue
            if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
                row = row[: len(header)]
            if len(row) != len(header):
                what = "missing" if len(row) < len(header) else "extra"
                yield RecordError(src, loc, f"{what} fields: expected {len(header)} columns, got {len(row)}")
                continue
            yield RawRecord({h: v.strip() for h, v in zip(header, row) if h}, src, loc)


read_csv = read


def fields(corpus: CorpusConfig, path: Path) -> tuple[set[str], str]:
    with _open_text(corpus, path) as fh:
        try:
            header = _header(corpus, next(csv.reader(fh, delimiter=corpus.delimiter)))
        except (StopIteration, csv.Error):
            header = []
    return {h for h in header if h}, f"the header of {path}"


def estimate(corpus: CorpusConfig, path: Path) -> int | None:
    return max(count_lines(path) - 1, 0)
