"""run_summaries over real NRC reports: citations, support, SQL statistics, checkpoints, formats."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
from sqlalchemy import select, update

from grounding.ingest.records import facility_key
from grounding.store.schema import Report, ReportConcept
from grounding.summarize import SummarizeRequest, run_summaries
from grounding.summarize.facts import emergency_class
from grounding.verify.normalize import facts
from grounding.verify.support import SupportPolicy, check_sentences
from tests.conftest import build_system, write_jsonl
from tests.summarize.conftest import summ_config


def _flat(v) -> str:
    if isinstance(v, dict):
        return " ".join(_flat(x) for x in v.values())
    if isinstance(v, list):
        return " ".join(_flat(x) for x in v)
    return "" if v is None else str(v)


def evidence(report) -> str:
    """Everything stored about a report: its text and its metadata values."""
    return f"{report.text}\n{_flat(report.meta)}"


def _fact(group: dict, rid: str, kind: str) -> str:
    rf = next(f for f in group["facts"] if f["report_id"] == rid)
    return next(f["text"] for f in rf["facts"] if f["kind"] == kind)


def assert_cited_and_supported(system, groups: list[dict]) -> int:
    """Every sentence cites reports of its group; its numbers and dates occur in each cited report;
    and it passes the answer support checks against each cited report's fact of the same kind."""
    ids = {rid for g in groups for rid in g["report_ids"]}
    reports = system.store.get_reports(ids)
    policy = SupportPolicy(system.cfg.verify.min_similarity, system.cfg.verify.min_lexical_precision)
    n = 0
    for g in groups:
        for s in g["sentences"]:
            n += 1
            assert s["citations"], s
            assert set(s["citations"]) <= set(g["report_ids"]), (g["key"], s)
            dates, nums = facts(s["text"])
            for rid in s["citations"]:
                ev_dates, ev_nums = facts(evidence(reports[rid]))
                assert dates <= ev_dates and nums <= ev_nums, (rid, s["text"], dates - ev_dates, nums - ev_nums)
                res = check_sentences([s["text"]], [(rid, _fact(g, rid, s["fact_kind"]))], system.embedder, policy)[0]
                assert res.status == "supported", (rid, s["text"], res.reason)
    return n


def test_facility_summaries_every_sentence_cited_and_supported(summ_system, summ_records, tmp_path):
    res = run_summaries(summ_system, SummarizeRequest(by="facility", fmt="json"), tmp_path / "out")
    by_fac = Counter(facility_key(r["facility"]) for r in summ_records)
    assert {g["key"]: g["n_reports"] for g in res.groups} == dict(by_fac)
    assert [g["n_reports"] for g in res.groups] == sorted((g["n_reports"] for g in res.groups), reverse=True)
    n = assert_cited_and_supported(summ_system, res.groups)
    assert n >= len(res.groups)  # at least one sentence per group on average
    assert any(len(s["citations"]) > 1 for g in res.groups for s in g["sentences"]) or n > 0
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [g["key"] for g in doc["groups"]] == [g["key"] for g in res.groups]
    assert json.loads((tmp_path / "out" / "run.json").read_text())["computed"] + res.reused == len(res.groups)


def test_statistics_are_the_sql_counts_of_the_stored_reports(summ_system, summ_records, tmp_path):
    res = run_summaries(summ_system, SummarizeRequest(by="facility", fmt="json"), tmp_path / "out")
    scram = lambda r: any(str(u.get("scram_code") or "").strip().upper() not in ("", "N") for u in r["reactor_units"])  # noqa: E731
    stats = {g["key"]: g["stats"] for g in res.groups}
    for key in {facility_key(r["facility"]) for r in summ_records}:
        mine = [r for r in summ_records if facility_key(r["facility"]) == key]
        st = stats[key]
        assert st["n_reports"] == len(mine)
        assert st["scram_reports"] == sum(map(scram, mine))
        assert st["per_period"] == dict(sorted(Counter(r["event_date"][:7] for r in mine).items()))
        ec = Counter(emergency_class(r["emergency_class"]) for r in mine)
        ec.pop("", None)
        assert st["emergency"] == dict(ec)
        assert (st["first_date"], st["last_date"]) == (min(r["event_date"] for r in mine), max(r["event_date"] for r in mine))
    assert res.overall["n_reports"] == len(summ_records)
    assert res.overall["scram_reports"] == sum(map(scram, summ_records)) > 0
    assert res.period == "month"
    # Concept counts: distinct reports linked to each concept, as report_concepts has them.
    with summ_system.store.session() as s:
        links = Counter(c for (c,) in s.execute(select(ReportConcept.concept)))
    for item in res.overall["top_equipment"] + res.overall["top_causes"]:
        assert item["reports"] == links[item["concept"]]
        assert not item["concept"].endswith(("#Equipment", "#Cause"))  # category roots are not counted


def test_resume_reuses_checkpoints_and_force_recomputes_the_same_report(summ_system, tmp_path):
    req = SummarizeRequest(by="month")
    first = run_summaries(summ_system, req, tmp_path / "a")
    again = run_summaries(summ_system, req, tmp_path / "b")
    forced = run_summaries(summ_system, SummarizeRequest(by="month", force=True), tmp_path / "c")
    assert again.computed == 0 and again.reused == len(first.groups) == 2
    assert forced.computed == len(first.groups)
    md = [(tmp_path / d / "report.md").read_bytes() for d in "abc"]
    assert md[0] == md[1] == md[2]
    for chart in ("events_per_period", "concepts", "scrams"):
        pngs = [(tmp_path / d / "charts" / f"{chart}.png").read_bytes() for d in "abc"]
        assert pngs[0][:8] == b"\x89PNG\r\n\x1a\n" and pngs[0] == pngs[1] == pngs[2]
    rows = summ_system.store.summary_checkpoints(first.run_key)
    assert sorted(rows) == ["1998-12", "1999-01"]
    assert all(r.run_key == first.run_key and r.group_key == k for k, r in rows.items())


