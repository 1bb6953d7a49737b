"""Extractive answers: when nothing generated survives the checks, quote the evidence that answers.

The sentences are chosen by the pipeline (relevance to the question, the kind of
fact it asks for — a cause, an action, a number, a date — and how much they add
beyond restating the question), never by the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grounding.config import QuestionKindConfig, default_question_kinds
from grounding.retrieve.injection import is_injection
from grounding.verify.normalize import facts
from grounding.verify.support import content_words



class QuestionKinds:
    """The configured question kinds (`[[question_kind]]`), compiled once: which fact a question
    asks for, and the marker an answer of that kind carries."""

    def __init__(self, kinds: list[QuestionKindConfig]) -> None:
        self._kinds = [(k.name, [re.compile(p) for p in k.ask], re.compile(k.cue) if k.cue else None, k.label_ko) for k in kinds]

    def kind(self, question: str) -> str:
        for name, asks, _, _ in self._kinds:
            if any(p.search(question) for p in asks):
                return name
        return "what"

    def cue(self, kind: str) -> re.Pattern[str] | None:
        """The marker an answer to a question of `kind` carries ("due to" for a cause); None for open questions."""
        return next((c for n, _, c, _ in self._kinds if n == kind), None)

    def label_ko(self, kind: str) -> str:
        return next((lab for n, _, _, lab in self._kinds if n == kind), "") or "내용"


DEFAULT_KINDS = QuestionKinds(default_question_kinds())
CUE_BONUS = 0.25
NOVELTY_WEIGHT = 0.3
SECOND_SENTENCE_RATIO = 0.85


def question_kind(question: str, kinds: QuestionKinds = DEFAULT_KINDS) -> str:
    return kinds.kind(question)


def kind_cue(question: str, answer: str, kinds: QuestionKinds = DEFAULT_KINDS) -> float:
    """1 when the answer carries the marker of the fact asked for (a cause's "due to", a number), 0 when not.

    A confidence signal: an answer to "what caused" that names no cause is usually a restatement.
    Open questions ("what happened") have no marker and score 0.5.
    """
    cue = kinds.cue(kinds.kind(question))
    if cue is None:
        return 0.5
    return 1.0 if cue.search(answer) else 0.0


def novelty(question: str, answer: str) -> float:
    """Share of the answer's content words that the question does not already contain."""
    words = content_words(answer)
    return len(words - content_words(question)) / len(words) if words else 0.0


_UNKNOWN_CAUSE = re.compile(
    r"\b(?:cause|reason)s?\b[^.;]{0,80}?\b(?:is|are|was|were|remains?|currently|still)?\s*(?:unknown|under investigation|"
    r"being (?:investigated|evaluated)|not (?:yet |currently )?(?:known|determined|understood)|undetermined|to be determined)\b"
    r"|\bfor (?:an? )?unknown reasons?\b|\bunknown cause\b",
    re.I,
)


_ANSWERS = re.compile(r"원인|때문|정답|결론|결과|\b(?:answer|finding|responsible|attribut\w*|cause[sd]?)\b", re.I)


def cause_only_injected(question: str, shown: list[str], marked: list[str], kinds: QuestionKinds = DEFAULT_KINDS) -> bool:
    """A cause question whose report states a cause only in sentences marked as not evidence
    (addressed to an assistant, orders, "official finding"): that cause is not evidence, and
    nothing else in the report says why. A reason to abstain."""
    cue = kinds.cue("cause")
    if kinds.kind(question) != "cause" or cue is None or not marked:
        return False
    injected = any(cue.search(s) or _ANSWERS.search(s) for s in marked)
    return injected and not any(cue.search(s) and not _UNKNOWN_CAUSE.search(s) for s in shown)


def states_cause_unknown(question: str, texts: list[str], kinds: QuestionKinds = DEFAULT_KINDS) -> bool:
    """A cause question whose evidence says the cause is not yet known ("under investigation").

    A confidence signal: an early notification often says so, and any cause the model then
    offers is a guess from the surrounding sentences.
    """
    return kinds.kind(question) == "cause" and any(_UNKNOWN_CAUSE.search(t) for t in texts)


@dataclass
class Quote:
    key: str
    text: str
    score: float
    kind: str


def _score(question_words: set[str], kind: str, cue: re.Pattern[str] | None, sentence: str, relevance: float) -> float:
    words = content_words(sentence)
    novelty = len(words - question_words) / len(words) if words else 0.0
    score = relevance + NOVELTY_WEIGHT * novelty
    if cue is not None and cue.search(sentence):
        score += CUE_BONUS
    if kind == "number" and facts(sentence)[1]:
        score += 0.05
    if len(sentence) < 25:
        score -= 0.2  # headlines and fragments rarely answer on their own
    return score


def best_quote(
    question: str, passages: list[tuple[str, list[str], list[float]]], kinds: QuestionKinds = DEFAULT_KINDS, bridge: str = ""
) -> Quote | None:
    """passages: (key, sentences, relevance per sentence). Returns the best one or two adjacent-in-passage sentences.
    A Korean question's words are taken from its English `bridge` (the sentences are English)."""
    kind = kinds.kind(question)
    cue = kinds.cue(kind)
    qw = content_words(bridge or question)
    best: tuple[float, str, int, list[tuple[float, int, str]]] | None = None
    for key, sents, rels in passages:
        # A sentence addressed to the reader or an assistant is never quoted as an answer, even
        # when a caller hands one in (evidence selection already leaves them out).
        scored = sorted(
            ((_score(qw, kind, cue, s, r), i, s) for i, (s, r) in enumerate(zip(sents, rels)) if not is_injection(s)), reverse=True
        )
        if scored and (best is None or scored[0][0] > best[0]):
            best = (scored[0][0], key, scored[0][1], scored)
    if best is None:
        return None
    top_score, key, _, scored = best
    chosen = [scored[0]]
    if len(scored) > 1 and scored[1][0] >= SECOND_SENTENCE_RATIO * top_score:
        chosen.append(scored[1])
    text = " ".join(s for _, _, s in sorted(chosen, key=lambda x: x[1]))
    return Quote(key, text, top_score, kind)
