"""Sentence splitting for evidence selection, verification and summarization.

A regex splitter rather than a model: report prose is regular (". " + capital), the cost is
microseconds per chunk, and the abbreviations that end in a dot in these reports are listed.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? followed by space and an upper-case letter, digit or quote,
# except after common abbreviations ("approx.", "No.", "U.S.").
_ABBREV = re.compile(r"\b(?:approx|no|nos|vs|etc|e\.g|i\.e|u\.s|dr|mr|ms|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|inc|corp|co|fig|ref|rev|min|max|hr|hrs|ca|ft|lbs)\.$", re.I)
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9\uAC00-\uD7A3])|\n{2,}|(?<=[.!?。])\s*(?=[\uAC00-\uD7A3])")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` in order (Korean sentences end at . ! ? 。 before Hangul)."""
    parts: list[str] = []
    buf = ""
    pos = 0
    for m in _SPLIT.finditer(text):
        piece = text[pos : m.start()].strip()
        pos = m.end()
        if not piece:
            continue
        buf = f"{buf} {piece}".strip() if buf else piece
        if _ABBREV.search(buf):
            continue
        parts.append(buf)
        buf = ""
    tail = text[pos:].strip()
    if tail:
        buf = f"{buf} {tail}".strip() if buf else tail
    if buf:
        parts.append(buf)
    return [p for p in parts if p]
