"""LangChain adapters: the hybrid retriever as a `BaseRetriever`, the answer agent as a `Runnable`.

A user's LCEL chain can put our evidence into its own prompt, or call the whole
checked pipeline as one step and still receive citations and the abstention flag.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.messages import BaseMessage
from langchain_core.prompt_values import PromptValue
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


ASK_KEYS = ("question", "threshold", "passages", "samples")


def _question_text(value: Any) -> str:
    """A question given as a string, a chat message or a prompt value (the text of its last message)."""
    if isinstance(value, str):
        return value
    if isinstance(value, PromptValue):
        value = value.to_messages()[-1]
    if isinstance(value, BaseMessage):
        return str(value.text) if isinstance(value.text, str) else value.text()
    raise TypeError(f"GroundingAgentRunnable: the question must be a string, a message or a prompt value, not {type(value).__name__}")


class GroundingAgentRunnable(RunnableSerializable[Any, dict]):
    """The whole checked pipeline as one LCEL step (invoke, batch, stream, ainvoke; callbacks see the run).

    Input: a question (a string, a chat message, a prompt value) or a dict {"question", "threshold",
    "passages", "samples"}; `threshold` here is the default for inputs that give none. Output: the
    `ask --json` object (answer, abstained, confidence, sentences with citations, evidence), so later
    steps can read citations and the abstention flag instead of parsing text. `stream` yields it whole:
    the streamed draft is unchecked, and only the checked answer is said.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    system: Any
    threshold: float | None = None

    def _options(self, input: Any):
        from grounding.answer.agent import AskOptions

        if not isinstance(input, dict):
            return _question_text(input), AskOptions(threshold=self.threshold)
        unknown = sorted(set(input) - set(ASK_KEYS))
        if unknown or "question" not in input:
            raise ValueError(f"GroundingAgentRunnable: input keys are {', '.join(ASK_KEYS)} ('question' required); got {sorted(input)}")
        threshold = input.get("threshold", self.threshold)
        return _question_text(input["question"]), AskOptions(threshold=threshold, top_k=input.get("passages"), samples=input.get("samples"))

    def _ask(self, input: Any) -> dict:
        question, opts = self._options(input)
        return self.system.agent.ask(question, opts).to_json()

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> dict:
        return self._call_with_config(self._ask, input, config, run_type="chain")