def test_a_changed_report_recomputes_only_its_group(summ_system, embedder, tmp_path):
    shutil.copytree(summ_system.data_dir, tmp_path / "data")
    cfg = summ_system.cfg.model_copy(deep=True)
    cfg.storage.data_dir = str(tmp_path / "data")
    g = build_system(cfg, embedder)
    req = SummarizeRequest(by="facility", where={"state": "NY"})
    first = run_summaries(g, req, tmp_path / "a")
    assert len(first.groups) >= 2
    changed = first.groups[0]["report_ids"][0]
    with g.store.session() as s:
        s.execute(update(Report).where(Report.id == changed).values(content_hash="changed"))
    second = run_summaries(g, req, tmp_path / "b")
    assert (second.computed, second.reused) == (1, len(first.groups) - 1)


def test_concept_groups_are_top_level_equipment_and_cause_classes(summ_system, tmp_path):
    res = run_summaries(summ_system, SummarizeRequest(by="concept", fmt="json"), tmp_path / "out")
    onto = summ_system.ontology
    assert res.groups
    labels = {g["label"] for g in res.groups}
    assert "pump" in labels and "equipment" not in labels and "cause" not in labels
    with summ_system.store.session() as s:
        linked = {}
        for rid, c in s.execute(select(ReportConcept.report_id, ReportConcept.concept)):
            linked.setdefault(c, set()).add(rid)
    for g in res.groups:
        assert g["category"] in ("equipment", "cause")
        members = {g["concept"]} | onto.descendants(g["concept"])
        assert set(g["report_ids"]) == set().union(*(linked.get(c, set()) for c in members))
    assert_cited_and_supported(summ_system, res.groups)


def test_filters_dates_and_html(summ_system, summ_records, tmp_path):
    req = SummarizeRequest(by="year", where={"facility": "clinton"}, since="1999-01-01", until="1999-12", fmt="html")
    res = run_summaries(summ_system, req, tmp_path / "out")
    want = [r for r in summ_records if r["facility"] == "CLINTON" and r["event_date"] >= "1999-01-01"]
    assert [(g["key"], g["n_reports"]) for g in res.groups] == [("1999", len(want))]
    page = (tmp_path / "out" / "report.html").read_text()
    assert page.count("<img") == 3 and 'class="cite"' in page and "<script" not in page
    assert res.paths[0].name == "report.html" and all(p.exists() for p in res.paths)
    with pytest.raises(ValueError, match="concept"):
        run_summaries(summ_system, SummarizeRequest(by="facility", where={"concept": "no such thing"}), tmp_path / "x")


@pytest.mark.slow
def test_model_rephrasings_are_checked_and_deterministic(summ_system, generator, embedder, tmp_path):
    cfg = summ_system.cfg.model_copy(deep=True)
    cfg.summarize.rephrase = True
    cfg.summarize.max_rephrase_per_group = 1
    g = build_system(cfg, embedder)
    g.use(generator=generator)
    req = dict(by="facility", where={"facility": "PRAIRIE ISLAND"}, fmt="json", force=True)
    one = run_summaries(g, SummarizeRequest(**req), tmp_path / "a")
    two = run_summaries(g, SummarizeRequest(**req), tmp_path / "b")
    assert one.timings["generate"] > 0
    grp = one.groups[0]
    attempts = sum(s["status"] == "rephrased" for s in grp["sentences"]) + len(grp["dropped"])
    assert attempts + sum(s["reason"].startswith("the model") for s in grp["sentences"]) == 1
    assert_cited_and_supported(g, one.groups)
    assert one.groups == two.groups
    assert (tmp_path / "a" / "report.json").read_bytes() == (tmp_path / "b" / "report.json").read_bytes()


@pytest.mark.slow
def test_two_worker_processes_write_the_same_report(summ_system, tmp_path):
    req = dict(by="year", force=True)
    one = run_summaries(summ_system, SummarizeRequest(**req, workers=1), tmp_path / "one")
    assert one.workers == 1 and one.computed == 2
    two = run_summaries(summ_system, SummarizeRequest(**req, workers=2), tmp_path / "two")
    assert two.workers == 2 and two.computed == 2
    assert (tmp_path / "one" / "report.md").read_bytes() == (tmp_path / "two" / "report.md").read_bytes()
    assert two.timings["load"] > 0


@pytest.mark.postgres
def test_postgres_statistics(pg_url, summ_records, embedder, tmp_path):
    recs = summ_records[:12]
    cfg = summ_config(tmp_path, write_jsonl(tmp_path / "c.jsonl", recs))
    cfg.storage.database_url = pg_url
    g = build_system(cfg, embedder)
    g.ingestor().run()
    res = run_summaries(g, SummarizeRequest(by="facility", fmt="json"), tmp_path / "out")
    scram = sum(any(str(u.get("scram_code") or "").strip() not in ("", "N") for u in r["reactor_units"]) for r in recs)
    assert res.overall["n_reports"] == 12 and res.overall["scram_reports"] == scram
    assert sum(gr["stats"]["scram_reports"] for gr in res.groups) == scram
    assert_cited_and_supported(g, res.groups)
    again = run_summaries(g, SummarizeRequest(by="facility", fmt="json"), tmp_path / "out2")
    assert again.computed == 0
