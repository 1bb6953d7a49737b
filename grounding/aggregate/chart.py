"""The chart of a trend answer: a PNG bar chart (matplotlib, headless), written by the CLI and inlined by the page."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path


def trend_png(aggregate: dict, title: str = "") -> bytes | None:
    """PNG bytes of the answer's per-year series, or None when the answer has no series."""
    series = (aggregate or {}).get("result", {}).get("series")
    if not series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = list(series)
    values = [series[y] for y in years]
    fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=100)
    ax.bar(years, values, color="#3b6ea8")
    ax.set_ylabel(aggregate.get("query", {}).get("measure", "count"))
    ax.set_title((title or aggregate.get("readable", ""))[:110], fontsize=8)
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    for x, v in zip(years, values):
        ax.annotate(f"{v:g}", (x, v), ha="center", va="bottom", fontsize=6)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def attach_chart(payload: dict) -> dict:
    """Add `aggregate.chart_png` (a data: URI) to an answer's JSON when it is a trend (for the web page)."""
    agg = payload.get("aggregate")
    if agg and agg.get("kind") == "trend" and not payload.get("abstained"):
        png = trend_png(agg, payload.get("question", ""))
        if png:
            agg["chart_png"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return payload


def write_chart(payload: dict, folder: Path, name: str = "") -> Path | None:
    """Write a trend answer's chart into `folder` and record the path in `aggregate.chart_file`."""
    agg = payload.get("aggregate")
    if not agg or agg.get("kind") != "trend" or payload.get("abstained"):
        return None
    png = trend_png(agg, payload.get("question", ""))
    if png is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stem = name or re.sub(r"[^0-9A-Za-z]+", "-", payload.get("question", "trend")).strip("-")[:60] or "trend"
    path = folder / f"{stem}.png"
    path.write_bytes(png)
    agg["chart_file"] = str(path)
    return path
