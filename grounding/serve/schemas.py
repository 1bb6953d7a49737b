"""Request and response bodies. Every field carries a description: it is what /openapi.json documents."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


_INT = (int, int | None)


class _Model(BaseModel):
    # Requests: no unknown fields, no NaN/Infinity (a 422 naming the field), and JSON types as the
    # schema says them (`"seed": false` is not an integer, `1` is not a boolean, "3" is not a number).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _json_integer(cls, value: Any, info: ValidationInfo) -> Any:
        """JSON Schema's integer includes 3.0: accepted as 3 (strict mode alone would refuse it)."""
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and field.annotation in _INT and isinstance(value, float) and value.is_integer():
            return int(value)
        return value


class _Open(BaseModel):
    """Responses: fields added later by the system pass through."""

    model_config = ConfigDict(extra="allow")


# --- errors ---------------------------------------------------------------------------------
class ErrorOut(_Open):
    detail: Any = Field(description="What went wrong, in words (or FastAPI's list of validation errors).")


# --- ask ------------------------------------------------------------------------------------
class SamplingIn(_Model):
    """Overrides of [generator.sampling]; omitted fields keep the configured value."""

    temperature: float | None = Field(None, ge=0.0, le=5.0, description="0 = greedy decoding.")
    top_k: int | None = Field(None, ge=0, le=1000, description="Keep the k most likely tokens (0 = off).")
    top_p: float | None = Field(None, gt=0.0, le=1.0, description="Nucleus sampling mass (1 = off).")
    min_p: float | None = Field(None, ge=0.0, le=1.0, description="Drop tokens below min_p x the top probability (0 = off).")
    repetition_penalty: float | None = Field(None, ge=0.5, le=3.0, description="> 1 discourages repeating tokens.")
    max_new_tokens: int | None = Field(None, ge=1, description="Longest answer in tokens (capped by serve.max_new_tokens).")
    stop: list[str] | None = Field(None, max_length=8, description="Stop sequences (at most 8, each at most 64 characters).")
    seed: int | None = Field(None, ge=0, description="Random seed for sampling.")
    num_samples: int | None = Field(None, ge=1, description="Samples drawn in one batched call (capped by serve.max_samples).")
    best_of: int | None = Field(None, ge=1, description="Draw this many and keep the most likely (capped by serve.max_samples).")


class AskIn(_Model):
    question: str = Field(
        min_length=1,
        description="The question, in English or Korean. At most retrieval.max_question_chars characters.",
        examples=["What caused the reactor trip at Oconee Unit 3 on December 31, 1998?"],
    )
    threshold: float | None = Field(
        None, ge=0.0, le=1.0, description="Abstain unless confidence > threshold (default confidence.threshold)."
    )
    passages: int | None = Field(None, ge=1, le=20, description="How many retrieved chunks to hand to evidence selection (default retrieval.top_k).")
    samples: int | None = Field(
        None, ge=0, description="Self-consistency samples (0 or 1 = off; default confidence.self_consistency_samples; capped by serve.max_samples)."
    )
    sampling: SamplingIn | None = Field(None, description="Sampling overrides, as `grounding ask --temperature ...`.")


class SentenceOut(_Open):
    text: str = Field(description="The sentence as said.")
    citations: list[str] = Field(default_factory=list, description="Evidence keys (P1, K1...) that support it.")
    status: str = Field(description="supported | extractive (answer sentences); unsupported | contradicted (dropped ones).")
    reason: str = Field("", description="Why it was dropped or quoted, in words.")
    support: float = Field(0.0, description="Similarity to the evidence it cites (0..1).")
    confidence: float | None = Field(None, description="Per-sentence confidence from support and token log-probabilities.")
    model_cites: list[str] | None = Field(
        None, description="Structured output (generator.output = 'claims'): the passages the model cited for this claim, before the check; absent for free text."
    )


class PassageOut(_Open):
    report_id: str = Field(description="The report the excerpt comes from, e.g. 'nrc:56912'.")
    source_id: str = Field("", description="The id in the source (the NRC event number; an OE-417 hash).")
    chunk_id: int = Field(description="The stored chunk the excerpt was selected from.")
    text: str = Field(description="Exactly the sentences the model was shown.")
    score: float = Field(description="Evidence score (best sentence relevance).")
    scores: dict[str, float] = Field(default_factory=dict, description="Every retrieval signal: dense, bm25, meta, kg_match, kg_confusion, rrf, final, evidence.")
    title: str = Field("", description="The report's title or headline.")
    date: str | None = Field(None, description="The event date, ISO YYYY-MM-DD.")
    facility: str = Field("", description="Facility (NRC) or area affected (OE-417).")


