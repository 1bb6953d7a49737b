"""Compare two `grounding eval` outputs question by question (a refactor's before/after check).

    python corpora/eval/compare_runs.py OLD_DIR NEW_DIR [--tol 0.005]

Reads each folder's results.jsonl (and metrics.json) and prints: the metrics side by side, how many
questions have the same decision, answer text, cited reports and confidence (within --tol), and for
every question that differs, what differs and the signals that moved most. Exit 0 always: the
differences are for a person to explain, not for a script to judge.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _load(folder: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


def _metrics(folder: Path) -> dict:
    path = folder / "metrics.json"
    if not path.exists():
        return {}
    m = json.loads(path.read_text())
    return m.get("pipeline", m)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--tol", type=float, default=0.005, help="confidence difference counted as equal")
    args = ap.parse_args()
    old, new = _load(args.old), _load(args.new)
    mo, mn = _metrics(args.old), _metrics(args.new)
    keys = [k for k in mo if isinstance(mo.get(k), (int, float)) and isinstance(mn.get(k), (int, float))]
    if keys:
        print("| metric | before | after |\n|---|---|---|")
        for k in keys:
            print(f"| {k} | {mo[k]:.3f} | {mn[k]:.3f} |")
        print()
    common = sorted(set(old) & set(new))
    only = sorted(set(old) ^ set(new))
    same = {"decision": 0, "answer": 0, "citations": 0, "confidence": 0, "all": 0}
    diffs: list[str] = []
    for qid in common:
        a, b = old[qid], new[qid]
        what = []
        if a["answered"] != b["answered"]:
            what.append(f"decision {a['answered']}->{b['answered']}")
        else:
            same["decision"] += 1
        if (a.get("answer") or "") != (b.get("answer") or ""):
            what.append("answer text")
        else:
            same["answer"] += 1
        if sorted(a.get("cited_reports") or []) != sorted(b.get("cited_reports") or []):
            what.append(f"citations {a.get('cited_reports')}->{b.get('cited_reports')}")
        else:
            same["citations"] += 1
        dc = b["confidence"] - a["confidence"]
        if abs(dc) > args.tol:
            what.append(f"confidence {a['confidence']:.3f}->{b['confidence']:.3f}")
        else:
            same["confidence"] += 1
        if not what:
            same["all"] += 1
            continue
        sa, sb = a.get("signals") or {}, b.get("signals") or {}
        moved = sorted(((k, sa.get(k), sb.get(k)) for k in set(sa) | set(sb) if sa.get(k) != sb.get(k)),
                       key=lambda t: -abs((t[2] or 0) - (t[1] or 0)))[:4]
        sig = ", ".join(f"{k} {v0}->{v1}" for k, v0, v1 in moved)
        diffs.append(f"- {qid}: {'; '.join(what)}" + (f" [signals: {sig}]" if sig else "") + f"\n    Q: {a['question']}")
    n = len(common)
    print(f"questions compared: {n}" + (f" (only in one run: {', '.join(only)})" if only else ""))
    for k, v in same.items():
        print(f"  same {k}: {v}/{n}")
    if diffs:
        print("\ndifferences:")
        print("\n".join(diffs))


if __name__ == "__main__":
    main()
