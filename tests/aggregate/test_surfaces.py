"""The aggregate route through its surfaces: `POST /ask` (JSON with the chart inline), the web page (table
and chart, screenshot), and the CLI's text and chart file. Expected numbers are counted here from the raw
NRC records (tests/conftest.py nrc_records), never by the code under test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO, nrc_records

QUESTION = "How many reactor scrams per year were reported between 1998 and 1999?"


def expected_series() -> dict[str, int]:
    seen: dict = {}
    for r in nrc_records(200):
        seen[r["event_number"]] = r
    out = {"1998": 0, "1999": 0}
    for r in seen.values():
        codes = [str(u.get("scram_code") or "").strip().upper() for u in (r.get("reactor_units") or []) if isinstance(u, dict)]
        y = (r.get("event_date") or "")[:4]
        if y in out and (r.get("event_text") or "").strip() and any(c not in ("N", "") for c in codes):
            out[y] += 1
    return out


def with_aggregate_config(system):
    from grounding.config import load_config

    repo = load_config(REPO / "config.toml")
    for key in ("aggregate", "measure", "qualifier", "group_by"):
        setattr(system.cfg, key, getattr(repo, key))
    return system


@pytest.fixture
def agg_app(serve_data, embedder):
    from grounding.serve import create_app
    from tests.serve.conftest import EchoGenerator, make_system

    return create_app(with_aggregate_config(make_system(serve_data, embedder, EchoGenerator())))


@pytest.mark.slow
def test_post_ask_returns_the_query_the_counts_and_the_chart(agg_app):
    from fastapi.testclient import TestClient

    with TestClient(agg_app) as client:
        r = client.post("/ask", json={"question": QUESTION})
        assert r.status_code == 200, r.text
        js = r.json()
        assert js["route"] == "aggregate" and not js["abstained"]
        agg = js["aggregate"]
        assert agg["kind"] == "trend" and agg["result"]["series"] == expected_series()
        assert agg["chart_png"].startswith("data:image/png;base64,")
        assert len(agg["report_ids"]) == sum(expected_series().values())
        for key, rid in agg["cited"].items():
            assert js["evidence"][key]["report_id"] == rid and rid in agg["report_ids"]
        unmapped = client.post("/ask", json={"question": "How many reactor scrams were reported at Fukushima Daiichi in 1999?"}).json()
        assert unmapped["abstained"] and "Fukushima Daiichi" in unmapped["answer"]


@pytest.mark.slow
@pytest.mark.browser
def test_page_shows_table_and_chart(agg_app, tmp_path):
    from tests.serve.test_browser import ARGS, CHROMIUM
    from tests.serve.conftest import serving

    if not CHROMIUM.exists():
        from tests.conftest import require_service

        require_service(f"chromium absent: {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("GROUNDING_SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, serving(agg_app) as url:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url + "/")
            page.wait_for_selector("#health:has-text('reports')")
            page.fill("#question", QUESTION)
            page.click("#ask-btn")
            page.wait_for_selector("#agg-block:not([hidden])", timeout=120_000)
            assert page.locator("#agg-chart").is_visible()
            assert page.locator("#agg-chart").get_attribute("src").startswith("data:image/png")
            cells = page.locator("#agg-table td").all_inner_texts()
            series = expected_series()
            assert cells == [x for y, n in series.items() for x in (y, str(n))]
            assert "counted report" in page.locator("#agg-ids").inner_text()
            page.locator("#answer .cite").first.wait_for()
            path = shots / "aggregate-trend.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
            assert not errors, errors
        finally:
            b.close()


def test_cli_text_and_chart_file(tmp_path):
    from grounding.aggregate.chart import write_chart
    from grounding.aggregate.render import text_lines

    payload = {"question": "How have reactor scrams trended since 1999?", "abstained": False, "aggregate": {
        "route": "aggregate", "kind": "trend", "readable": "count nrc reports ... grouped by year", "result": {"series": {"1999": 4, "2000": 3}},
        "sql": ["SELECT ..."], "params": [{"corpus_1": "nrc"}], "report_ids": ["nrc:1", "nrc:2"], "query": {"measure": "scram"}}}
    path = write_chart(payload, tmp_path / "charts")
    assert path is not None and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = text_lines(payload["aggregate"])
    assert any(line.startswith("query: count nrc reports") for line in lines)
    assert any("1999: 4, 2000: 3" in line for line in lines) and any(line.startswith("chart: ") for line in lines)
