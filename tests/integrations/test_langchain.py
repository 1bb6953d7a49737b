import pytest
from langchain_core.runnables import RunnableLambda

from grounding.integrations.langchain import GroundingAgentRunnable, GroundingRetriever


def test_retriever_in_an_lcel_chain(ingested):
    retriever = GroundingRetriever(system=ingested, k=3)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["report_id"] for d in docs])
    ids = chain.invoke("What caused the reactor trip at Oconee on December 31, 1998?")
    assert ids[0] == "nrc:35209" and len(ids) == 3


@pytest.mark.slow
def test_agent_runnable_in_an_lcel_chain(ingested, generator):
    ingested.use(generator=generator)
    chain = RunnableLambda(lambda q: {"question": q, "threshold": 0.0}) | GroundingAgentRunnable(system=ingested)
    out = chain.invoke("What caused the reactor trip at Oconee on December 31, 1998?")
    assert out["abstained"] is False
    assert out["evidence"]["P1"]["report_id"] == "nrc:35209"
    assert all(s["citations"] for s in out["sentences"])
