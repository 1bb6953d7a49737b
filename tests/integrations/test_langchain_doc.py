"""The LCEL example of docs/serving.md ("LangChain: ...") run as written, and the Runnable's inputs,
batch, stream and callbacks, on the shared 200-report data dir."""

from __future__ import annotations

import re

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import HumanMessage
from langchain_core.prompts import ChatPromptTemplate

from grounding.integrations.langchain import GroundingAgentRunnable
from tests.conftest import REPO, build_system
from tests.serve.conftest import EchoGenerator

QUESTION = "What caused the reactor trip at Oconee on December 31, 1998?"
GOLD = "nrc:35209"


def _doc_blocks() -> list[str]:
    text = (REPO / "docs" / "serving.md").read_text(encoding="utf-8")
    section = text[text.index("## LangChain: the retriever and the grounded answer in LCEL chains"):]
    return re.findall(r"```python\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def echo_system(ingested, embedder):
    """A system of its own over the shared data dir, answering with the fast echo generator."""
    g = build_system(ingested.cfg, embedder)
    g.use(generator=EchoGenerator())
    return g


@pytest.mark.slow
def test_the_documented_chain_runs_as_written(ingested, embedder, generator, capsys):
    setup, example = _doc_blocks()[:2]
    assert "Grounding(load_config(" in setup  # the first block makes `system`; here it is the test system
    system = build_system(ingested.cfg, embedder)
    system.use(generator=generator)
    ns = {"system": system}
    exec(compile(example, "docs/serving.md (LangChain example)", "exec"), ns)
    out = ns["out"]
    assert GOLD in out["evidence"].splitlines()[0]
    assert "[P" in out["answer"] and GOLD in out["answer"] and not out["answer"].startswith("(abstained)")
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2].startswith("False ") and printed[-1].startswith("True ")  # Oconee answered, Zzyzx abstained


def test_inputs_string_message_prompt_and_dict(echo_system):
    r = GroundingAgentRunnable(system=echo_system, threshold=0.0)
    by_str = r.invoke(QUESTION)
    assert by_str["abstained"] is False and by_str["evidence"]["P1"]["report_id"] == GOLD
    assert r.invoke(HumanMessage(QUESTION))["question"] == QUESTION
    prompt = ChatPromptTemplate.from_messages([("user", "What caused the reactor trip at {plant} on December 31, 1998?")])
    assert (prompt | r).invoke({"plant": "Oconee"})["question"] == QUESTION
    two = r.invoke({"question": QUESTION, "passages": 2})
    assert {k for k in two["evidence"] if k.startswith("P")} <= {"P1", "P2"}  # K*: ontology facts, not passages
    assert r.invoke({"question": QUESTION, "threshold": 1.0})["abstained"] is True  # the dict's threshold wins


def test_bad_input_says_what_is_expected(echo_system):
    r = GroundingAgentRunnable(system=echo_system)
    with pytest.raises(ValueError, match=r"input keys are question, threshold, passages, samples .*\['query'\]"):
        r.invoke({"query": QUESTION})
    with pytest.raises(TypeError, match="must be a string, a message or a prompt value, not int"):
        r.invoke(42)


def test_batch_stream_async_and_callbacks(echo_system):
    import asyncio

    r = GroundingAgentRunnable(system=echo_system, threshold=0.0)
    a, b = r.batch([QUESTION, {"question": QUESTION, "threshold": 1.0}])
    assert a["abstained"] is False and b["abstained"] is True
    streamed = list(r.stream(QUESTION))
    assert len(streamed) == 1 and streamed[0]["answer"] == a["answer"]  # the checked answer, whole
    assert asyncio.run(r.ainvoke(QUESTION))["answer"] == a["answer"]

    class Seen(BaseCallbackHandler):
        def __init__(self) -> None:
            self.events: list[str] = []

        def on_chain_start(self, serialized, inputs, **kw):
            self.events.append("start")

        def on_chain_end(self, outputs, **kw):
            self.events.append("end" if "abstained" in outputs else "end?")

    seen = Seen()
    r.invoke(QUESTION, config={"callbacks": [seen]})
    assert seen.events == ["start", "end"]
