"""The orchestrator: builds each component from the config, once, when first needed.

Backends are chosen here by config (SQL URL, embedder, index type, generator), so
moving from SQLite to PostgreSQL or from the local model to a served one never
touches the code that uses them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from grounding.config import Config
from grounding.embed.base import Embedder
from grounding.generate.base import Generator
from grounding.index.faiss_index import FaissIndex
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.store.sql import SqlStore


class Grounding:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        cfg.data_dir.mkdir(parents=True, exist_ok=True)

    @property
    def data_dir(self) -> Path:
        return self.cfg.data_dir

    @cached_property
    def store(self) -> SqlStore:
        return SqlStore(self.cfg.database_url)

    @cached_property
    def embedder(self) -> Embedder:
        from grounding.embed.factory import make_embedder

        return make_embedder(self.cfg.embedder)

    @cached_property
    def index(self) -> FaissIndex:
        return FaissIndex(self.data_dir / "index", self.embedder.name, self.embedder.dim, self.cfg.storage)

    @cached_property
    def ontology(self) -> OntologyGraph | None:
        # Imports from local folders only, size limits, parse cache in the data dir; a file that
        # fails to parse raises OntologyError and no half-loaded graph is kept.
        return OntologyGraph.from_config(self.cfg)

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
        from grounding.retrieve.lexical import BM25Index
        from grounding.retrieve.metadata import MetadataCatalog

        return HybridRetriever(
            self.cfg.retrieval,
            self.store,
            DenseRetriever(self.index, self.embedder),
            BM25Index(self.data_dir / "bm25", self.store),
            MetadataCatalog(self.store),
            self.ontology,
        )

    @cached_property
    def agent(self):
        from grounding.agent import AnswerAgent

        return AnswerAgent(
            self.cfg, self.store, self.retriever, self.embedder, self.generator, self.ontology, self.linker, self.calibrator
        )

    @cached_property
    def calibrator(self):
        from grounding.verify.calibration import Calibrator

        path = self.data_dir / self.cfg.confidence.calibrator_file
        return Calibrator.load(path) if path.exists() else None

    def ingestor(self):
        from grounding.ingest.pipeline import Ingestor

        linker = self.linker
        return Ingestor(
            self.cfg,
            self.store,
            self.index,
            self.embedder,
            link=linker.link if linker else None,
            link_fingerprint=linker.fingerprint if linker else "",
        )

    def stats(self) -> dict:
        out = self.store.stats()
        meta = FaissIndex.peek(self.data_dir / "index")
        out["vectors"] = int(meta.get("count", 0))
        out["embedder"] = meta.get("model", "")
        out["database"] = self.store.dialect
        return out
