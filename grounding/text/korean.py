"""Korean: particles (josa) after nouns, and morpheme segmentation with kiwipiepy.

Kiwi (with the model kiwipiepy_model ships) takes a few seconds and ~100 MB to load, so it is
created on first use only, i.e. when a Hangul text is seen; English-only corpora never load it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Particles (josa) and copula endings that follow a noun inside a word, longest first. The
# linker's whole-word test ("the rest of the word is a particle") needs a closed list: it runs on
# every Hangul word of every report, where a morphological analysis per word would be too slow.
# tests/text/test_korean.py checks each entry against kiwipiepy's tags.
PARTICLES: tuple[str, ...] = tuple(
    sorted(
        """이 가 은 는 을 를 의 에 에서 에게 께 께서 한테 으로 로 와 과 도 만 까지 부터 보다 처럼 같이 이나 나 이랑 랑
        으로서 로서 으로써 로써 에서는 에는 에도 에서도 으로는 로는 와의 과의 이란 란 이라 라 이다 였다 이었다 입니다 이며 며
        들 들이 들은 들을 들의 들에 들과 이라는 라는 라고 이라고 에서의 에의 마다 조차 밖에 뿐""".split(),
        key=len,
        reverse=True,
    )
)
_PARTICLE_SET = frozenset(PARTICLES)

# Kiwi tags kept as content: nouns, numerals, verb/adjective stems, roots.
_CONTENT_TAGS = ("NNG", "NNP", "NR", "VV", "VA", "XR")

_kiwi = None
_kiwi_lock = threading.RLock()


def has_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text))


def is_particle(s: str) -> bool:
    """Is `s` (the rest of a word after a noun) a particle or copula ending?"""
    return s in _PARTICLE_SET


def strip_particle(word: str) -> str:
    """The word without a trailing particle ("변압기가" -> "변압기"); a bare particle stays."""
    for p in PARTICLES:
        if len(word) > len(p) and word.endswith(p):
            return word[: -len(p)]
    return word


def kiwi():
    """The shared Kiwi analyser, loaded on first use."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


@lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[tuple[str, str, int, int], ...]:
    with _kiwi_lock:  # Kiwi.tokenize is not documented as thread-safe
        toks = kiwi().tokenize(text)
    return tuple((t.form, t.tag, t.start, t.len) for t in toks)


def segment(text: str) -> list[tuple[str, str, int, int]]:
    """(form, tag, start, length) for each morpheme of a Korean text (Sejong tags: NNG noun, JKS
    subject particle, ...); [] for text without Hangul (Kiwi is then never loaded)."""
    if not has_hangul(text):
        return []
    kiwi()
    return list(_analyse(text))


def content_morphemes(text: str) -> list[str]:
    """Lower-cased content morphemes of a Korean text ("주변압기의 냉각팬이" -> 주? 변압기 냉각 팬):
    particles, endings and non-Hangul pieces (the caller's own tokens) dropped."""
    return [form for form, tag, _, _ in segment(text) if tag.startswith(_CONTENT_TAGS) and has_hangul(form)]
