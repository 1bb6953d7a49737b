"""Structured output: the model answers `{"claims": [{"text": ..., "cites": ["P1"]}]}` under a JSON schema.

Why: in free text the pipeline has to recover which passage each sentence came from; a claim names
its evidence, so the check can hold each claim to the passages it cites (answer/check.py) and a
claim whose cited passage does not say it is dropped even when another passage would. The schema
lists the shown passage keys as the only allowed `cites`, so a claim cannot cite what the model was
not shown. The checks still judge every claim; the schema only shapes what the model writes.

Backends that constrain decoding say so with `supports_schema = True` and read
`SamplingConfig.json_schema`: xllamacpp turns it into a llama.cpp grammar, the `openai` backend
sends it as `response_format` (vLLM, llama.cpp's server, OpenAI). Others get the free-text prompt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_CLAIMS = 2
MAX_CLAIM_CHARS = 300


@dataclass
class Claim:
    text: str
    cites: list[str] = field(default_factory=list)


def claims_schema(keys: list[str], max_claims: int = MAX_CLAIMS) -> dict[str, Any]:
    """The JSON schema of an answer: at most `max_claims` claims, each citing only shown passage keys."""
    cite = {"type": "string", "enum": list(keys)} if keys else {"type": "string"}
    claim = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": MAX_CLAIM_CHARS},
            "cites": {"type": "array", "items": cite, "minItems": 1, "maxItems": max(1, len(keys) or 1)},
        },
        "required": ["text", "cites"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"claims": {"type": "array", "items": claim, "maxItems": max_claims}},
        "required": ["claims"],
        "additionalProperties": False,
    }


# llguidance's JSON options (llama.cpp's grammar engine; vLLM's guided decoding reads the same key):
# no free whitespace, so the model cannot spend its tokens on indentation.
COMPACT = {"whitespace_flexible": False, "key_separator": ":", "item_separator": ","}


def compact(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with llguidance's compact-JSON option (ignored by validators that do not know it)."""
    return {**schema, "x-guidance": COMPACT}


def supports_schema(generator: object) -> bool:
    """Whether a backend constrains its decoding to a JSON schema (a wrapper asks what it wraps)."""
    return bool(getattr(generator, "supports_schema", False))


_CLAIMS_OPEN = re.compile(r'"claims"\s*:\s*\[')
_TEXT_FIELD = re.compile(r'"text"\s*:\s*"((?:[^"\\]|\\.)*)("?)')


def _unescape(s: str) -> str:
    try:
        return json.loads(f'"{s}"')
    except json.JSONDecodeError:
        return s


def parse_claims(raw: str) -> list[Claim] | None:
    """The claims of a reply; None when it is not claims JSON at all (then it is read as free text).

    A reply cut off at the token limit keeps its complete claims: the constrained decoder writes
    valid JSON, so only the last object can be unfinished.
    """
    text = raw.strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        if not text.startswith("{"):
            return None
        data = {"claims": _complete_items(text)}
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        return None
    out = []
    for item in data["claims"]:
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            cites = item.get("cites") if isinstance(item.get("cites"), list) else []
            out.append(Claim(item["text"].strip(), [str(c) for c in cites]))
    return out


def _complete_items(text: str) -> list[Any]:
    """The complete objects of a cut-off `"claims": [...]` array, read by the JSON decoder itself
    (so key order and braces or quotes inside the text do not matter); the unfinished last one is left out."""
    m = _CLAIMS_OPEN.search(text)
    if not m:
        return []
    decoder, pos, items = json.JSONDecoder(), m.end(), []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return items
        items.append(item)


def claim_text_so_far(raw: str) -> str:
    """The claims' text written so far in a partial reply, joined by spaces: what a streamed page shows
    while the model writes JSON (a trailing half escape is held back until it completes)."""
    parts = []
    for m in _TEXT_FIELD.finditer(raw):
        body = m.group(1)
        if not m.group(2):  # still open: drop a dangling backslash or \\uXXXX fragment
            body = re.sub(r"\\(u[0-9a-fA-F]{0,3})?$", "", body)
        parts.append(_unescape(body))
    return " ".join(p for p in parts if p)


class ClaimTextView:
    """Turns the raw JSON pieces of a streamed claims reply into the text pieces a reader sees."""

    def __init__(self) -> None:
        self.raw = ""
        self.shown = ""

    def feed(self, piece: str) -> str:
        """The new visible text after `piece` (empty while the model writes keys and punctuation)."""
        self.raw += piece
        now = claim_text_so_far(self.raw)
        if not now.startswith(self.shown):  # cannot happen with valid JSON; show nothing rather than garble
            return ""
        new, self.shown = now[len(self.shown):], now
        return new