class PathOut(_Open):
    path: list[str] = Field(description="Alternating concept labels and relation labels: [concept, relation, concept, ...].")
    text: str = Field(description="The path rendered as text, e.g. 'Reactor trip -is a-> Event'.")
    concepts: list[str] = Field(default_factory=list, description="IRIs of the concepts on the path, in order.")


class AnswerOut(_Open):
    """The same object as `grounding ask --json` (docs/answer-schema.md)."""

    question: str = Field(description="The question as answered (trimmed).")
    answer: str = Field(description="The answer with [P1] citation markers; when abstained, the reason and what was found instead.")
    abstained: bool = Field(description="True when no claim is made (confidence not above the threshold, or no evidence).")
    confidence: float = Field(description="Estimated probability that the answer is correct, 0..1.")
    sentences: list[SentenceOut] = Field(default_factory=list, description="The answer's sentences; empty when abstained.")
    dropped_sentences: list[SentenceOut] = Field(default_factory=list, description="Generated sentences removed by the checks, with the reason.")
    evidence: dict[str, PassageOut | PathOut] = Field(default_factory=dict, description="P1.. passages shown to the model and K1.. knowledge-graph paths.")
    question_concepts: list[str] = Field(default_factory=list, description="Ontology concepts (IRIs) linked in the question.")
    signals: dict[str, float] = Field(default_factory=dict, description="The confidence inputs (retrieval_top, margin, support_ratio, ...).")
    generator: str = Field("", description="The backend and model that phrased the answer.")
    raw_generation: str = Field("", description="The model's unfiltered output, for audit.")
    draft_answer: str = Field("", description="What it would have said before the abstention decision.")
    timings_ms: dict[str, float] = Field(default_factory=dict, description="retrieve, kg, generate, verify, total in milliseconds.")


# --- reports and search ---------------------------------------------------------------------
class ChunkOut(_Open):
    id: int = Field(description="Chunk id (stable: a chunk's text never changes).")
    ord: int = Field(description="Position of the chunk in its report, from 0.")
    start_char: int = Field(description="Offset of the chunk in the report text.")
    chars: int = Field(description="Length of the chunk in characters.")
    text: str = Field(description="The chunk's text.")


class ReportConceptOut(_Open):
    concept: str = Field(description="Concept IRI.")
    label: str = Field(description="The concept's preferred label.")
    mentions: int = Field(description="How often the report mentions it.")
    score: float = Field(description="Link score (1 = exact label match).")


class ReportOut(_Open):
    id: str = Field(description="Report id, '<corpus>:<source id>'.")
    corpus: str = Field(description="The corpus it was ingested from (nrc, oe417, ...).")
    source_id: str = Field(description="The id in the source.")
    title: str = Field(description="Title or headline.")
    date: str | None = Field(None, description="Event date, ISO YYYY-MM-DD.")
    facility: str = Field("", description="Facility or area affected.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Source fields kept as metadata (state, unit, cfr_sections, ...).")
    source: str = Field(description="Source file name and location (line / sheet row).")
    updated_at: str | None = Field(None, description="When the stored report last changed (ISO 8601).")
    text: str = Field(description="The full report text, unescaped: clients must render it as text.")
    chunks: list[ChunkOut] = Field(default_factory=list, description="The report's chunks, in order.")
    concepts: list[ReportConceptOut] = Field(default_factory=list, description="Ontology concepts the report is linked to.")


class SearchHitOut(_Open):
    rank: int = Field(description="1 = best.")
    chunk_id: int = Field(description="The matching chunk.")
    report_id: str = Field(description="Its report.")
    text: str = Field(description="The chunk's text.")
    score: float = Field(description="The fused score used for ranking.")
    scores: dict[str, float] = Field(default_factory=dict, description="Per-signal scores (dense, bm25, meta, kg_match, rrf, final).")
    ranks: dict[str, int] = Field(default_factory=dict, description="Rank of the chunk in each signal's list.")
    title: str = Field("", description="The report's title.")
    date: str | None = Field(None, description="The report's date.")
    facility: str = Field("", description="The report's facility or area.")


class SearchOut(_Open):
    query: str = Field(description="The query as searched.")
    mode: str = Field(description="dense | bm25 | hybrid | full (full adds metadata filters and the ontology).")
    hits: list[SearchHitOut] = Field(description="Best first.")


# --- health ---------------------------------------------------------------------------------
class LoadOut(_Open):
    active: int = Field(description="Generations running now.")
    waiting: int = Field(description="Askers waiting for a slot.")
    slots: int = Field(description="serve.max_concurrent_generations.")
    queue: int = Field(description="serve.max_queue.")
    refused: int = Field(description="429s given since start.")
    timed_out: int = Field(description="503s given since start for waiting too long.")


