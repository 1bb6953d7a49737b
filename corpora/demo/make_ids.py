"""Writes corpora/demo/ids.txt: the reports `make demo` ingests (a profile of the bundled corpora).

Which reports: every report that answers a question of the bundled eval set (dev and test), the
README's example reports, and a seeded random sample of the rest of each corpus, in proportion to
its size, up to --size reports. The same ids as a full ingest gives them (the project's reader
makes them), so `grounding ingest` afterwards adds the rest and redoes nothing.

    .venv/bin/python corpora/demo/make_ids.py            # writes corpora/demo/ids.txt
    .venv/bin/python corpora/demo/make_ids.py --check    # "identical" if the committed file is current
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_REPORTS = ["nrc:44009", "nrc:35209"]  # the README's questions: Turkey Point 2008-02-26, Oconee Unit 3 1998-12-31
SEED = 20261202


def all_ids() -> dict[str, list[str]]:
    from grounding.config import load_config
    from grounding.ingest.pipeline import corpus_path, read_drafts
    from grounding.ingest.records import ReportDraft

    cfg = load_config(ROOT / "config.toml")
    out: dict[str, list[str]] = {}
    for c in cfg.corpus:
        ids = [d.id for d in read_drafts(c, corpus_path(cfg, c), cfg.chunking.max_report_chars) if isinstance(d, ReportDraft)]
        out[c.name] = list(dict.fromkeys(ids))  # a repeated id (duplicates = "last") once
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=800)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    gold: list[str] = []
    for split in ("dev", "test"):
        for line in (ROOT / "corpora" / "eval" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            gold += json.loads(line).get("gold_reports") or []
    by_corpus = all_ids()
    known = {i for ids in by_corpus.values() for i in ids}
    chosen = list(dict.fromkeys(i for i in README_REPORTS + gold if i in known))
    rng = random.Random(SEED)
    total = sum(len(v) for v in by_corpus.values())
    room = max(0, args.size - len(chosen))
    for name, ids in sorted(by_corpus.items()):
        rest = sorted(set(ids) - set(chosen))
        chosen += sorted(rng.sample(rest, min(len(rest), round(room * len(ids) / total))))
    body = (
        "# The demo profile: `grounding ingest --only corpora/demo/ids.txt` (see corpora/demo/README.md).\n"
        f"# {len(chosen)} reports; made by corpora/demo/make_ids.py --size {args.size} (seed {SEED}).\n"
        + "".join(f"{i}\n" for i in chosen)
    )
    target = ROOT / "corpora" / "demo" / "ids.txt"
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == body
        print("identical" if same else "differs")
        return 0 if same else 1
    target.write_text(body, encoding="utf-8")
    print(f"{target}: {len(chosen)} reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
