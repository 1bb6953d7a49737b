from grounding.verify.consistency import self_consistency


def test_agreeing_samples_score_higher_than_disagreeing_ones(embedder):
    same = [
        "The reactor tripped because the CRD breaker was opened during testing.",
        "The trip happened when the CRD breaker was tripped during breaker testing.",
        "A CRD breaker trip during testing caused the reactor trip.",
    ]
    mixed = [
        "The reactor tripped because the CRD breaker was opened during testing.",
        "A lightning strike damaged the switchyard.",
        "NOT IN EVIDENCE",
    ]
    a, b = self_consistency(same, embedder), self_consistency(mixed, embedder)
    assert a.agreement > b.agreement + 0.2
    assert b.abstain_vote == 1 / 3 and a.abstain_vote == 0
    assert a.medoid in (0, 1, 2) and b.medoid != 2


def test_unanimous_abstention_is_full_agreement(embedder):
    c = self_consistency(["NOT IN EVIDENCE", "not in evidence", ""], embedder)
    assert c.agreement == 1.0 and c.abstain_vote == 1.0