class HealthOut(_Open):
    status: Literal["ok", "degraded"] = Field(description="ok, or degraded when a component failed to load (see `errors`).")
    reports: int = Field(description="Reports stored.")
    chunks: int = Field(description="Chunks stored.")
    vectors: int = Field(description="Vectors in the FAISS index.")
    index_generation: int = Field(default=0, description="The published index generation being read (storage.index_generations; 0 when off).")
    generator: str = Field(description="The generator backend and model.")
    ontology_concepts: int = Field(description="Concepts in the loaded ontology (0 when none is configured).")
    curator_enabled: bool = Field(description="Whether a curator token is configured (curation endpoints work).")
    reads_open: bool = Field(description="Whether reading and asking need no token.")
    threshold: float = Field(description="The default abstention threshold (confidence.threshold).")
    max_question_chars: int = Field(description="The longest question accepted (retrieval.max_question_chars).")
    load: LoadOut = Field(description="Generation slots and queue.")
    jobs: dict[str, int] = Field(default_factory=dict, description="Summarization jobs by status.")
    errors: list[str] = Field(default_factory=list, description="Components that failed to load, with the reason.")


# --- jobs -----------------------------------------------------------------------------------
class SummarizeIn(_Model):
    """The same choices as `grounding summarize` (docs/summarization.md)."""

    by: str = Field(
        "facility",
        max_length=64,
        description="Group by facility | concept | month | year, or any stored field or metadata key (e.g. event_type, state).",
    )
    where: dict[str, str] = Field(
        default_factory=dict,
        max_length=16,
        description='Filters on the same names, KEY: VALUE, case-insensitive (e.g. {"facility": "OCONEE", "corpus": "nrc"}).',
    )
    since: str | None = Field(None, description="Earliest event date, ISO (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")
    until: str | None = Field(None, description="Latest event date, ISO (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")
    fmt: Literal["md", "html", "json"] = Field("md", description="Format of the written report: md | html | json.")
    force: bool = Field(False, description="Recompute every group instead of resuming from checkpoints.")
    workers: int | None = Field(
        None, ge=1, le=4, description="Worker processes for the groups (default summarize.workers; each loads its own models)."
    )


class JobOut(_Open):
    id: str = Field(description="The job id.")
    kind: str = Field(description="What the job does (summarize).")
    status: Literal["queued", "running", "done", "failed"] = Field(description="queued | running | done | failed.")
    created_at: float = Field(description="Unix time the job was accepted.")
    started_at: float | None = Field(None, description="Unix time it started running.")
    finished_at: float | None = Field(None, description="Unix time it ended.")
    progress: dict[str, Any] = Field(default_factory=dict, description="The latest progress: `done` and `total` groups and the `group` last finished.")
    request: dict[str, Any] = Field(default_factory=dict, description="The request that started it.")
    result: Any = Field(
        None,
        description="The job's result once done. For summarize: the SummaryResult as JSON (groups with cited sentences, "
        "overall statistics, timings) plus `files`: the written report and charts, each fetched from GET /jobs/{id}/files/{name}.",
    )
    error: str = Field("", description="Why it failed.")


# --- ontology -------------------------------------------------------------------------------
class ConceptHitOut(_Open):
    iri: str = Field(description="Concept IRI.")
    label: str = Field(description="Preferred label.")
    score: float = Field(0.0, description="Match score (higher is better).")
    matched: str = Field("", description="The label or synonym that matched the query.")


class ConceptSearchOut(_Open):
    query: str = Field(description="The query.")
    hits: list[ConceptHitOut] = Field(description="Best first.")


class RelationOut(_Open):
    direction: Literal["out", "in"] = Field(description="out = this concept is the subject; in = the object.")
    relation: str = Field(description="Relation IRI or keyword (subClassOf, equivalentClass, ...).")
    label: str = Field(description="Relation label ('is a', 'part of', ...).")
    other: str = Field(description="IRI of the concept at the other end.")
    other_label: str = Field(description="Its label.")


class LinkedReportOut(_Open):
    report_id: str = Field(description="Report id.")
    title: str = Field("", description="Its title.")
    date: str | None = Field(None, description="Its date.")
    facility: str = Field("", description="Its facility or area.")
    mentions: int = Field(description="How often the report mentions the concept.")


class ConceptOut(_Open):
    iri: str = Field(description="Concept IRI.")
    label: str = Field(description="Preferred (English) label.")
    labels: dict[str, list[str]] = Field(default_factory=dict, description="Preferred labels by language tag ('' = none).")
    alt_labels: dict[str, list[str]] = Field(default_factory=dict, description="Synonyms and abbreviations by language tag.")
    definition: str = Field("", description="skos:definition or rdfs:comment.")
    parents: list[str] = Field(default_factory=list, description="Direct superclasses (IRIs).")
    children: list[str] = Field(default_factory=list, description="Direct subclasses (IRIs).")
    relations: list[RelationOut] = Field(default_factory=list, description="Every typed edge touching the concept.")
    linked_reports: list[LinkedReportOut] = Field(default_factory=list, description="Reports linked to the concept, most mentions first.")
    linked_total: int = Field(0, description="How many reports are linked in all (the list is capped by `limit`).")


