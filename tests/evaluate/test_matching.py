from grounding.evaluate.matching import is_correct


def test_text_containment_and_f1():
    ans = '"When the associated CRD breaker was tripped from the 3A RPS cabinet, the remaining RPS channels actuated causing the reactor trip." [P1]'
    assert is_correct(ans, "the CRD breaker was tripped from the 3A RPS cabinet")
    assert not is_correct(ans, "a lightning strike on the main transformer")
    assert is_correct("Reactor trip during control rod drive breaker testing.", "REACTOR TRIP DURING CONTROL ROD DRIVE BREAKER TESTING")


def test_numbers_must_match_exactly():
    assert is_correct("About 1,881,134 customers lost power.", "1881134", "number")
    assert not is_correct("About 1,881,135 customers lost power.", "1881134", "number")
    assert is_correct("The unit was at 100% power.", "100", "number")
    assert not is_correct("The unit was at 90% power.", "100", "number")


def test_dates_and_unanswerable():
    assert is_correct("It was restored on Feb. 7, 2002.", "2002-02-07", "date")
    assert not is_correct("It was restored on Feb. 8, 2002.", "2002-02-07", "date")
    assert not is_correct("anything", None)
