"""The English bridge of a Korean question, for the comparisons the English-only embedder makes at answer time.

all-MiniLM-L6-v2 splits Hangul into jamo, so a Korean question scored against English report sentences
gives relevance near noise (0.24 where the English twin gets 0.76) and every answer word looks "new". The
bridge is what the question says in English without a model: its Latin-script words (plant names, "OE-417",
"Unit 2"), its Korean state names in English, the English preferred labels of the ontology concepts the
linker found through their Korean labels, and the kind of fact it asks for. It is used for evidence-sentence
relevance, the quote's question words and the novelty signal; retrieval, filters and routing still read
the question itself, and nothing is re-ingested.
"""

from __future__ import annotations

import re

from grounding.ontology.graph import OntologyGraph
from grounding.retrieve.states import english_state_names
from grounding.text.korean import has_hangul

_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'/&-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.'/&-]*)*")
_KIND_WORDS = {"cause": "what caused it", "action": "what action was taken", "number": "how many",
               "date": "when", "mode": "what mode"}


def english_bridge(question: str, concepts: list[str], onto: OntologyGraph | None, kind: str) -> str:
    """The question's English words, concept labels and kind ("" for a question without Hangul)."""
    if not has_hangul(question):
        return ""
    # Bare numbers (years, days, unit numbers) are left to the date and unit filters.
    runs = (" ".join(w for w in m.group(0).split() if not w.isdigit()) for m in _LATIN_RUN.finditer(english_state_names(question)))
    latin = [r for r in runs if r]
    labels = [onto.label(c) for c in concepts] if onto is not None else []
    parts = [*latin, *labels, _KIND_WORDS.get(kind, "")]
    return " ".join(dict.fromkeys(p for p in parts if p))
