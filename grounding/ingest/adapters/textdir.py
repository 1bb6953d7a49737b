"""A folder of plain-text files: one report per file.

Each file becomes a record {id, path, name, text, modified}: `id` is the path relative to
the folder without its suffix, "/" written "." (stable across runs), `name` the file name without suffix,
`modified` the file's modification date. The text's first line becomes the title when it is
a headline (see records.split_headline), else its first sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from grounding.config import CorpusConfig
from grounding.ingest.adapters import Item
from grounding.ingest.records import RawRecord, RecordError

FIELDS = {"id", "path", "name", "text", "modified"}
MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are rejected unread (the report limit is far lower)


def _files(corpus: CorpusConfig, folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(corpus.glob) if p.is_file() and not p.name.startswith("."))


def read(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
    if not path.is_dir():
        yield RecordError(str(path), "folder", "textdir corpus path is not a folder")
        return
    for f in _files(corpus, path):
        rel = f.relative_to(path).as_posix()
        src, loc = str(f), f"file {rel}"
        try:
            size = f.stat().st_size
            if size > MAX_FILE_BYTES:
                yield RecordError(src, loc, f"file is {size:,} bytes, over {MAX_FILE_BYTES:,}; not read")
                continue
            data = f.read_bytes()
        except OSError as exc:
            yield RecordError(src, loc, f"unreadable: {exc.strerror or exc}")
            continue
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode(corpus.encoding)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            yield RecordError(src, f"{loc} line {line}", f"not valid {corpus.encoding} (byte 0x{data[exc.start]:02x} at column {col})")
            continue
        mtime = datetime.fromtimestamp(f.stat().st_mtime, tz=timezone.utc).date().isoformat()
        stem = rel.rsplit(".", 1)[0] if "." in f.name else rel
        stem = stem.replace("/", ".")  # ids are letters, digits and _ . - (sub/b.txt -> "sub.b")
        fields = {"id": stem, "path": rel, "name": f.stem, "text": text, "modified": mtime}
        if corpus.rename:
            fields = {corpus.rename.get(k, k): v for k, v in fields.items()}
        yield RawRecord(fields, src, loc)


def fields(corpus: CorpusConfig, path: Path) -> tuple[set[str], str]:
    return {corpus.rename.get(k, k) for k in FIELDS}, f"the fields of a textdir corpus ({sorted(FIELDS)})"


def estimate(corpus: CorpusConfig, path: Path) -> int | None:
    return len(_files(corpus, path)) if path.is_dir() else None
