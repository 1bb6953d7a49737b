"""The route step: archive questions go to grounding/aggregate, a pinned report's field is read, the rest is generated."""

from __future__ import annotations

from types import SimpleNamespace

from grounding.answer.evidence import Evidence
from grounding.answer.result import Passage
from grounding.answer.route import route_archive, route_evidence
from grounding.config import load_config
from grounding.retrieve.query import DateRange, QueryFilters
from tests.conftest import REPO


def test_archive_routes_off_is_the_single_event_path():
    agent = SimpleNamespace(cfg=SimpleNamespace(aggregate=SimpleNamespace(enabled=False)))
    r = route_archive(agent, "How many reactor scrams were reported at Diablo Canyon in 1999?", 0.5)
    assert r.kind == "single_event" and r.answer is None and r.why == ["aggregate.enabled = false"]


def test_a_field_of_the_pinned_report_is_the_field_route():
    cfg = load_config(REPO / "config.toml")
    report = SimpleNamespace(id="oe417:1", corpus="oe417", title="t", date="2012-07-03", facility="Texas",
                             meta={"customers_affected": 5000})
    p = Passage("P1", "oe417:1", 0, "text", 1.0, date="2012-07-03", facility="Texas", scores={"meta": 1.0})
    filters = QueryFilters(facilities=["texas"], dates=[DateRange("2012-07-03", "2012-07-03", True)])
    ev = Evidence(passages=[p], filters=filters, reports={"oe417:1": report})
    r = route_evidence(cfg, "How many customers were affected in Texas on July 3, 2012?", ev)
    assert r.kind == "field" and r.field_hit is not None and r.field_hit.answer.value == "5000"
    assert r.field_hit.passage.key == "P2" and "customers_affected" in r.why[0]
    unpinned = Evidence(passages=[Passage("P1", "oe417:1", 0, "text", 1.0, scores={"meta": 0.5})], filters=filters,
                        reports={"oe417:1": report})
    assert route_evidence(cfg, "How many customers were affected in Texas on July 3, 2012?", unpinned).kind == "single_event"
