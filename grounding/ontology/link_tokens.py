"""Tokens and normalization shared by the linker's labels and texts (split from linker.py).

Case-folded, apostrophes dropped, plurals reduced to the singular by the shared noun lemmatizer
(grounding/text), slashes split except in short all-caps tokens ("S/G"), abbreviation keys.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from grounding.ontology.graph import split_camel
from grounding.text import STOPWORDS, noun_lemma

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:[./'\u2019][0-9A-Za-z\u00C0-\u024F]+)*|[\uAC00-\uD7A3]+")
_HANGUL = re.compile(r"[\uAC00-\uD7A3]")


def norm_token(tok: str) -> str:
    """Case-fold, drop apostrophes and reduce a plural to its singular with the shared noun
    lemmatizer (grounding/text), identically for labels and text ("switches" = "switch",
    "batteries" = "battery"). Not the Snowball stemmer: see grounding/text/stem.py."""
    return noun_lemma(tok.lower().replace("'", "").replace("\u2019", ""))


# Words a fuzzy or embedding span never starts or ends with: the shared stopword list, normalized
# as the linker's tokens are.
_STOP = frozenset(norm_token(w) for w in STOPWORDS)


_norm_cache: dict[str, str] = {}
_norm_lock = threading.Lock()


def _norm(tok: str) -> str:
    r = _norm_cache.get(tok)
    if r is None:
        r = norm_token(tok)
        if len(_norm_cache) > 200_000:
            with _norm_lock:
                _norm_cache.clear()
        _norm_cache[tok] = r
    return r


@dataclass(frozen=True)
class Mention:
    concept: str
    start: int
    end: int
    surface: str
    score: float
    method: str  # "exact" | "abbrev" | "fuzzy" | "embedding"


def _split_slashes(toks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """"S/G" and "A/R" stay tokens; "feedwater/condensate" splits."""
    out = []
    for raw, s, e in toks:
        if "/" in raw and not (len(raw) <= 5 and raw.replace("/", "").isupper()):
            pos = s
            for part in raw.split("/"):
                if part:
                    out.append((part, pos, pos + len(part)))
                pos += len(part) + 1
        else:
            out.append((raw, s, e))
    return out


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    toks = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    return _split_slashes(toks) if "/" in text else toks


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Kept for callers of the first version: (token, start, end)."""
    return _raw_tokens(text)


def abbrev_core(label: str) -> str | None:
    """The case-sensitive key of an abbreviation-like label ("E.D.G." -> "EDG"), else None."""
    s = label.strip()
    if " " in s or "\t" in s:
        return None
    core = s.replace(".", "").replace("-", "").replace("&", "")
    if 2 <= len(core) <= 6 and core.isalnum() and core.isascii() and core.upper() == core and any(c.isalpha() for c in core):
        return core.replace("/", "")
    if "/" in s and 3 <= len(s) <= 5 and s.upper() == s:  # S/G, A/R
        return s
    return None


def _is_abbrev(label: str) -> bool:
    return abbrev_core(label) is not None


def _label_keys(text: str) -> list[tuple[str, ...]]:
    """Normalized token keys of a label: as written, hyphen-joined, and joined when short."""
    text = split_camel(text)
    toks = _raw_tokens(text)
    if not toks:
        return []
    base = tuple(_norm(t) for t, _, _ in toks)
    keys = [base]
    if 2 <= len(toks) <= 3:
        joined = (_norm("".join(t for t, _, _ in toks)),)
        keys.append(joined)
    # join only across hyphens ("feed-water pump" -> "feedwater pump")
    parts: list[str] = []
    cur = toks[0][0]
    for (t, s, _), (_, _, pe) in zip(toks[1:], toks[:-1]):
        if text[pe:s] == "-":
            cur += t
        else:
            parts.append(cur)
            cur = t
    parts.append(cur)
    if len(parts) != len(toks):
        keys.append(tuple(_norm(p) for p in parts))
    return list(dict.fromkeys(keys))


def _hangul_only(text: str) -> bool:
    return bool(_HANGUL.search(text)) and not re.search(r"[A-Za-z0-9]", text)
