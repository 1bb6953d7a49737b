"""Cited, charted summaries of many reports by facility, concept, month or year (issue 7).

    from grounding.summarize import SummarizeRequest, run_summaries
    result = run_summaries(system, SummarizeRequest(by="facility", where={"facility": "OCONEE"}), Path("out"))

Map: rule-based key facts per report (facts.py). Reduce: a few sentences per group, each
citing report ids and checked like answers (compose.py). Statistics are SQL (stats.py);
each group is checkpointed in SQL (checkpoint.py); docs/summarization.md has the details.
"""

from grounding.summarize.request import SummarizeRequest, parse_where
from grounding.summarize.runner import STAGES, SummaryResult, run_summaries

__all__ = ["STAGES", "SummarizeRequest", "SummaryResult", "parse_where", "run_summaries"]
