"""End to end: the server on a loopback port, the page in headless Chromium (Debian's package).

Ask a question (real SmolLM2, streamed), click a citation and see the excerpt highlighted, check
that a report containing <script> shows as text, accept a proposal as a curator; a screenshot of each view is taken.

Screenshots go to a temporary folder, so a test run never changes the committed ones. To refresh
the committed docs/screenshots/, ask for it: GROUNDING_UPDATE_SCREENSHOTS=1 pytest tests/serve/test_browser.py
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, require_service
from tests.serve.conftest import CURATOR, HOSTILE_ID, HOSTILE_QUESTION, make_system, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("GROUNDING_CHROMIUM", "/usr/bin/chromium"))
DOC_SHOTS = REPO / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        require_service(f"chromium absent: {CHROMIUM} (Debian: apt-get install -y chromium; `make browser`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service("the playwright Python package is not installed (pip install playwright; never `playwright install`)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: docs/screenshots only when GROUNDING_UPDATE_SCREENSHOTS=1, else a temp folder."""
    if os.environ.get("GROUNDING_UPDATE_SCREENSHOTS", "") not in ("", "0"):
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        return DOC_SHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    ctx.close()


REAL_QUESTION = "Why did the emergency diesel generator fail to start?"  # links two concepts: KG paths
KOREAN_QUESTION = "비상 디젤 발전기가 기동하지 못한 원인은 무엇입니까?"  # the same question in Korean (no locative particle: "기동에" would read as a place)


def test_operator_view(page, shots, private_data, embedder, generator):
    from grounding.serve import create_app

    system = make_system(private_data, embedder, generator)
    with serving(create_app(system)) as url:
        page.goto(url + "/")
        page.wait_for_selector("#health:has-text('reports')")
        # Record what the streamed draft showed before the checked answer replaced it.
        page.evaluate(
            """() => { window.__drafted = "";
              const d = document.getElementById("draft-text");
              new MutationObserver(() => { if (d.textContent) window.__drafted = d.textContent; })
                .observe(d, {childList: true, characterData: true, subtree: true}); }"""
        )
        page.fill("#question", REAL_QUESTION)
        page.fill("#threshold", "0")  # answer whatever the confidence, so the answer carries citations
        page.click("#ask-btn")
        page.wait_for_selector("#result:not([hidden])", timeout=240_000)
        assert page.locator("#status").inner_text() == "", page.locator("#status").inner_text()
        assert page.evaluate("window.__drafted"), "no draft tokens were streamed"
        assert page.locator("#draft").is_hidden()

        # Click the first citation in the answer: its passage is highlighted, its report opens marked.
        cite = page.locator("#answer .cite").first
        key = cite.get_attribute("data-key")
        cite.click()
        card = page.locator(f"#ev-{key}")
        assert "active" in card.get_attribute("class")
        mark = card.locator(".excerpt mark.hl")
        mark.wait_for()
        assert mark.inner_text() == card.locator(".excerpt").inner_text()
        page.wait_for_selector("#report:not([hidden]) #report-text mark.hl")
        assert float(page.locator("#conf-bar").get_attribute("aria-valuenow")) >= 0
        # KG paths drawn as a small graph: concept boxes joined by labelled edges.
        assert page.locator("#kg-block").is_visible()
        assert page.locator("#kg svg .kg-path").count() >= 1 and page.locator("#kg svg .kg-edge").count() >= 1
        assert "has failure mode" in page.locator("#kg").inner_text()
        page.screenshot(path=str(shots / "operator.png"), full_page=True)

        # A hostile report as evidence, and a declined answer (threshold 1) that says why.
        page.fill("#question", HOSTILE_QUESTION)
        page.fill("#threshold", "1")
        page.uncheck("#stream")
        page.click("#ask-btn")
        page.wait_for_selector("#abstain:not([hidden])", timeout=240_000)
        assert "not above the threshold 1.00" in page.locator("#abstain-reason").inner_text()
        p1 = page.locator("#ev-P1")
        assert HOSTILE_ID in p1.inner_text()
        assert "<script>window.__xss = 1</script>" in p1.locator(".excerpt").inner_text()
        p1.locator(".cite").click()
        page.wait_for_selector("#report-text mark.hl")
        assert "<img src=x" in page.locator("#report-text").inner_text()
        assert "ZEBRA POINT <b>9</b>" in page.locator("#report-meta").inner_text()
        # Nothing from the report became markup, and no script ran.
        assert page.evaluate("window.__xss") is None
        assert page.locator("script").count() == 1
        assert page.locator("#passages img, #report img, #passages b, #report-meta b").count() == 0
        page.screenshot(path=str(shots / "operator-abstained.png"), full_page=True)

        # A Korean question: the answer is framed in Korean around the verbatim English evidence, its
        # citations still open the passage, and an abstention is explained in Korean.
        page.fill("#question", KOREAN_QUESTION)
        page.fill("#threshold", "0")
        page.click("#ask-btn")
        page.wait_for_selector("#answer:not([hidden]) .cite", timeout=240_000)
        said = page.locator("#answer").inner_text()
        assert "원인 (보고서 " in said and "비상 디젤 발전기" in said, said
        assert page.evaluate("document.fonts.check('16px sans-serif', '원인')")
        page.locator("#answer .cite").first.click()
        page.wait_for_selector("#report:not([hidden]) #report-text mark.hl")
        page.screenshot(path=str(shots / "operator-korean.png"), full_page=True)
        page.fill("#threshold", "1")
        page.click("#ask-btn")
        page.wait_for_selector("#abstain:not([hidden])", timeout=240_000)
        assert page.locator("#abstain-title").inner_text() == "답변하지 않음."
        assert "임계값 1.00를 넘지 않습니다" in page.locator("#abstain-reason").inner_text()
    assert page.errors == []


