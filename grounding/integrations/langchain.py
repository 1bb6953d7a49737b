"""LangChain adapters: the hybrid retriever as a `BaseRetriever`, the answer agent as a `Runnable`.

A user's LCEL chain can put our evidence into its own prompt, or call the whole
checked pipeline as one step and still receive citations and the abstention flag.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import ConfigDict


class GroundingRetriever(BaseRetriever):
    """Returns chunks as Documents whose metadata carries report id, date and every retrieval score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    system: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        retriever = self.system.retriever
        concepts = self.system.linker.concepts(query) if self.system.linker else []
        hits = retriever.search(query, self.k, question_concepts=concepts)
        reports = self.system.store.get_reports(h.report_id for h in hits)
        docs = []
        for h in hits:
            r = reports.get(h.report_id)
            docs.append(
                Document(
                    page_content=h.text,
                    metadata={
                        "report_id": h.report_id,
                        "chunk_id": h.chunk_id,
                        "date": r.date if r else None,
                        "title": r.title if r else "",
                        "scores": dict(h.scores),
                    },
                )
            )
        return docs


class GroundingAgentRunnable(RunnableSerializable[Any, dict]):
    """Input: a question string or {"question": ..., "threshold": ...}. Output: the `ask --json` object."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    system: Any

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict:
        from grounding.answer.agent import AskOptions

        if isinstance(input, str):
            question, threshold = input, None
        else:
            question, threshold = input["question"], input.get("threshold")
        return self.system.agent.ask(question, AskOptions(threshold=threshold)).to_json()
