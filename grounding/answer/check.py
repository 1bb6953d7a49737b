"""Checks on the draft: every generated sentence is supported by the evidence, or it is dropped.

Support (verify/support.py: similarity and lexical precision against the cited passages),
KG consistency (a sentence the ontology contradicts) and concept alignment (a sentence about
a sibling of what was asked) decide; the generator's token log-probabilities only colour the
confidence of a sentence that passed.
"""

from __future__ import annotations

from grounding.answer.draft import Draft, sentence_token_stats
from grounding.answer.prompts import NOT_IN_EVIDENCE
from grounding.answer.result import Passage, Sentence
from grounding.config import Config
from grounding.embed.base import Embedder
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.retrieve.places import korean_terms, wrong_place
from grounding.text.korean import has_hangul
from grounding.retrieve.query import QueryFilters
from grounding.store.schema import Report
from grounding.text import split_sentences
from grounding.verify.kg_check import misaligned, relations
from grounding.verify.support import SupportPolicy, check_sentences


def check_draft(
    cfg: Config,
    embedder: Embedder,
    onto: OntologyGraph | None,
    linker: Linker | None,
    question: str,
    draft: Draft,
    shown: list[tuple[str, str]],
    q_concepts: list[str],
) -> tuple[list[Sentence], list[Sentence]]:
    """(kept, dropped): the draft's sentences that passed every check, and the others with why."""
    abstains = not draft.text or NOT_IN_EVIDENCE in draft.text.upper()
    candidates, cites = ([], None) if abstains else _candidates(draft)
    concept_fn = linker.concepts if linker else None
    policy = SupportPolicy(cfg.verify.min_similarity, cfg.verify.min_lexical_precision)
    checks = check_sentences(candidates, shown, embedder, policy, concept_fn, question=question, cites=cites, recite=cfg.verify.recite_claims)
    gen = draft.generation
    kept: list[Sentence] = []
    dropped: list[Sentence] = []
    for i, (text, res) in enumerate(zip(candidates, checks)):
        s = Sentence(text, res.citations, res.status, res.reason, res.similarity, model_cites=cites[i] if cites is not None else None)
        if onto is not None and linker is not None:
            contra = [r for r in relations(onto, linker, text) if r.verdict == "contradicts"]
            if contra:
                s.status, s.citations, s.reason = "contradicted", [], "; ".join(r.reason for r in contra)
            elif s.status == "supported":
                wrong = misaligned(onto, q_concepts, linker.concepts(text, fuzzy=False))
                if wrong:
                    asked, said = wrong[0]
                    s.status, s.citations = "unsupported", []
                    s.reason = f"about {onto.label(said)}, but the question asks about {onto.label(asked)} (ontology siblings)"
        stats = sentence_token_stats(gen, text) if gen is not None else None
        if s.status == "supported":
            lp = stats[0] if stats else 0.0
            s.confidence = round(max(0.0, min(1.0, 0.5 * s.support + 0.5 * pow(2.718281828, lp))), 4)
        (kept if s.status == "supported" else dropped).append(s)
    return kept, dropped


def _candidates(draft: Draft) -> tuple[list[str], list[list[str]] | None]:
    """The sentences to check, and for claims output the passages each one's claim cites."""
    if draft.claims is None:
        return split_sentences(draft.text), None
    sents: list[str] = []
    cites: list[list[str]] = []
    for claim in draft.claims:
        for sent in split_sentences(claim.text):
            sents.append(sent)
            cites.append(list(claim.cites))
    return sents, cites


def concept_alignment(onto: OntologyGraph | None, linker: Linker | None, q_concepts: list[str], kept: list[Sentence]) -> float:
    """0 when what the answer says is about a sibling of what the question asks (ontology), else 1."""
    if onto is None or linker is None or not q_concepts:
        return 1.0
    answer_concepts = [c for s in kept for c in linker.concepts(s.text, fuzzy=False)]
    return 0.0 if misaligned(onto, q_concepts, answer_concepts) else 1.0


def cited_wrong_place(
    cfg: Config, question: str, filters: QueryFilters | None, kept: list[Sentence], passages: list[Passage], reports: dict[str, Report],
    onto: OntologyGraph | None = None,
) -> str:
    """The place the question names that no cited report is from, or "" (retrieve/places.py).

    Each cited report's place texts, in the order wrong_place reads them: its facility, the
    corpus's `place_fields` (config), its title, then any string metadata and the text. The
    ontology's Korean labels are common words, never read as a place a Korean question names.
    """
    place_fields = {c.name: c.place_fields for c in cfg.corpus}
    keys = {c for s in kept for c in s.citations}
    cited_ids = list(dict.fromkeys(p.report_id for p in passages if p.key in keys)) or [p.report_id for p in passages[:1]]
    cited = []
    for rid in cited_ids:
        r = reports.get(rid)
        if r is None:
            continue
        meta = r.meta or {}
        areas = [str(meta.get(f) or "") for f in place_fields.get(r.corpus, [])]
        cited.append([r.facility or str(meta.get("facility") or ""), *areas, r.title or "",
                      *(str(v) for v in meta.values() if isinstance(v, str)), r.text or ""])
    common = korean_terms(onto) if onto is not None and has_hangul(question) else frozenset()
    return wrong_place(question, filters.facilities if filters else [], cited, common)

