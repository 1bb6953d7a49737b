"""KG consistency and concept alignment of answer sentences.

Relations a sentence asserts between two linked concepts ("the EDG is part of the
switchyard", "a reactor trip caused the lightning strike") are compared with the
ontology: agreeing, unverified, or contradicting it (reversed part-of or cause,
is-a between disjoint classes). And the concepts an answer is about must be the
question's, not siblings the embedder confused with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grounding.ontology.graph import OntologyGraph, local_name
from grounding.ontology.linker import Linker

_PATTERNS: list[tuple[str, bool, re.Pattern[str]]] = [
    # (relation, forward? (first mention is the subject), connector between the mentions)
    ("partOf", True, re.compile(r"^\W*(?:is|are|was|were)?\s*(?:a\s+)?(?:part|component|portion)\s+of\s+(?:the\s+|an?\s+)?\W*$", re.I)),
    ("partOf", False, re.compile(r"^\W*(?:includes?|contains?|consists of|comprises?)\s+(?:the\s+|an?\s+)?\W*$", re.I)),
    ("canCause", True, re.compile(r"^\W*(?:caused|causes|cause|led to|leads to|resulted in|results in|triggered|initiated)\s+(?:the\s+|an?\s+)?\W*$", re.I)),
    ("canCause", False, re.compile(r"^\W*(?:was|were|is|are)?\s*(?:caused by|due to|because of|resulting from|resulted from|as a result of|triggered by|initiated by)\s+(?:the\s+|an?\s+)?\W*$", re.I)),
    ("subClassOf", True, re.compile(r"^\W*(?:is|are)\s+(?:a|an)\s+(?:type|kind|form)?\s*(?:of\s+)?\W*$", re.I)),
]


@dataclass
class RelationCheck:
    relation: str
    subject: str
    object: str
    verdict: str  # agrees | unverified | contradicts
    reason: str


def _has_edge(onto: OntologyGraph, a: str, b: str, rel: str) -> bool:
    """a -rel-> b holds for a or an ancestor of a, towards b or an ancestor of b."""
    left = {a} | onto.ancestors(a)
    right = {b} | onto.ancestors(b)
    for x in left:
        if x not in onto.nx:
            continue
        for _, y, k in onto.nx.out_edges(x, keys=True):
            if y in right and local_name(k) == rel:
                return True
    return False


_INVERSE = {"partOf": "hasPart", "canCause": "causedBy"}


def judge(onto: OntologyGraph, rel: str, a: str, b: str) -> tuple[str, str]:
    la, lb = onto.label(a), onto.label(b)
    if rel == "subClassOf":
        if b in onto.ancestors(a) or a == b:
            return "agrees", f"{la} is a {lb} in the ontology"
        if onto.disjoint(a, b):
            return "contradicts", f"the ontology declares {la} and {lb} disjoint"
        if a in onto.ancestors(b):
            return "contradicts", f"reversed: {lb} is a kind of {la}, not the other way"
        return "unverified", f"the ontology does not say {la} is a {lb}"
    inv = _INVERSE.get(rel, "")
    if _has_edge(onto, a, b, rel) or (inv and _has_edge(onto, b, a, inv)):
        return "agrees", f"{la} -{rel}-> {lb} is in the ontology"
    if _has_edge(onto, b, a, rel) or (inv and _has_edge(onto, a, b, inv)):
        return "contradicts", f"reversed: the ontology has {lb} -{rel}-> {la}"
    return "unverified", f"the ontology has no {rel} between {la} and {lb}"


def relations(onto: OntologyGraph, linker: Linker, sentence: str) -> list[RelationCheck]:
    mentions = linker.link(sentence, fuzzy=False)
    out: list[RelationCheck] = []
    for m1, m2 in zip(mentions, mentions[1:]):
        between = sentence[m1.end : m2.start]
        if len(between) > 40 or m1.concept == m2.concept:
            continue
        for rel, forward, pat in _PATTERNS:
            if pat.match(between):
                a, b = (m1.concept, m2.concept) if forward else (m2.concept, m1.concept)
                verdict, reason = judge(onto, rel, a, b)
                out.append(RelationCheck(rel, a, b, verdict, reason))
                break
    return out


def misaligned(onto: OntologyGraph, question_concepts: list[str], answer_concepts: list[str]) -> list[tuple[str, str]]:
    """(asked, answered-instead) pairs: the answer names a sibling of an asked concept but never the concept."""
    answer = set(answer_concepts)
    out = []
    for q in question_concepts:
        if q not in onto.concepts:
            continue
        accept = {q} | onto.descendants(q)
        if answer & accept:
            continue
        near = set()
        for s in onto.siblings(q):
            near |= {s} | onto.descendants(s)
        for a in sorted(answer & (near - accept)):
            out.append((q, a))
    return out
