"""One English stopword list: the one bm25s ships (NLTK's) plus a small domain addition kept as
data (grounding/data/stopwords_en.txt). Used by the support check, evidence selection, the
linker's fuzzy fallback, candidate mining and the eval's token matching."""

from __future__ import annotations

from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN_PLUS


def read_words(name: str) -> frozenset[str]:
    """Words of a data file in grounding/data (one or more a line; '#' starts a comment)."""
    text = (Path(__file__).resolve().parent.parent / "data" / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())


DOMAIN_STOPWORDS: frozenset[str] = read_words("stopwords_en.txt")
STOPWORDS: frozenset[str] = frozenset(STOPWORDS_EN_PLUS) | DOMAIN_STOPWORDS


def is_stopword(word: str) -> bool:
    return word.lower() in STOPWORDS
