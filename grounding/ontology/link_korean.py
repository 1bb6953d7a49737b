"""Korean labels inside Hangul words, for the linker (split from linker.py to keep it short).

Korean writes particles onto the noun ("변압기가", "주변압기의") and compounds without spaces,
so a label is matched on the compact string of a run of Hangul words: the longest label from
the start of a word, chained through compounds, when the rest of the word is empty or a particle
(grounding/text/korean.py); else the head noun at the word's end (Korean compounds are head-final).
"""

from __future__ import annotations

from grounding.text.korean import PARTICLES as _PARTICLES
from grounding.text.korean import is_particle


def link_hangul(ko: dict[str, str], maxlen: int, units: list[tuple[str, str, int, int]]) -> list[tuple[str, int, int, float]]:
    """(concept, start, end, score) of the Korean labels inside a run of Hangul words (particles,
    compounds, spaced or unspaced labels); `ko` maps a label without spaces to its concept."""
    out: list[tuple[str, int, int, float]] = []
    # compact string of the run with a map back to text offsets and word boundaries
    chars: list[str] = []
    offs: list[int] = []
    word_start: set[int] = set()
    word_end: set[int] = set()
    for raw, _, s, _e in units:
        word_start.add(len(chars))
        for k, ch in enumerate(raw):
            chars.append(ch)
            offs.append(s + k)
        word_end.add(len(chars))
    compact = "".join(chars)
    n = len(compact)

    def particle_rest(p: int) -> bool:
        """The rest of the word from p is empty or a particle."""
        end = min((w for w in word_end if w >= p), default=n)
        rest = compact[p:end]
        return rest == "" or is_particle(rest)

    def emit(a: int, b: int, iri: str, score: float) -> None:
        out.append((iri, offs[a], offs[b - 1] + 1, score))

    p = 0
    while p < n:
        if p not in word_start:
            p += 1
            continue
        matched = False
        q = p
        while q < n:
            best = None
            for L in range(min(maxlen, n - q), 0, -1):
                iri = ko.get(compact[q : q + L])
                if iri is not None and (L >= 2 or particle_rest(q + L)):
                    best = (L, iri)
                    break
            if best is None:
                break
            L, iri = best
            emit(q, q + L, iri, 1.0)
            matched = True
            q += L
            if q in word_start or particle_rest(q):
                break
        if matched:
            p = q
            continue
        # no label at the word start: the head noun at the word's end (before a particle)
        end = min((w for w in word_end if w > p), default=n)
        word = compact[p:end]
        for part in ("",) + _PARTICLES:
            if part and not word.endswith(part):
                continue
            stem_end = end - len(part)
            hit = None
            for L in range(min(maxlen, stem_end - p), 1, -1):
                iri = ko.get(compact[stem_end - L : stem_end])
                if iri is not None:
                    hit = (L, iri)
                    break
            if hit:
                emit(stem_end - hit[0], stem_end, hit[1], 0.9)
                break
        p = end
    return out