def test_curator_view(page, shots, private_data, embedder):
    """Accept a proposal in the page; the ontology (a private copy) gains the synonym."""
    import httpx

    from grounding.serve import create_app
    from tests.serve.conftest import EchoGenerator

    system = make_system(private_data, embedder, EchoGenerator())
    auth = {"Authorization": f"Bearer {CURATOR}"}
    with serving(create_app(system)) as url:
        # A realistic queue: candidates mined from the 201 reports, plus one synonym to accept.
        job = httpx.post(f"{url}/ontology/propose", json={"min_reports": 3, "max_candidates": 12}, headers=auth).json()
        deadline = time.monotonic() + 120
        while httpx.get(f"{url}/jobs/{job['id']}").json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        item = httpx.post(
            f"{url}/ontology/review",
            json={"kind": "synonym", "term": "diesel genset", "concept": "EmergencyDieselGenerator", "reports": [HOSTILE_ID], "note": "operators' shorthand in shift logs"},
            headers=auth,
        ).json()

        page.goto(url + "/#curate")
        row = page.locator(f"#review-{item['id']}")
        row.wait_for()
        assert "synonym of emergency diesel generator" in row.inner_text()
        # Without the token the page says so and nothing changes.
        row.locator("button.accept").click()
        assert "curator token" in page.locator("#curate-status").inner_text()
        page.fill("#token", CURATOR)
        row.locator("button.accept").click()
        page.wait_for_selector("#curate-status.ok")
        assert "accepted" in row.locator(".status-cell").inner_text()
        assert row.locator("button").count() == 0
        assert "diesel genset" in (private_data / "ontology" / "grounding.ttl").read_text(encoding="utf-8")

        # The reloaded ontology knows the synonym: concept search finds it, details show it.
        page.fill("#concept-q", "diesel genset")
        page.click("#concept-form button")
        page.locator("#concepts .concept-link").first.click()
        page.wait_for_selector("#concept-detail h3")
        detail = page.locator("#concept-detail").inner_text()
        assert "emergency diesel generator" in detail and "diesel genset" in detail

        page.click("#audit-load")
        page.wait_for_selector("#audit tbody tr td a", timeout=120_000)
        assert "Spearman" in page.locator("#audit-summary").inner_text()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shots / "curator.png"), full_page=True)
    assert page.errors == []
