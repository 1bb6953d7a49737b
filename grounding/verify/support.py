"""Per-sentence support: a generated sentence may stand only on evidence that states it.

No NLI model ships offline, and embeddings alone cannot tell "90 %" from "50 %"
(0.93 cosine) nor a "control rod module" from a "control rod drive breaker". So a
sentence is supported by a passage only when all of these hold:
- its meaning is close to the passage (embedding cosine above a threshold);
- every number and date it states occurs in the passage (normalized);
- every acronym and ontology concept it names occurs in the passage (or the question);
- most of its content words occur in the passage or the question (lexical precision),
  which is what catches a small model's fluent inventions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from grounding.embed.base import Embedder
from grounding.text import STOPWORDS as TEXT_STOPWORDS
from grounding.text import stem
from grounding.verify.normalize import facts

ConceptFn = Callable[[str], list[str]]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|[\uac00-\ud7a3]+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9/&]{1,6}\b")
# One stopword list for every stage (grounding/text/stopwords.py); kept under this name for callers.
STOPWORDS = TEXT_STOPWORDS


# Words that assert what went wrong. Saying a part "malfunctioned" or "was faulty" when the
# report does not is the distortion that costs most in a control room, so each such word
# stem in a sentence must also occur in the evidence it cites.
CRITICAL_STEMS = (
    "malfunction", "fail", "faulty", "fault", "defect", "error", "mistak", "leak", "fire", "explo", "sabotag",
    "damag", "ruptur", "broke", "crack", "corro", "incorrect", "improper", "inadequat", "lightning", "flood",
    "storm", "tornado", "hurrican", "vandal", "cyber", "attack", "overheat", "short circuit", "contaminat",
)
_CRIT_RE = re.compile(r"\b(" + "|".join(re.escape(s) for s in CRITICAL_STEMS) + r")", re.I)


def critical_claims(text: str) -> set[str]:
    return {m.group(1).lower() for m in _CRIT_RE.finditer(text)}


def content_words(text: str) -> set[str]:
    """Snowball stems of the words that carry content (stopwords and 1-2 letter words left out)."""
    return {stem(w.lower().strip("'-")) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}


def acronyms(text: str) -> set[str]:
    return {a for a in _ACRONYM.findall(text) if not a.isdigit()}


@dataclass
class SupportResult:
    status: str  # supported | unsupported
    citations: list[str]
    similarity: float
    reason: str
    lexical_precision: float = 0.0
    unsupported_terms: list[str] = field(default_factory=list)


@dataclass
class SupportPolicy:
    min_similarity: float = 0.45
    min_lexical_precision: float = 0.75


def _check_one(
    sent: str,
    key: str,
    passage: str,
    sim: float,
    question: str,
    policy: SupportPolicy,
    concepts: ConceptFn | None,
    p_facts: tuple[set[str], set[str]],
    p_words: set[str],
) -> tuple[bool, str, float, list[str]]:
    if sim < policy.min_similarity:
        return False, f"closest meaning in {key} is {sim:.2f} < {policy.min_similarity:.2f}", 0.0, []
    dates, nums = facts(sent)
    q_dates, q_nums = facts(question)
    missing = sorted(dates - p_facts[0] - q_dates) + sorted(nums - p_facts[1] - q_nums)
    if missing:
        return False, f"{', '.join(missing)} not stated in {key}", 0.0, missing
    allowed = p_words | content_words(question)
    words = content_words(sent)
    novel = sorted(words - allowed)
    precision = 1.0 - len(novel) / len(words) if words else 1.0
    upper_passage = passage.upper() + " " + question.upper()
    bad_acr = sorted(a for a in acronyms(sent) if a not in upper_passage)
    if bad_acr:
        return False, f"names {', '.join(bad_acr)}, absent from {key}", precision, bad_acr
    unstated = sorted(critical_claims(sent) - critical_claims(passage) - critical_claims(question))
    if unstated:
        return False, f"asserts '{', '.join(unstated)}…' but {key} does not say so", precision, unstated
    if precision < policy.min_lexical_precision:
        return False, f"only {precision:.0%} of its content words occur in {key} (new: {', '.join(novel[:6])})", precision, novel
    if concepts is not None:
        absent = set(concepts(sent)) - set(concepts(passage)) - set(concepts(question))
        if absent:
            return False, f"names {len(absent)} ontology concept(s) absent from {key}", precision, sorted(absent)
    return True, f"similarity {sim:.2f}, {precision:.0%} of content words, all numbers/dates/names found in {key}", precision, novel


def check_sentences(
    sentences: list[str],
    passages: list[tuple[str, str]],
    embedder: Embedder,
    min_similarity: float | SupportPolicy,
    concepts: ConceptFn | None = None,
    question: str = "",
    cites: list[list[str]] | None = None,
    recite: bool = True,
) -> list[SupportResult]:
    """Align each sentence to the passage that supports it; never cite a passage the model was not shown.

    `cites` (claims output): the passages the model named for each sentence, tried first. A sentence
    none of them supports is dropped, or with `recite` cited to the shown passage that does support
    it, the reason saying the citation was corrected: what the user sees is always checked support.
    """
    policy = min_similarity if isinstance(min_similarity, SupportPolicy) else SupportPolicy(min_similarity=min_similarity)
    if not sentences:
        return []
    if not passages:
        return [SupportResult("unsupported", [], 0.0, "no evidence was retrieved") for _ in sentences]
    keys = [k for k, _ in passages]
    texts = [t for _, t in passages]
    sims = embedder.embed_passages(sentences) @ embedder.embed_passages(texts).T
    p_facts = [facts(t) for t in texts]
    p_words = [content_words(t) for t in texts]
    results: list[SupportResult] = []
    for i, sent in enumerate(sentences):
        first_reason = ""
        best_prec = 0.0
        chosen: SupportResult | None = None
        order = sorted(range(len(texts)), key=lambda j: -sims[i, j])
        want = list(cites[i]) if cites is not None else []
        named = [j for j in order if keys[j] in want]
        rest = [j for j in order if j not in named] if (cites is None or recite) else []
        for j in named + rest:
            ok, reason, prec, terms = _check_one(sent, keys[j], texts[j], float(sims[i, j]), question, policy, concepts, p_facts[j], p_words[j])
            if ok:
                if cites is not None and j not in named:
                    named_txt = ", ".join(want) or "no passage"
                    reason = f"cites {named_txt}, which does not support it; {keys[j]} does (citation corrected): {reason}"
                chosen = SupportResult("supported", [keys[j]], float(sims[i, j]), reason, prec, terms)
                break
            first_reason = first_reason or reason
            best_prec = max(best_prec, prec)
            if j not in named and sims[i, j] < policy.min_similarity:
                break
        if chosen is None and cites is not None and not first_reason:
            first_reason = f"cites {', '.join(want) or 'no passage'}, none of which was shown"
        results.append(chosen or SupportResult("unsupported", [], float(sims[i].max()), first_reason or "no passage supports it", best_prec))
    return results
