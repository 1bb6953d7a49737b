"""The report: Markdown, HTML or JSON, with matplotlib charts (PNG) for Markdown and HTML.

Everything written here is a function of the run's document (group payloads from the
checkpoints + SQL statistics): no timestamps, no timings (those go to run.json), so a
resumed run writes byte-identical files to an uninterrupted one.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

CHARTS = ("events_per_period", "concepts", "scrams")


# --- charts ----------------------------------------------------------------------------------
def _periods(first: str, last: str, period: str) -> list[str]:
    if period == "year":
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _chart_groups(doc: dict, n: int) -> list[dict]:
    groups = doc["groups"]
    if len(groups) <= n:
        return groups
    top = sorted(groups, key=lambda g: (-g["stats"]["n_reports"], g["label"]))[:n]
    keep = {g["key"] for g in top}
    return [g for g in groups if g["key"] in keep]


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100, metadata={"Software": None})


def write_charts(doc: dict, folder: Path, chart_groups: int) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    overall = doc["overall"]
    period = doc["period"]
    by = doc["request"]["by"]

    # Events per period: stacked by group (the largest groups by name, the rest as "other").
    fig, ax = plt.subplots(figsize=(10, 4))
    pp = overall["per_period"]
    if pp:
        xs = _periods(min(pp), max(pp), period)
        bottom = [0] * len(xs)
        series = []
        if by in ("month", "year"):
            series.append(("reports", [pp.get(x, 0) for x in xs]))
        else:
            shown = sorted(doc["groups"], key=lambda g: (-g["stats"]["n_reports"], g["label"]))[:chart_groups]
            for g in shown:
                series.append((g["label"], [g["stats"]["per_period"].get(x, 0) for x in xs]))
            if by != "concept" and len(doc["groups"]) > len(shown):
                rest = [pp.get(x, 0) - sum(s[1][i] for s in series) for i, x in enumerate(xs)]
                series.append(("other", rest))
        cmap = plt.get_cmap("tab10")
        for i, (name, ys) in enumerate(series):
            ax.bar(range(len(xs)), ys, bottom=bottom, label=name[:40], color=cmap(i % 10), width=0.85)
            bottom = [b + y for b, y in zip(bottom, ys)]
        step = max(1, len(xs) // 24)
        ax.set_xticks(range(0, len(xs), step))
        ax.set_xticklabels(xs[::step], rotation=60, ha="right", fontsize=8)
        ax.set_ylabel("reports")
        if len(series) > 1:
            ax.legend(fontsize=7, ncol=2, loc="upper left", frameon=False)
    else:
        ax.text(0.5, 0.5, "no dated reports", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(f"Events per {period}" + (" (overlapping groups: a report linked to two concepts counts in both)" if by == "concept" else ""), fontsize=10)
    p = folder / "events_per_period.png"
    _save(fig, p)
    plt.close(fig)
    paths.append(p)

    # Top linked cause and equipment concepts (reports linked, whole selection).
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, field, title in ((axes[0], "top_causes", "cause concepts"), (axes[1], "top_equipment", "equipment concepts")):
        items = overall.get(field) or []
        if not items and field == "top_equipment":
            items, title = overall.get("top_other") or [], "other linked concepts"
        if items:
            labels = [it["label"][:32] for it in items][::-1]
            ax.barh(range(len(items)), [it["reports"] for it in items][::-1], color="#4C72B0" if field == "top_causes" else "#DD8452")
            ax.set_yticks(range(len(items)))
            ax.set_yticklabels(labels, fontsize=8)
            ax.set_xlabel("reports")
        else:
            ax.text(0.5, 0.5, "no linked concepts", ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
        ax.set_title(f"Top {title}", fontsize=10)
    p = folder / "concepts.png"
    _save(fig, p)
    plt.close(fig)
    paths.append(p)

    # Scrams per group (automatic / manual) beside the group's report count.
    fig, ax = plt.subplots(figsize=(10, 4))
    groups = _chart_groups(doc, chart_groups * 3)
    if groups and overall.get("scram_reports", 0):
        xs = range(len(groups))
        ax.bar([x - 0.2 for x in xs], [g["stats"]["n_reports"] for g in groups], width=0.4, color="#CCCCCC", label="reports")
        auto = [g["stats"]["scram_automatic"] for g in groups]
        manual = [g["stats"]["scram_reports"] - g["stats"]["scram_automatic"] for g in groups]
        ax.bar([x + 0.2 for x in xs], auto, width=0.4, color="#C44E52", label="scram (automatic)")
        ax.bar([x + 0.2 for x in xs], manual, width=0.4, bottom=auto, color="#8172B2", label="scram (manual / other)")
        ax.set_xticks(list(xs))
        ax.set_xticklabels([g["label"][:24] for g in groups], rotation=60, ha="right", fontsize=8)
        ax.set_ylabel("reports")
        ax.legend(fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no reactor scrams in the selection", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_title("Reports and reactor scrams per group", fontsize=10)
    p = folder / "scrams.png"
    _save(fig, p)
    plt.close(fig)
    paths.append(p)
    return paths


# --- text ------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_<>|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _sentence_text(s: dict) -> str:
    return f"“{s['text']}”" if s["status"] == "extractive" else s["text"]


def _selection_line(doc: dict) -> str:
    r = doc["request"]
    parts = [f"{k} = {v}" for k, v in r["where"].items()]
    if r["since"]:
        parts.append(f"since {r['since']}")
    if r["until"]:
        parts.append(f"until {r['until']}")
    sel = "; ".join(parts) if parts else "all stored reports"
    return f"{sel} — {doc['overall']['n_reports']:,} reports in {len(doc['groups']):,} groups (events counted per {doc['period']})"


def _top(items: list[dict], n: int = 3) -> str:
    return ", ".join(f"{it['label']} ({it['reports']})" for it in items[:n]) or "–"


def _emergency(em: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in em.items()) or "–"


def _scram(st: dict) -> str:
    if not st["scram_reports"]:
        return "0"
    return f"{st['scram_reports']} ({st['scram_automatic']} / {st['scram_reports'] - st['scram_automatic']})"


METHOD = (
    "Every summary sentence cites the reports it comes from. Sentences are key facts extracted by rules from the "
    "reports (quoted “like this”) or the model's rephrasing of one, kept only when it passes the same support "
    "checks as answers against the cited report's fact (numbers, dates, names and critical words must be found "
    "there). Every count is a SQL query over the stored reports, never model output; scrams come from the "
    "reports' reactor-unit scram codes and concepts from the reports' ontology links."
)


def _sources(g: dict) -> list[dict]:
    cited = {c for s in g["sentences"] for c in s["citations"]}
    return [f for f in g["facts"] if f["report_id"] in cited]


def markdown(doc: dict) -> str:
    lines = [f"# {doc['title']}", "", f"Selection: {_md(_selection_line(doc))}.", "", METHOD, ""]
    for w in doc["warnings"]:
        lines += [f"> Note: {_md(w)}", ""]
    if doc["charts"]:
        lines += ["## Overview", ""]
        for name in doc["charts"]:
            lines += [f"![{name.replace('_', ' ')}](charts/{name}.png)", ""]
    lines += [
        "| Group | Reports | First | Last | Scram reports (auto / manual) | Emergency declarations | Top cause concepts | Top equipment concepts |",
        "|---|---:|---|---|---:|---|---|---|",
    ]
    for g in doc["groups"]:
        st = g["stats"]
        lines.append(
            f"| {_md(g['label'])} | {st['n_reports']} | {st['first_date'] or '–'} | {st['last_date'] or '–'} | {_scram(st)} | "
            f"{_md(_emergency(st['emergency']))} | {_md(_top(st['top_causes']))} | {_md(_top(st['top_equipment']))} |"
        )
    lines.append("")
    for g in doc["groups"]:
        st = g["stats"]
        span = f"{st['first_date']} to {st['last_date']}" if st["first_date"] else "undated"
        lines += [f"## {_md(g['label'])}", "", f"*{st['n_reports']} reports, {span}.*", ""]
        if g["sentences"]:
            para = " ".join(f"{_md(_sentence_text(s))} " + " ".join(f"[{c}]" for c in s["citations"]) for s in g["sentences"])
            lines += [para, ""]
        else:
            lines += ["No key fact could be extracted from these reports.", ""]
        periods = ", ".join(f"{k}: {v}" for k, v in st["per_period"].items())
        lines += [
            f"- Events per {doc['period']}: {periods or '–'}",
            f"- Scram reports: {_scram(st)}; emergency declarations: {_md(_emergency(st['emergency']))}",
            f"- Top cause concepts: {_md(_top(st['top_causes'], 5))}; top equipment concepts: {_md(_top(st['top_equipment'], 5))}",
            "",
            "Sources:",
            "",
        ]
        for f in _sources(g):
            link = f" <{f['url']}>" if f.get("url") else ""
            lines.append(f"- [{f['report_id']}] {f['date'] or 'undated'} — {_md(f['title'])}{link}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _anchor(rid: str) -> str:
    return "src-" + re.sub(r"[^A-Za-z0-9_-]", "-", rid)


def html_report(doc: dict) -> str:
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(doc['title'])}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
        "table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
        "td.n{text-align:right}img{max-width:100%}.cite{font-size:.85em;white-space:nowrap}.q{color:#333}"
        ".note{background:#fff7e0;padding:.5rem}ul.src{font-size:.9rem}</style></head><body>",
        f"<h1>{e(doc['title'])}</h1>",
        f"<p>Selection: {e(_selection_line(doc))}.</p>",
        f"<p>{e(METHOD)}</p>",
    ]
    for w in doc["warnings"]:
        out.append(f'<p class="note">Note: {e(w)}</p>')
    if doc["charts"]:
        out.append("<h2>Overview</h2>")
        for name in doc["charts"]:
            out.append(f'<figure><img src="charts/{e(name)}.png" alt="{e(name.replace("_", " "))}"></figure>')
    out.append(
        "<table><tr><th>Group</th><th>Reports</th><th>First</th><th>Last</th><th>Scram reports (auto / manual)</th>"
        "<th>Emergency declarations</th><th>Top cause concepts</th><th>Top equipment concepts</th></tr>"
    )
    for g in doc["groups"]:
        st = g["stats"]
        out.append(
            f"<tr><td>{e(g['label'])}</td><td class=n>{st['n_reports']}</td><td>{e(st['first_date'] or '–')}</td>"
            f"<td>{e(st['last_date'] or '–')}</td><td class=n>{e(_scram(st))}</td><td>{e(_emergency(st['emergency']))}</td>"
            f"<td>{e(_top(st['top_causes']))}</td><td>{e(_top(st['top_equipment']))}</td></tr>"
        )
    out.append("</table>")
    for g in doc["groups"]:
        st = g["stats"]
        span = f"{st['first_date']} to {st['last_date']}" if st["first_date"] else "undated"
        out.append(f"<h2>{e(g['label'])}</h2><p><em>{st['n_reports']} reports, {e(span)}.</em></p>")
        if g["sentences"]:
            parts = []
            for s in g["sentences"]:
                cites = " ".join(f'<a class="cite" href="#{_anchor(c)}">[{e(c)}]</a>' for c in s["citations"])
                cls = ' class="q"' if s["status"] == "extractive" else ""
                parts.append(f"<span{cls} title=\"{e(s['kind'])}: {e(s['status'])}\">{e(_sentence_text(s))}</span> {cites}")
            out.append("<p>" + " ".join(parts) + "</p>")
        else:
            out.append("<p>No key fact could be extracted from these reports.</p>")
        periods = ", ".join(f"{k}: {v}" for k, v in st["per_period"].items())
        out.append(
            f"<ul><li>Events per {e(doc['period'])}: {e(periods or '–')}</li>"
            f"<li>Scram reports: {e(_scram(st))}; emergency declarations: {e(_emergency(st['emergency']))}</li>"
            f"<li>Top cause concepts: {e(_top(st['top_causes'], 5))}; top equipment concepts: {e(_top(st['top_equipment'], 5))}</li></ul>"
        )
        out.append('<p>Sources:</p><ul class="src">')
        for f in _sources(g):
            title = e(f["title"])
            if f.get("url", "").startswith(("http://", "https://")):
                title = f'<a href="{e(f["url"])}">{title}</a>'
            out.append(f'<li id="{_anchor(f["report_id"])}">[{e(f["report_id"])}] {e(f["date"] or "undated")} — {title}</li>')
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(doc: dict, fmt: str, out_dir: Path, chart_groups: int) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if fmt in ("md", "html"):
        paths += write_charts(doc, out_dir / "charts", chart_groups)
        doc = {**doc, "charts": list(CHARTS)}
    else:
        doc = {**doc, "charts": []}
    if fmt == "md":
        p = out_dir / "report.md"
        p.write_text(markdown(doc), encoding="utf-8")
    elif fmt == "html":
        p = out_dir / "report.html"
        p.write_text(html_report(doc), encoding="utf-8")
    else:
        p = out_dir / "report.json"
        p.write_text(json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return [p] + paths
