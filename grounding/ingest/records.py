"""From a raw source record to a normalized report draft, or a specific reason why not.

Everything here is a pure function of (corpus config, record): no I/O, no state. The
pipeline adds what needs state (content hashes salted with the chunker settings,
occurrence suffixes for composite keys, duplicate handling).
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from grounding.config import CorpusConfig
from grounding.store.records import facility_key  # noqa: F401  (re-exported: ingest's callers import it from here)

MAX_ID_CHARS = 200  # ids are primary keys (VARCHAR(255) with the "<corpus>:" prefix)
# The documented id character set: ids appear in URLs (/reports/{id}), file names and citations.
ID_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class RawRecord:
    """One record as an adapter read it, with where it came from."""

    fields: dict[str, Any]
    source_path: str
    location: str  # "line 12", "row 40 (line 41)", "sheet 2011 row 7", "file a.txt"


@dataclass
class RecordError:
    """A record that cannot be ingested; recorded in the rejects table, never fatal."""

    source_path: str
    location: str
    reason: str
    record_id: str = ""

    def __str__(self) -> str:
        rid = f" (id {self.record_id})" if self.record_id else ""
        return f"{self.source_path}: {self.location}{rid}: {self.reason}"


@dataclass
class Skipped:
    """A row that is layout, not data (an XLSX title, month divider or footnote row)."""

    source_path: str
    location: str


@dataclass
class ReportDraft:
    id: str
    corpus: str
    source_id: str
    title: str
    date: str | None
    text: str
    meta: dict[str, Any]
    source_path: str
    location: str
    facility: str = ""
    content_hash: str = field(default="")  # everything stored: text, title, date, facility, metadata
    text_hash: str = field(default="")  # only what the chunks depend on: text + chunker settings
    composite_key: bool = False  # id derived from `id_fields` (the pipeline adds occurrence suffixes)


# --- text hygiene -------------------------------------------------------------------------
_WS_LINE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MANY_NL = re.compile(r"\n{2,}")
_SINGLE_NL = re.compile(r"(?<!\n)\n(?!\n)")
# C0/C1 controls except \t \n \r, and lone surrogates (from "\ud800" escapes in JSON): PostgreSQL
# refuses NUL in text, and no database can store a lone surrogate as UTF-8.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_str(s: str) -> str:
    """A string any SQL backend stores: control characters dropped, lone surrogates -> U+FFFD."""
    if _UNSAFE.search(s):
        s = _UNSAFE.sub("", s)
    if _SURROGATE.search(s):
        s = _SURROGATE.sub("\ufffd", s)
    return s


def clean_text(text: str) -> str:
    """Collapse hard wraps and blank runs so the splitter sees sentences, not lines."""
    text = safe_str(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _WS_LINE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NL.sub("\n\n", text)
    text = _SINGLE_NL.sub(" ", text)
    return text.strip()


def one_line(value: Any, limit: int = 0) -> str:
    s = " ".join(safe_str(str(value)).split())
    if limit and len(s) > limit:
        cut = s[:limit].rsplit(" ", 1)[0]
        s = (cut or s[:limit]) + "…"
    return s


def split_headline(text: str) -> tuple[str, str]:
    """("HEADLINE", rest) when the text opens with a title line, else ("", text).

    A title line is short and either mostly upper-case (NRC event texts open with a headline
    such as "REACTOR TRIP DURING CONTROL ROD DRIVE BREAKER TESTING"; cleaning would otherwise
    glue it to the first sentence), or has no sentence-ending punctuation and is followed by a
    blank line or a line that does not continue it in lower case (a hard-wrapped first line of
    a paragraph is not a title). Scripts without case (Korean) follow the second rule.
    """
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    letters = [c for c in first if c.isalpha()]
    if not (3 <= len(first) <= 200) or len(letters) < 2 or not rest.strip():
        return "", text
    cased = [c for c in letters if c.isupper() or c.islower()]
    if cased and sum(1 for c in cased if c.isupper()) / len(cased) >= 0.7 and len(cased) >= 3:
        return first, rest
    if len(first) > 100 or first[-1] in ".!?;:,\"'-" or first.startswith(("-", "*", '"')):
        return "", text
    after = rest.lstrip(" \t\r")
    blank = after.startswith("\n")
    nxt = after.lstrip()[:1]
    if blank or (nxt and not nxt.islower()):
        return first, rest
    return "", text


def first_sentence(text: str, limit: int = 160) -> str:
    head = text.split("\n", 1)[0]
    m = re.search(r"[.!?](?=\s)", head)
    return one_line(head[: m.start() + 1] if m else head, limit)


# --- values ---------------------------------------------------------------------------
# Dates are parsed in one place for every stage (grounding/text/dates.py).
from grounding.text.dates import parse_date  # noqa: E402,F401


def plain(value: Any) -> Any:
    """Metadata values as JSON-safe scalars or lists."""
    if isinstance(value, str):
        return safe_str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None  # NaN / inf are not JSON
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, (int, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {safe_str(str(k)): plain(v) for k, v in value.items()}
    return safe_str(str(value))


_NUMBER = re.compile(
    r"^\s*(?:approx(?:imately|\.)?|about|est(?:imated|\.)?|~)?\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*\+?\s*$",
    re.IGNORECASE,
)


def parse_number(value: Any) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return plain(value)
    m = _NUMBER.match(str(value))
    if not m:
        return None
    num = float(m.group(1).replace(",", ""))
    return int(num) if num.is_integer() else num


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n\n".join(t for t in (_text_of(v) for v in value) if t.strip())
    if isinstance(value, dict):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(plain(value)) if not isinstance(value, str) else value


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return ""


def template_fields(template: str) -> list[str]:
    return [f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f]


@lru_cache(maxsize=64)
def _compiled_strip(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


def render_template(template: str | list[str], f: dict[str, Any]) -> str:
    """A string template is formatted as is; a list drops each part whose fields are all empty."""
    values = _Missing({k: one_line(v) if v is not None else "" for k, v in f.items()})
    if isinstance(template, str):
        return template.format_map(values)
    out = []
    for part in template:
        names = template_fields(part)
        if names and any(not values[n].strip() for n in names):
            continue
        out.append(part.format_map(values))
    return " ".join(p.strip() for p in out if p.strip())


def corpus_fields(corpus: CorpusConfig) -> list[tuple[str, str]]:
    """(config key, field name) for every source field the corpus config refers to."""
    wanted: list[tuple[str, str]] = [("id", corpus.id), ("date", corpus.date), ("facility", corpus.facility)]
    wanted += [("id_fields", f) for f in corpus.id_fields]
    if corpus.title:
        if "{" in corpus.title:
            wanted += [("title", f) for f in template_fields(corpus.title)]
        else:
            wanted.append(("title", corpus.title))
    wanted += [("text", t) for t in corpus.text] + [("metadata", m) for m in corpus.metadata]
    wanted += [("numeric", m) for m in corpus.numeric]
    parts = [corpus.template] if isinstance(corpus.template, str) else corpus.template
    wanted += [("template", f) for p in parts for f in template_fields(p)]
    return [(k, n) for k, n in wanted if n]


def composite_id(values: list[Any]) -> str:
    key = "\x1f".join(one_line(v) if v is not None else "" for v in values)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def record_id(corpus: CorpusConfig, f: dict[str, Any]) -> str:
    """The source id of a record by its `id` field, or "\x00<reason>" when it has none."""
    rid = f.get(corpus.id)
    if rid is None or str(rid).strip() == "":
        return f"\x00missing id field '{corpus.id}'"
    if isinstance(rid, float) and rid.is_integer():
        rid = int(rid)
    if isinstance(rid, (dict, list)):
        return f"\x00id field '{corpus.id}' holds a {type(rid).__name__}, not a value"
    source_id = one_line(rid)
    if len(source_id) > MAX_ID_CHARS:
        return f"\x00id is {len(source_id)} characters, over {MAX_ID_CHARS}"
    if not ID_CHARS.fullmatch(source_id):
        bad = next((ch for ch in source_id if not (ch.isascii() and (ch.isalnum() or ch in "_.-"))), source_id[:1])
        return (f"\x00id {source_id[:60]!r} is not allowed: ids are letters, digits and _ . - "
                f"(starting with a letter or digit; found {bad!r})")
    return source_id


def content_hash(d: ReportDraft, salt: str = "") -> str:
    payload = json.dumps([d.title, d.date, d.facility, d.text, d.meta, salt], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def text_hash(text: str, salt: str = "") -> str:
    return hashlib.sha256(f"{salt}\x00{text}".encode("utf-8")).hexdigest()


def to_draft(corpus: CorpusConfig, raw: RawRecord, max_chars: int) -> ReportDraft | RecordError:
    f = raw.fields
    composite = bool(corpus.id_fields)
    if composite:
        values = [f.get(name) for name in corpus.id_fields]
        if all(v is None or str(v).strip() == "" for v in values):
            return RecordError(raw.source_path, raw.location, f"all id fields {corpus.id_fields} are empty")
        iso = parse_date(f.get(corpus.date), corpus.date_format) if corpus.date else None
        source_id = f"{iso}-{composite_id(values)}" if iso else composite_id(values)
    else:
        source_id = record_id(corpus, f)
        if source_id.startswith("\x00"):
            return RecordError(raw.source_path, raw.location, source_id[1:])
    strip = _compiled_strip(tuple(corpus.strip))

    parts: list[str] = []
    if corpus.template:
        try:
            parts.append(render_template(corpus.template, f))
        except (ValueError, IndexError, KeyError, AttributeError) as exc:
            return RecordError(raw.source_path, raw.location, f"template error: {exc}", source_id)
    for name in corpus.text:
        v = _text_of(f.get(name))
        for rx in strip:
            v = rx.sub("", v)
        if v.strip():
            parts.append(v)
    if not parts or not "".join(parts).strip():
        names = corpus.text or ["template"]
        return RecordError(raw.source_path, raw.location, f"empty text (nothing in {names})", source_id)
    # A quick bound before cleaning, so a 10 MB record costs no regex work.
    raw_len = sum(len(p) for p in parts)
    if raw_len > max_chars * 2:
        return RecordError(raw.source_path, raw.location, f"text is {raw_len:,} characters, over the limit of {max_chars:,}", source_id)
    headline = ""
    if not corpus.template:
        headline, parts[0] = split_headline(parts[0])
        headline = one_line(headline)
    body = clean_text("\n\n".join(parts))
    text = f"{headline}\n\n{body}" if headline and body else (headline or body)
    if not text:
        return RecordError(raw.source_path, raw.location, "empty text (only whitespace or control characters)", source_id)
    if len(text) > max_chars:
        return RecordError(raw.source_path, raw.location, f"text is {len(text):,} characters, over the limit of {max_chars:,}", source_id)

    title = ""
    if corpus.title and "{" in corpus.title:
        title = one_line(render_template(corpus.title, f), 300)
    elif corpus.title:
        title = one_line(f.get(corpus.title) or "", 300)
    title = title or headline or first_sentence(body)

    meta: dict[str, Any] = {}
    for name in corpus.metadata:
        if name in f:
            meta[name] = plain(f[name])
    for name in corpus.numeric:
        if name not in f:
            continue
        value = plain(f[name])
        num = parse_number(value)
        meta[name] = num
        if num is None and value not in (None, ""):
            meta[f"{name}_raw"] = value
        elif isinstance(value, str) and str(num) != value.strip():
            meta[f"{name}_raw"] = value
    raw_date = f.get(corpus.date) if corpus.date else None
    iso_date = parse_date(raw_date, corpus.date_format)
    if raw_date not in (None, "") and iso_date is None:
        meta.setdefault("date_raw", plain(raw_date))
    facility = one_line(f.get(corpus.facility) or "", 500) if corpus.facility else ""
    return ReportDraft(
        id=f"{corpus.name}:{source_id}",
        corpus=corpus.name,
        source_id=source_id,
        title=title,
        date=iso_date,
        text=text,
        meta=meta,
        source_path=raw.source_path,
        location=raw.location,
        facility=facility,
        composite_key=composite,
    )


def number_occurrence(item: ReportDraft, occurrences: Counter[str]) -> None:
    """Rows with equal key fields are distinct reports: the k-th (k > 1) gets the suffix -k, in source order."""
    if not item.composite_key:
        return
    occurrences[item.source_id] += 1
    k = occurrences[item.source_id]
    if k > 1:
        item.source_id = f"{item.source_id}-{k}"
        item.id = f"{item.corpus}:{item.source_id}"


# facility_key (case- and spacing-insensitive facility form) lives with the store, which filters on it;
# imported above and still importable from here.
