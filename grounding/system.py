"""The orchestrator: builds each component from the config, once, when first needed.

Backends are chosen here by config (SQL URL, embedder, index type, generator), so
moving from SQLite to PostgreSQL or from the local model to a served one never
touches the code that uses them.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path

from grounding.config import Config
from grounding.embed.base import Embedder
from grounding.generate.base import Generator
from grounding.index.base import VectorIndex
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.store.base import ReportStore
from grounding.store.sql import SqlStore

log = logging.getLogger("grounding")


# Parts that can be given instead of built from the config, and what is built from them.
PARTS = ("store", "embedder", "index", "ontology", "linker", "generator", "calibrator", "bm25")
DERIVED = ("retriever", "agent")


class Grounding:
    """The system: each part built from the config when first needed, or given by construction.

    `Grounding(cfg, generator=my_model)` embeds it in another program (or a test) with one part
    swapped; everything else still comes from the config.
    """

    def __init__(self, cfg: Config, **parts) -> None:
        self.cfg = cfg
        cfg.data_dir.mkdir(parents=True, exist_ok=True)
        self.use(**parts)

    def use(self, **parts) -> "Grounding":
        """Replace parts by name; what was built from the old ones (retriever, agent) is rebuilt on next use."""
        for name, part in parts.items():
            if name not in PARTS:
                raise TypeError(f"Grounding has no part {name!r}; parts: {', '.join(PARTS)}")
            self.__dict__[name] = part  # where functools.cached_property keeps a built part
        if ("generator" in parts or "embedder" in parts) and "calibrator" not in parts:
            self.__dict__.pop("calibrator", None)  # checked again against the new parts
            self.calibrator_path = None
        for name in DERIVED:
            self.__dict__.pop(name, None)
        return self

    def forget(self, *names: str) -> "Grounding":
        """Drop built parts so their next use builds them again from the config (a changed ontology file);
        what was built from them (retriever, agent) goes too. Callers use this, never the instance's __dict__."""
        for name in names:
            if name not in PARTS and name not in DERIVED:
                raise TypeError(f"Grounding has no part {name!r}; parts: {', '.join(PARTS + DERIVED)}")
            self.__dict__.pop(name, None)
        for name in DERIVED:
            self.__dict__.pop(name, None)
        return self

    def built(self, name: str) -> bool:
        """Whether a part was built (or given) already: asking must not build it (a model load)."""
        return name in self.__dict__

    @property
    def data_dir(self) -> Path:
        return self.cfg.data_dir

    @cached_property
    def store(self) -> ReportStore:
        return SqlStore(self.cfg.database_url)

    @cached_property
    def embedder(self) -> Embedder:
        from grounding.embed.factory import make_embedder

        return make_embedder(self.cfg.embedder)

    @cached_property
    def index(self) -> VectorIndex:
        """The index questions read: the working index, or with `storage.index_generations` the newest
        published generation, switched whole (grounding/index/generations.py, docs/scaling.md)."""
        from grounding.index.factory import make_index

        folder, model, dim = self.data_dir / "index", self.embedder.name, self.embedder.dim
        if self.cfg.storage.index_generations:
            from grounding.index.generations import PublishedIndex

            return PublishedIndex(folder, model, dim, lambda f: make_index(self.cfg.storage, f, model, dim),  # type: ignore[arg-type,return-value]
                                  self.store, self.cfg.storage.lease_ttl_s)
        return make_index(self.cfg.storage, folder, model, dim)

    def _ingest_index(self) -> tuple[VectorIndex, list]:
        """The index an ingest writes and what it rebuilds at its end (BM25; publishing a generation)."""
        from grounding.index.generations import PublishedIndex

        index, derived = self.index, [self.bm25.ensure]
        if isinstance(index, PublishedIndex):  # write the working index, then publish it as a generation
            return index.working, [*derived, index.publish]  # type: ignore[return-value]
        return index, derived

    @cached_property
    def ontology(self) -> OntologyGraph | None:
        # Imports from local folders only, size limits, parse cache in the data dir; a file that
        # fails to parse raises OntologyError and no half-loaded graph is kept. The reasoner runs only
        # where a command set `reason_ontology` (ingest, `ontology ...`); a question uses its cache.
        return OntologyGraph.from_config(self.cfg, reason=getattr(self, "reason_ontology", False))

    @cached_property
    def linker(self) -> Linker | None:
        onto = self.ontology
        if onto is None:
            return None
        emb = self.embedder if self.cfg.ontology.link_embedding_threshold > 0 else None
        return Linker.from_config(onto, self.cfg, embedder=emb)

    @cached_property
    def generator(self) -> Generator:
        from grounding.generate.factory import make_generator

        return make_generator(self.cfg.generator, self.data_dir)

    @cached_property
    def retriever(self):
        from grounding.retrieve.dense import DenseRetriever
        from grounding.retrieve.hybrid import HybridRetriever
        from grounding.retrieve.metadata import MetadataCatalog

        return HybridRetriever(
            self.cfg.retrieval,
            self.store,
            DenseRetriever(self.index, self.embedder),
            self.bm25,
            MetadataCatalog(self.store, self.cfg.retrieval.catalog,
                            list(dict.fromkeys(f for c in self.cfg.corpus for f in c.place_fields))),
            self.ontology,
        )

    @cached_property
    def bm25(self):
        from grounding.retrieve.lexical import BM25Index

        return BM25Index(self.data_dir / "bm25", self.store)

    @cached_property
    def agent(self):
        from grounding.answer.agent import AnswerAgent

        return AnswerAgent(
            self.cfg, self.store, self.retriever, self.embedder, self.generator, self.ontology, self.linker, self.calibrator
        )

    @cached_property
    def calibrator(self):
        """The data dir's calibrator (`grounding calibrate`), else the packaged one, if it fits this system.

        A calibrator fitted with another embedder or model would map these signals to wrong
        probabilities, so a mismatch warns once and the uncalibrated default is used instead.
        """
        from grounding.verify.calibration import Calibrator, packaged_calibrator

        path = self.data_dir / self.cfg.confidence.calibrator_file
        if not path.exists():
            path = packaged_calibrator()
            if not path.exists():
                return None
        cal = Calibrator.load(path)
        why = cal.mismatch(self.fingerprint())
        if why:
            log.warning("calibrator %s not used: %s; confidence is the uncalibrated default", path, why)
            return None
        self.calibrator_path = path
        return cal

    calibrator_path: Path | None = None

    def fingerprint(self, samples: int = 0) -> dict:
        """The embedder, generator and model file a calibrator must have been fitted with."""
        from grounding.verify.calibration import fingerprint

        return fingerprint(self.embedder.name, self.generator, samples)

    def ingestor(self):
        from grounding.engine.base import make_engine
        from grounding.ingest.pipeline import Ingestor

        linker = self.linker
        index, derived = self._ingest_index()
        return Ingestor(
            self.cfg,
            self.store,
            index,
            self.embedder,
            link=linker.link if linker else None,
            link_fingerprint=linker.fingerprint if linker else "",
            derived=derived,
            engine=make_engine(self.cfg, self.embedder),  # [engine] kind: local (this process) or ray
        )

    def stats(self) -> dict:
        out = self.store.stats()
        from grounding.index.factory import peek_index

        meta = peek_index(self.data_dir / "index")
        out["vectors"] = int(meta.get("count", 0))
        from grounding.retrieve.lexical import BM25Index

        out["bm25_chunks"] = BM25Index.peek(self.data_dir / "bm25")
        out["embedder"] = meta.get("model", "")
        out["database"] = self.store.dialect
        return out
