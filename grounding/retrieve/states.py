"""US state names in English and Korean (grounding/data/us_states.tsv), so "텍사스에서" names Texas.

One list for the metadata catalog, the aggregate router and the question normaliser. Korean names are
rewritten to the English ones before places are compared, because the stored reports name places in English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def states() -> tuple[tuple[str, str, str], ...]:
    """(code, English name, Korean name) for every state, DC and Puerto Rico."""
    rows = []
    for line in files("grounding").joinpath("data/us_states.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, en, ko = line.split("\t")
            rows.append((code, en, ko))
    return tuple(rows)


def english_names() -> list[str]:
    return [en for _, en, _ in states()]


@lru_cache(maxsize=1)
def _korean_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_ko = {ko: en for _, en, ko in states()}
    # Longest first, so 웨스트버지니아 is not read as 버지니아; an optional 주 ("state") after the name is absorbed.
    alt = "|".join(re.escape(k) for k in sorted(by_ko, key=len, reverse=True))
    return re.compile(rf"({alt})주?"), by_ko


def english_state_names(text: str) -> str:
    """Korean state names replaced by the English ones, each padded by spaces ("텍사스주에서" -> " texas 에서")."""
    pattern, by_ko = _korean_pattern()
    return pattern.sub(lambda m: f" {by_ko[m.group(1)]} ", text)