class ReviewDecisionIn(_Model):
    reviewer: str = Field("curator", min_length=1, max_length=128, description="Who decided (recorded in the queue and, on accept, as dct:creator in the ontology file).")
    note: str = Field("", max_length=2000, description="Why, in words (recorded with the decision).")


class ProposalIn(_Model):
    kind: Literal["concept", "synonym"] = Field(description="concept: a new class; synonym: a new skos:altLabel of an existing concept.")
    term: str = Field(min_length=1, max_length=255, description="The label (concept) or the synonym, as written in reports.")
    concept: str = Field(
        "", max_length=512, description="synonym: the concept it names; concept: the suggested parent (IRI, local name or label)."
    )
    abbreviation: str = Field("", max_length=32, description="concept: an abbreviation to add as a synonym.")
    reports: list[str] = Field(default_factory=list, max_length=20, description="Report ids where the term occurs (provenance).")
    note: str = Field("", max_length=500, description="Why it is proposed (shown to the reviewer).")


class MineIn(_Model):
    min_reports: int | None = Field(None, ge=1, description="A term must occur in this many reports (default ontology.propose_min_reports).")
    corpus: str | None = Field(None, max_length=64, description="Only reports of this corpus.")
    limit: int = Field(0, ge=0, description="Read at most this many reports (0 = all).")
    max_candidates: int = Field(300, ge=1, le=5000, description="Keep the most frequent N candidates.")


class ReviewItemOut(_Open):
    id: int = Field(description="Review item id.")
    kind: str = Field(description="concept | synonym.")
    term: str = Field(description="The proposed label or synonym, as most often written.")
    concept: str = Field("", description="synonym: the concept it would name; concept: the suggested parent (IRI).")
    concept_label: str = Field("", description="That concept's label.")
    abbreviation: str = Field("", description="An abbreviation defined with the term.")
    summary: str = Field(description="The proposal in words.")
    reports: int = Field(0, description="Reports mentioning the term.")
    mentions: int = Field(0, description="Mentions in all.")
    examples: list[str] = Field(default_factory=list, description="Example report ids.")
    context: str = Field("", description="A snippet around one mention (or the proposer's note).")
    evidence: str = Field("", description="How it was found: definition | abbreviation | phrase | modifier | curator.")
    status: str = Field(description="pending | accepted | rejected.")
    source: str = Field("", description="What proposed it (the evidence kind, or curator).")
    created_at: str | None = Field(None, description="When it was first proposed (ISO 8601).")
    decided_by: str = Field("", description="Who accepted or rejected it.")
    decided_at: str | None = Field(None, description="When (ISO 8601).")
    note: str = Field("", description="The reviewer's note.")
    accepted_iri: str = Field("", description="The concept that now carries it (once accepted).")


class ReviewListOut(_Open):
    status: str = Field(description="The status listed (pending | accepted | rejected | all).")
    counts: dict[str, int] = Field(default_factory=dict, description="Items in the queue by status.")
    items: list[ReviewItemOut] = Field(description="Most-reported first.")


class DecisionOut(ReviewItemOut):
    iri: str | None = Field(None, description="accept: the concept that was added or given the synonym.")
    file: str | None = Field(None, description="accept: the ontology file written (a backup of the old one is kept).")
    block: str | None = Field(None, description="accept: the Turtle block appended, with its provenance.")


class AuditPairOut(_Open):
    a: str = Field(description="One concept (IRI).")
    b: str = Field(description="The other concept (IRI).")
    label_a: str = Field(description="Label of a.")
    label_b: str = Field(description="Label of b.")
    similarity: float = Field(description="Cosine similarity of the two labels' embeddings.")
    distance: int = Field(description="Hops between them in the is-a taxonomy.")
    relation: str = Field(description="Why the ontology separates them: disjoint | sibling | distant.")


class AuditOut(_Open):
    concepts: int = Field(description="Concepts compared.")
    pairs: int = Field(description="Pairs compared.")
    spearman: float = Field(description="Rank correlation of similarity and taxonomic distance (strongly negative = aligned).")
    pearson: float = Field(description="Linear correlation of the same.")
    by_distance: list[dict[str, Any]] = Field(default_factory=list, description="Mean similarity per distance: {distance, pairs, mean_similarity}.")
    misaligned: list[AuditPairOut] = Field(default_factory=list, description="Pairs the embedder puts close that the ontology separates, most similar first.")
    counts: dict[str, int] = Field(default_factory=dict, description="Misaligned pairs above the threshold, per relation.")
    threshold: float = Field(description="Similarity above which a separated pair counts as misaligned.")
    far: int = Field(description="Distance from which two concepts count as distant branches.")
