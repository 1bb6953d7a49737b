"""Moved: the review queue lives in grounding/store/review.py (all SQL is in grounding/store/).
This name stays importable for older imports."""

from grounding.store.review import Candidate, OntologyCandidate, ReviewQueue

__all__ = ["Candidate", "OntologyCandidate", "ReviewQueue"]
