"""The aggregate route runs through the store's `AggregateQueries` interface only, and the SQL it shows
as evidence is the SQL the pre-refactor aggregate/sql.py showed (pinned for SQLite)."""

from __future__ import annotations

import pytest

from grounding.aggregate.engine import _CONTEXT, _ROUTERS, answer_across
from grounding.store.aggregates import AggregateQueries, AggregateResult
from grounding.store.sql import SqlStore
from grounding.store.summaries import SummaryQueries
from tests.aggregate.conftest import fake_agent, make_store
from tests.aggregate.test_aggregate import QUESTIONS

AUTOMATIC = "How many automatic scrams did Diablo Canyon report between 1999 and 2001?"
# aggregate.sql as shown with the answer before the SQL moved into grounding/store (SQLite).
PINNED_SQL = (
    "SELECT count(reports.id) AS value, count(reports.id) AS reports \nFROM reports \nWHERE reports.corpus = ? AND "
    "(EXISTS (SELECT ? AS anon_1 \nFROM json_each(reports.meta, ?) AS item \nWHERE (upper(trim(coalesce(CAST("
    "json_extract(item.value, ?) AS VARCHAR), ?))) NOT IN (__[POSTCOMPILE_upper_1])))) AND (EXISTS (SELECT ? AS anon_2 "
    "\nFROM json_each(reports.meta, ?) AS item \nWHERE (upper(trim(coalesce(CAST(json_extract(item.value, ?) AS VARCHAR), ?))) "
    "LIKE ? || '%' ESCAPE '/'))) AND reports.facility_key IN (__[POSTCOMPILE_facility_key_1]) AND reports.date >= ? AND reports.date <= ?"
)
PINNED_PARAMS = {
    "corpus_1": "nrc", "param_1": 1, "json_each_1": "$.reactor_units", "json_extract_1": "$.scram_code", "coalesce_1": "",
    "upper_1": ["N", ""], "param_2": 1, "json_each_2": "$.reactor_units", "json_extract_2": "$.scram_code", "coalesce_2": "",
    "upper_2": "A", "facility_key_1": ["diablo canyon"], "date_1": "1999-01-01", "date_2": "2001-06-01",
}


class InterfaceOnly:
    """A store that has nothing but `AggregateQueries` and the three report reads the route uses (ReportReads), each
    forwarded to a SqlStore and counted: any other attribute (session, engine, ...) is an AttributeError."""

    def __init__(self, inner: SqlStore) -> None:
        self._inner = inner
        self.url = "interface-only:" + inner.url
        self.calls: dict[str, int] = {}

    def _call(self, name: str, *args, **kwargs):
        self.calls[name] = self.calls.get(name, 0) + 1
        return getattr(self._inner, name)(*args, **kwargs)

    def aggregate(self, q, max_ids, n_samples, sample_group=None) -> AggregateResult:
        return self._call("aggregate", q, max_ids, n_samples, sample_group)

    def distribution(self, q, candidates, labels, top, examples_n, max_ids):
        return self._call("distribution", q, candidates, labels, top, examples_n, max_ids)

    def corpus_span(self, corpus, min_year_reports=3):
        return self._call("corpus_span", corpus, min_year_reports)

    def facility_names(self, corpora):
        return self._call("facility_names", corpora)

    def corpora_of_concepts(self, concepts):
        return self._call("corpora_of_concepts", concepts)

    def count_reports(self):
        return self._call("count_reports")

    def corpus_counts(self):
        return self._call("corpus_counts")

    def get_reports(self, ids):
        return self._call("get_reports", ids)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'agg.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    st = make_store(url)
    _CONTEXT.pop(st.url, None)
    yield st
    st.dispose()


def test_sql_store_implements_the_query_interfaces(store):
    assert isinstance(store, AggregateQueries) and isinstance(store, SummaryQueries)
    assert isinstance(InterfaceOnly(store), AggregateQueries)
    assert store.count_reports() == 21


def test_the_route_answers_the_same_through_the_interface_alone(store):
    narrow = InterfaceOnly(store)
    questions = [q for q, *_ in QUESTIONS] + ["Which plant reported the most reactor scrams between 1999 and 2001?"]
    try:
        for question in questions:
            direct = answer_across(fake_agent(store), question, 0.5)
            through = answer_across(fake_agent(narrow), question, 0.5)
            assert through.answer == direct.answer and through.confidence == direct.confidence, question
            keep = ("sql", "params", "result", "report_ids", "cited", "readable")
            assert {k: through.aggregate[k] for k in keep} == {k: direct.aggregate[k] for k in keep}, question
            assert [p.report_id for p in through.passages] == [p.report_id for p in direct.passages]
    finally:
        for key in [k for k in _ROUTERS if k[-1] == narrow.url]:
            _ROUTERS.pop(key)
        _CONTEXT.pop(narrow.url, None)
    assert narrow.calls["aggregate"] >= len(questions) and narrow.calls["count_reports"] >= 1


def test_the_evidence_sql_is_unchanged(sqlite_store):
    _CONTEXT.pop(sqlite_store.url, None)
    ans = answer_across(fake_agent(sqlite_store), AUTOMATIC, 0.5)
    assert ans.aggregate["sql"] == [PINNED_SQL]
    assert ans.aggregate["params"] == [PINNED_PARAMS]
    assert ans.sentences[0].reason == "computed in SQL by the count query in aggregate.sql"
