"""The evidence of an aggregate answer as terminal text (`grounding ask`)."""

from __future__ import annotations


def text_lines(agg: dict) -> list[str]:
    out = [f"route: {agg.get('route')} ({agg.get('kind', '')})"]
    if agg.get("readable"):
        out.append(f"query: {agg['readable']}")
    if agg.get("unmapped"):
        out.append(f"not mapped: {agg['unmapped']}")
    res = agg.get("result") or {}
    for row in res.get("rows", [])[:10]:
        name = row.get("group", row.get("label", ""))
        out.append(f"  {name}: {row.get('value', row.get('reports'))}")
    if res.get("series"):
        out.append("  " + ", ".join(f"{k}: {v}" for k, v in res["series"].items()))
    for sql in agg.get("sql", []):
        out.append("sql: " + " ".join(sql.split()))
    for params in agg.get("params", []):
        out.append(f"params: {params}")
    ids = agg.get("report_ids") or []
    if ids:
        more = f" ... ({len(ids)} in all; --json lists every one)" if len(ids) > 10 else ""
        out.append("counted reports: " + ", ".join(ids[:10]) + more)
    if agg.get("chart_file"):
        out.append(f"chart: {agg['chart_file']}")
    return out
