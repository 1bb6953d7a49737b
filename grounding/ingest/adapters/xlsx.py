"""XLSX workbooks whose sheets differ in layout (e.g. OE-417: 22 yearly sheets).

Per sheet, the header row is found among the first `header_search_rows` rows as the row
naming the most configured fields (after `rename`, which maps each year's column names to
canonical ones; matching ignores case and spacing). Rows with fewer than `min_cells`
non-empty cells (titles, month dividers, footnotes) and repeated header rows are layout and
are skipped. Every record carries `source_sheet` and `source_row` besides its columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from grounding.config import CorpusConfig
from grounding.ingest.adapters import Item
from grounding.ingest.records import RawRecord, RecordError, Skipped, corpus_fields, safe_str


def _norm(s: Any) -> str:
    return " ".join(str(s).split()).casefold()


def _renamer(corpus: CorpusConfig):
    table = {_norm(k): v for k, v in corpus.rename.items()}

    def canonical(cell: Any) -> str:
        if cell is None:
            return ""
        text = " ".join(str(cell).split())
        if not text:
            return ""
        return corpus.rename.get(text) or table.get(text.casefold()) or text

    return canonical


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M")
    if isinstance(v, str):
        return " ".join(safe_str(v).split())
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _filled(row: tuple) -> int:
    return sum(1 for v in row if v is not None and not (isinstance(v, str) and not v.strip()))


def _open(path: Path):
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True, data_only=True)


def _sheets(corpus: CorpusConfig, wb) -> list:
    if not corpus.sheets:
        return list(wb.worksheets)
    return [wb[name] for name in corpus.sheets if name in wb.sheetnames]


def _find_header(corpus: CorpusConfig, rows: list[tuple], canonical) -> tuple[int, list[str]] | None:
    wanted = {name for _, name in corpus_fields(corpus)}
    need = min(2, len(wanted)) or 1
    best: tuple[int, int, list[str]] | None = None
    for i, row in enumerate(rows):
        names = [canonical(c) for c in row]
        score = len({n for n in names if n in wanted})
        if score >= need and (best is None or score > best[0]):
            best = (score, i, names)
    return (best[1], best[2]) if best else None


def read(corpus: CorpusConfig, path: Path) -> Iterator[Item]:
    src = str(path)
    try:
        wb = _open(path)
    except Exception as exc:  # BadZipFile, InvalidFileException, OSError, KeyError: all mean "not a workbook"
        yield RecordError(src, "file", f"not a readable XLSX workbook: {type(exc).__name__}: {exc}")
        return
    canonical = _renamer(corpus)
    try:
        for ws in _sheets(corpus, wb):
            it = ws.iter_rows(values_only=True)
            head: list[tuple] = []
            for row in it:
                head.append(tuple(row))
                if len(head) >= corpus.header_search_rows:
                    break
            found = _find_header(corpus, head, canonical)
            if found is None:
                yield RecordError(
                    src, f"sheet {ws.title}",
                    f"no header row naming the configured fields in the first {corpus.header_search_rows} rows; sheet skipped",
                )
                continue
            hidx, header = found
            header_set = {h for h in header if h}

            def rows_after() -> Iterator[tuple[int, tuple]]:
                for i, r in enumerate(head[hidx + 1 :], start=hidx + 2):
                    yield i, r
                for i, r in enumerate(it, start=len(head) + 1):
                    yield i, tuple(r)

            for rownum, row in rows_after():
                loc = f"sheet {ws.title} row {rownum}"
                if _filled(row) < corpus.min_cells:
                    if _filled(row):
                        yield Skipped(src, loc)
                    continue
                names = [n for n in (canonical(c) for c in row) if n]
                if sum(1 for n in names if n in header_set) >= 0.6 * len(names):
                    yield Skipped(src, loc)  # the header repeated (page break), footnote marks may differ
                    continue
                fields: dict[str, Any] = {}
                for name, v in zip(header, row):
                    if not name:
                        continue
                    v = _value(v)
                    if fields.get(name) in (None, ""):
                        fields[name] = v
                fields.setdefault("source_sheet", ws.title)
                fields.setdefault("source_row", rownum)
                yield RawRecord(fields, src, loc)
    finally:
        wb.close()


def fields(corpus: CorpusConfig, path: Path) -> tuple[set[str], str]:
    from grounding.config import ConfigError

    wb = _open(path)
    try:
        missing = [s for s in corpus.sheets if s not in wb.sheetnames]
        if missing:
            raise ConfigError(f"corpus.{corpus.name}.sheets: no sheet named {missing} in {path}; sheets: {wb.sheetnames}")
        canonical = _renamer(corpus)
        seen: set[str] = {"source_sheet", "source_row"}
        for ws in _sheets(corpus, wb):
            head = [tuple(r) for _, r in zip(range(corpus.header_search_rows), ws.iter_rows(values_only=True))]
            found = _find_header(corpus, head, canonical)
            if found:
                seen.update(h for h in found[1] if h)
    finally:
        wb.close()
    return seen, f"the header rows of the sheets of {path}"


def estimate(corpus: CorpusConfig, path: Path) -> int | None:
    try:
        wb = _open(path)
    except Exception:
        return None
    try:
        return sum(int(ws.max_row or 0) for ws in _sheets(corpus, wb))
    finally:
        wb.close()
