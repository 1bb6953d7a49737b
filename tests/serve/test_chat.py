"""/v1/chat/completions and /v1/models from the official `openai` client and LangChain's ChatOpenAI,
against a running uvicorn server answering with the real SmolLM2 (xllamacpp) over the shared data dir."""

from __future__ import annotations

import pytest

from tests.serve.conftest import make_system, serving

openai = pytest.importorskip("openai", reason="pip install 'grounding[test]' (openai)")

QUESTION = "What caused the reactor trip at Oconee on December 31, 1998?"
GOLD = "nrc:35209"
ANSWER = {"grounding": {"threshold": 0.0}}  # answer whatever passes the checks (no calibrator here)


@pytest.fixture(scope="module")
def chat_url(serve_data, embedder, generator):
    from grounding.serve import create_app

    system = make_system(serve_data, embedder, generator, reader_token="reader-token-for-tests-0123")
    with serving(create_app(system)) as url:
        yield f"{url}/v1"


@pytest.fixture(scope="module")
def client(chat_url):
    return openai.OpenAI(base_url=chat_url, api_key="reader-token-for-tests-0123", max_retries=0)


def test_models_lists_the_grounding_model(client):
    assert [m.id for m in client.models.list().data] == ["grounding"]


def test_cited_answer_with_evidence_in_the_extra_field(client):
    r = client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": QUESTION}], extra_body=ANSWER)
    g = r.model_extra["grounding"]
    assert g["abstained"] is False
    assert r.choices[0].message.content.startswith(g["answer"])
    cited = {c for s in g["sentences"] for c in s["citations"]}
    assert cited and all(f"[{k}]" in r.choices[0].message.content for k in cited)
    assert GOLD in {g["evidence"][k]["report_id"] for k in cited}
    assert f"[{sorted(cited)[0]}] {g['evidence'][sorted(cited)[0]]['report_id']}" in r.choices[0].message.content  # sources
    assert g["conversation"]["standalone_question"] == QUESTION


def test_abstains_on_the_default_threshold_for_an_unknown_plant(client):
    q = "What caused the reactor trip at Zzyzx Unit 7 on June 31, 1911?"
    r = client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": q}])
    g = r.model_extra["grounding"]
    assert g["abstained"] is True and g["sentences"] == []
    assert r.choices[0].message.content.startswith(g["answer"]) and g["answer"]


def test_follow_up_is_made_standalone_and_shown_in_the_trace(client):
    msgs = [
        {"role": "user", "content": "What caused the reactor trip at Oconee on March 3, 1997?"},
        {"role": "assistant", "content": "Not enough evidence."},
        {"role": "user", "content": "and on December 31, 1998?"},
    ]
    r = client.chat.completions.create(model="grounding", messages=msgs, extra_body=ANSWER)
    conv = r.model_extra["grounding"]["conversation"]
    assert conv["standalone_question"] == QUESTION
    assert conv["last_turn"] == "and on December 31, 1998?"
    assert r.model_extra["grounding"]["question"] == QUESTION


def test_streamed_chunks_carry_only_the_checked_answer_as_content(client):
    stream = client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": QUESTION}], stream=True, extra_body=ANSWER)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1
    g = final[0].model_extra["grounding"]
    assert text.startswith(g["answer"]) and not g["abstained"]
    stages = [c.model_extra["grounding"].get("stage") for c in chunks if (c.model_extra or {}).get("grounding", {}).get("stage")]
    assert stages[:1] == ["retrieving"] and "checking" in stages
    assert any("draft" in (c.model_extra or {}).get("grounding", {}) for c in chunks)  # draft tokens never as content


def test_same_auth_and_limits_as_ask(chat_url, client):
    bad = openai.OpenAI(base_url=chat_url, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.chat.completions.create(model="grounding", messages=[{"role": "user", "content": QUESTION}])
    with pytest.raises(openai.BadRequestError) as exc:
        client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": QUESTION}], max_tokens=100000)
    assert "serve.max_new_tokens" in exc.value.body["message"] and exc.value.body["param"] == "max_tokens"  # OpenAI's error shape
    with pytest.raises(openai.NotFoundError) as exc:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert "'grounding'" in exc.value.body["message"] and exc.value.body["code"] == "model_not_found"


def test_langchain_chat_openai_gets_the_grounded_answer(chat_url):
    lc = pytest.importorskip("langchain_openai", reason="pip install 'grounding[test]' (langchain-openai)")
    llm = lc.ChatOpenAI(model="grounding", base_url=chat_url, api_key="reader-token-for-tests-0123", max_retries=0, extra_body=ANSWER)
    msg = llm.invoke(QUESTION)
    assert "[P" in msg.content and "Sources:" in msg.content and GOLD in msg.content
    streamed = "".join(c.content for c in llm.stream(QUESTION))
    assert streamed == msg.content
