"""`grounding serve` as a process, asked through the official `openai` client as a user would:
GET /v1/models, a grounded cited answer, an abstention, a streamed answer. The real CLI and SmolLM2
over the shared served data dir; the process is ended (SIGINT, then kill) whatever happens."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ONTOLOGY_FILES
from tests.serve.conftest import ServeProcess

openai = pytest.importorskip("openai", reason="pip install 'grounding[test]' (openai)")

pytestmark = pytest.mark.slow  # loads SmolLM2 in a fresh process

KEY = "reader-token-for-a-process-0123"
QUESTION = "What caused the reactor trip at Oconee on December 31, 1998?"
GOLD = "nrc:35209"


@pytest.fixture(scope="module")
def served(serve_data, tmp_path_factory):
    """The CLI serving serve_data on a free loopback port with a reader token; yields the /v1 base URL."""
    onto = json.dumps([str(p) for p in ONTOLOGY_FILES if p.exists()])
    d = tmp_path_factory.mktemp("chat_process")
    cfg = d / "config.toml"
    cfg.write_text(
        f'[storage]\ndata_dir = "{serve_data / "data"}"\n[ontology]\nfiles = {onto}\n'
        f'[generator.sampling]\nmax_new_tokens = 48\n[serve]\nreader_token = "{KEY}"\n',
        encoding="utf-8",
    )
    with ServeProcess(cfg, d / "serve.log") as server:
        server.wait_healthy()
        yield f"{server.url}/v1"


@pytest.fixture(scope="module")
def client(served):
    return openai.OpenAI(base_url=served, api_key=KEY, max_retries=0, timeout=300)


def test_models(client):
    assert [m.id for m in client.models.list().data] == ["grounding"]


def test_grounded_cited_answer(client):
    r = client.chat.completions.create(
        model="grounding", messages=[{"role": "user", "content": QUESTION}], extra_body={"grounding": {"threshold": 0.0}}
    )
    g = r.model_extra["grounding"]
    text = r.choices[0].message.content
    assert g["abstained"] is False and text.startswith(g["answer"])
    cited = {c for s in g["sentences"] for c in s["citations"]}
    assert cited and all(f"[{k}]" in text for k in cited)
    assert GOLD in {g["evidence"][k]["report_id"] for k in cited} and GOLD in text.split("Sources:")[1]


def test_abstention_for_a_plant_that_does_not_exist(client):
    r = client.chat.completions.create(model="grounding", messages=[{"role": "user", "content": "What caused the reactor trip at Zzyzx Unit 7 on June 31, 1911?"}])
    g = r.model_extra["grounding"]
    assert g["abstained"] is True and g["sentences"] == [] and r.choices[0].message.content.startswith(g["answer"])
    assert "Sources:" not in r.choices[0].message.content


def test_wrong_key_is_refused(served):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=served, api_key="not-the-key", max_retries=0).models.list()
