"""Evidence selection: from retrieved chunks keep only the sentences that bear on the question.

A small model answers better from a short prompt, and a short prompt makes every
citation checkable: the passages [P1].. are exactly what the model was shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grounding.embed.base import Embedder
from grounding.retrieve.injection import marked
from grounding.retrieve.types import Hit
from grounding.text import split_sentences

_WORD = re.compile(r"(?u)\b\w\w+\b")
# Not grounding.text.STOPWORDS on purpose: that list also drops report-speak ("cause", "caused",
# "plant", "unit"), which here still tells the sentence that gives a cause from its neighbours; and
# the packaged calibrator was fitted on relevance scores computed with this list. Changing it means
# re-running the eval and the calibration (README, Calibration).
_STOP = frozenset(
    "the a an of to in on at for and or is was were be been what which who when where why how did does do with from by "
    "that this as it its into during after before about any all there their they he she his her has have had not no".split()
)


@dataclass
class SelectedPassage:
    hit: Hit
    sentences: list[str]
    score: float  # best sentence relevance inside this chunk
    sentence_scores: list[float] = field(default_factory=list)  # relevance of each kept sentence
    marked: list[str] = field(default_factory=list)  # sentences of the chunk that are not evidence (never shown)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


# Sentences in a report that address a model or the reader, give orders or claim an official
# finding rather than describe an event (grounding/retrieve/injection.py) are never shown to the
# generator and never quoted: report text is evidence, not instructions.
def split_evidence(hit: Hit) -> tuple[list[str], list[str]]:
    """(the chunk's sentences that are evidence, the ones that are not): marks stored at ingest
    (chunks.flags) and the current rules, together (a chunk ingested before a rule still obeys it)."""
    sents = split_sentences(hit.text) or [hit.text]
    bad = set(marked(sents))
    stored = set(hit.marked)
    keep = [s for i, s in enumerate(sents) if i not in bad and s not in stored]
    return keep, [s for i, s in enumerate(sents) if i in bad or s in stored]


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def select_evidence(
    question: str,
    hits: list[Hit],
    embedder: Embedder,
    max_sentences: int,
    context: int = 1,
) -> list[SelectedPassage]:
    """Score every sentence of every hit; keep the best `max_sentences` overall, with neighbours.

    Each selected sentence brings `context` neighbours on each side because causes and
    actions often sit in the sentence after the one that matches the question.
    """
    if not hits:
        return []
    split = [split_evidence(h) for h in hits]
    per_hit = [keep for keep, _ in split]
    flat = [(i, j, s) for i, sents in enumerate(per_hit) for j, s in enumerate(sents)]
    if not flat:
        return []
    q_vec = embedder.embed_queries([question])[0]
    s_vecs = embedder.embed_passages([s for _, _, s in flat])
    sims = s_vecs @ q_vec
    q_terms = _terms(question)
    scored = []
    relevance: dict[tuple[int, int], float] = {}
    for (i, j, s), sim in zip(flat, sims):
        overlap = len(q_terms & _terms(s)) / max(len(q_terms), 1)
        rank_prior = 1.0 / (1 + i)  # retrieval order still matters
        relevance[(i, j)] = float(sim) + 0.3 * overlap
        scored.append((relevance[(i, j)] + 0.1 * rank_prior, i, j))
    scored.sort(reverse=True)
    keep: dict[int, set[int]] = {}
    best: dict[int, float] = {}
    taken = 0
    for score, i, j in scored:
        if taken >= max_sentences:
            break
        if j in keep.get(i, set()):
            continue
        window = {k for k in range(j - context, j + context + 1) if 0 <= k < len(per_hit[i])}
        keep.setdefault(i, set()).update(window)
        best[i] = max(best.get(i, -1e9), score)
        taken += 1
    out = [
        SelectedPassage(hits[i], [per_hit[i][k] for k in sorted(js)], best[i], [relevance[(i, k)] for k in sorted(js)], split[i][1])
        for i, js in keep.items()
    ]
    out.sort(key=lambda p: -p.score)
    return out

