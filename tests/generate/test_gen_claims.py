"""Structured output (generate/claims.py): the schema, reading a reply (whole, cut off, not JSON), the
streamed view of its text, and the default backend (llama.cpp) decoding under the schema for real."""

from __future__ import annotations

import json

import pytest

from grounding.config import SamplingConfig
from grounding.generate.claims import Claim, ClaimTextView, claim_text_so_far, claims_schema, parse_claims, supports_schema

REPLY = '{"claims":[{"text":"Unit 3 tripped due to a \\"loss\\" of offsite power.","cites":["P1"]},{"text":"The EDGs started.","cites":["P2","P1"]}]}'


def test_schema_allows_only_the_shown_keys_as_cites():
    s = claims_schema(["P1", "P2"])
    item = s["properties"]["claims"]["items"]
    assert item["properties"]["cites"]["items"]["enum"] == ["P1", "P2"]
    assert item["required"] == ["text", "cites"] and s["required"] == ["claims"]


def test_a_whole_reply_gives_its_claims_with_their_cites():
    assert parse_claims(REPLY) == [Claim('Unit 3 tripped due to a "loss" of offsite power.', ["P1"]), Claim("The EDGs started.", ["P2", "P1"])]
    assert parse_claims('{"claims":[]}') == []


def test_a_reply_cut_off_at_the_token_limit_keeps_its_complete_claims():
    cut = REPLY[: REPLY.index("The EDGs") + 5]
    assert parse_claims(cut) == [Claim('Unit 3 tripped due to a "loss" of offsite power.', ["P1"])]
    assert parse_claims('{"claims":[{"text":"Unit 3 tri') == []  # JSON begun, no claim finished


def test_a_cut_off_reply_is_read_whatever_the_key_order_and_with_braces_in_the_text():
    # Regression: the cut-off reader was a regex that wanted "text" before "cites" and no "}" in the text;
    # a server that honours response_format (vLLM, OpenAI) may write the keys in either order.
    cut = '{"claims": [{"cites": ["P2"], "text": "Breaker {52-1} opened."}, {"cites": ["P1"], "text": "The ED'
    assert parse_claims(cut) == [Claim("Breaker {52-1} opened.", ["P2"])]


def test_free_text_is_not_read_as_claims():
    assert parse_claims("The reactor tripped due to a breaker fault [P1].") is None
    assert parse_claims('{"answer": "x"}') is None  # JSON, but not claims


@pytest.mark.parametrize("step", [1, 2, 3, 7])
def test_the_streamed_view_shows_the_claims_text_never_the_json(step):
    view = ClaimTextView()
    shown = "".join(view.feed(REPLY[i : i + step]) for i in range(0, len(REPLY), step))
    assert shown == 'Unit 3 tripped due to a "loss" of offsite power. The EDGs started.'
    assert "{" not in shown and "cites" not in shown


def test_text_so_far_holds_back_a_half_written_escape():
    assert claim_text_so_far('{"claims":[{"text":"a \\') == "a "
    assert claim_text_so_far('{"claims":[{"text":"a \\u00') == "a "


def test_llamacpp_decodes_compact_claims_that_cite_only_shown_passages(generator):
    """The default backend under the schema: valid compact JSON whose cites are shown keys (greedy, so twice the same)."""
    assert supports_schema(generator)
    from grounding.answer.prompts import claims_messages

    shown = [("P1", "On February 26, 2008, Turkey Point Unit 3 tripped due to a loss of offsite power caused by a fault at the Flagami substation."),
             ("P2", "The emergency diesel generators started and loaded as designed.")]
    msgs = claims_messages("What caused the trip at Turkey Point on February 26, 2008?", shown)
    s = SamplingConfig(max_new_tokens=160, json_schema=claims_schema(["P1", "P2"]))
    raw = generator.generate(msgs, s)[0].text
    data = json.loads(raw)  # valid JSON, not a near miss
    assert set(data) == {"claims"} and len(data["claims"]) <= 2
    for claim in data["claims"]:
        assert set(claim) == {"text", "cites"} and claim["text"] and claim["cites"]
        assert set(claim["cites"]) <= {"P1", "P2"}
    assert raw.startswith('{"claims":[') and "\n" not in raw  # compact: no whitespace or indentation spent
    assert generator.generate(msgs, s)[0].text == raw
