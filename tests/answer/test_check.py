"""check_draft: what survives the checks, including a draft that abstains (regression for 7d03dd1)."""

from __future__ import annotations

import pytest

from grounding.answer.check import check_draft
from grounding.answer.draft import Draft
from grounding.answer.prompts import NOT_IN_EVIDENCE
from grounding.config import Config
from grounding.generate.claims import Claim

SHOWN = [
    ("P1", "The reactor tripped on low steam generator level after a feedwater pump failed."),
    ("P2", "The emergency diesel generator failed its surveillance test because of a fuel leak."),
]


@pytest.fixture(scope="module")
def cfg() -> Config:
    return Config.model_validate({})


@pytest.mark.parametrize(
    "draft",
    [
        Draft(text=NOT_IN_EVIDENCE),
        Draft(text=f"{NOT_IN_EVIDENCE.lower()}."),
        Draft(text=""),
        Draft(text="", claims=[]),
        Draft(text=NOT_IN_EVIDENCE, claims=[]),
    ],
    ids=["text", "lowercase", "empty-text", "empty-claims", "claims-abstain"],
)
def test_a_draft_that_abstains_checks_to_nothing_without_raising(cfg, embedder, draft):
    # Before 7d03dd1 an abstaining draft unpacked [] into (candidates, cites) and raised ValueError,
    # which the API turned into a 500.
    kept, dropped = check_draft(cfg, embedder, None, None, "what caused the trip?", draft, SHOWN, [])
    assert kept == [] and dropped == []


def test_a_supported_claim_is_kept_and_an_unsupported_one_dropped(cfg, embedder):
    claims = [
        Claim("The reactor tripped on low steam generator level after a feedwater pump failed.", ["P1"]),
        Claim("The plant was struck by a meteor during refuelling.", ["P2"]),
    ]
    draft = Draft(text=" ".join(c.text for c in claims), claims=claims)  # as answer/draft.py builds it
    kept, dropped = check_draft(cfg, embedder, None, None, "what caused the trip?", draft, SHOWN, [])
    assert [s.citations for s in kept] == [["P1"]]
    assert [s.model_cites for s in kept] == [["P1"]]
    assert len(dropped) == 1 and "meteor" in dropped[0].text
