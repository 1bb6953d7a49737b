"""Sentence-aware chunking with overlap (LangChain's recursive splitter)."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from grounding.config import ChunkingConfig

# Paragraphs first, then sentence ends, then clauses, then words: a chunk breaks
# inside a sentence only when one sentence alone is longer than a chunk.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass
class ChunkDraft:
    ord: int
    text: str
    start_char: int


class Chunker:
    def __init__(self, cfg: ChunkingConfig) -> None:
        self.cfg = cfg
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=cfg.chunk_size,
            chunk_overlap=cfg.chunk_overlap,
            separators=_SEPARATORS,
            keep_separator="end",
            add_start_index=True,
            strip_whitespace=True,
        )

    @property
    def fingerprint(self) -> str:
        return f"recursive-v2:{self.cfg.chunk_size}:{self.cfg.chunk_overlap}"

    def split(self, text: str) -> list[ChunkDraft]:
        docs = self._splitter.create_documents([text])
        return [ChunkDraft(i, d.page_content, int(d.metadata.get("start_index", 0))) for i, d in enumerate(docs)]
