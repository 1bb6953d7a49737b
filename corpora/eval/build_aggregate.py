#!/usr/bin/env python3
"""Aggregate and distribution questions with gold answers computed from the RAW source files.

Independent of the project on purpose: standard library only (plus rdflib to read the ontology's labels for
the distribution questions), reading corpora/nrc/events.jsonl.gz and
corpora/oe417/oe417_events_2002_2023H1.csv directly (never the project's SQL or code), applying the
counting rules docs/aggregates.md states:

- NRC: one report per event number (a re-published number: the later record, as `duplicates = "last"`);
  a record with an empty narrative is not a report. Its date is `event_date`; its plant is `facility`
  (compared case- and spacing-insensitively). A scram is a report with ANY `reactor_units[].scram_code`
  other than "N" or empty; automatic = a code starting with "A". State = the `state` field.
- OE-417: one report per CSV row. Its date is `date_event_began` (ISO, or m/d/yy, m/d/yyyy; else undated).
  Region: a whole token of `nerc_region` (split on / , ; ( ) and spaces). State: the state's name occurs in
  `area_affected` (case-insensitive). Severe weather: "WEATHER" in `event_type`. Customers affected: the
  cell read as a number ("1,200", "Approx. 300", "300+"), else not recorded.
- A corpus spans from its first to its last year holding >= 3 reports; a period outside it is unanswerable.

    python3 corpora/eval/build_aggregate.py            # writes corpora/eval/aggregate_{dev,test,distribution}.jsonl
    python3 corpora/eval/build_aggregate.py --check    # "identical" when the committed files are unchanged
    python3 corpora/eval/build_aggregate.py --nrc SUBSET.jsonl.gz --out-dir DIR   # gold for a small ingest
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import json
import re
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NRC = ROOT / "corpora" / "nrc" / "events.jsonl.gz"
OE = ROOT / "corpora" / "oe417" / "oe417_events_2002_2023H1.csv"
PREAMBLE = re.compile(r"(?s)^\s*EN Revision Imported Date:.*?EN Revision Text:\s*")


def key(name: str) -> str:
    return " ".join((name or "").casefold().split())


def load_nrc(path: Path = NRC) -> list[dict]:
    by_id: dict = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            by_id[r["event_number"]] = r  # the later record wins
    out = []
    for r in by_id.values():
        text = PREAMBLE.sub("", r.get("event_text") or "")
        if not text.strip():
            continue
        codes = [str(u.get("scram_code") or "").strip().upper() for u in (r.get("reactor_units") or []) if isinstance(u, dict)]
        out.append({
            "id": f"nrc:{r['event_number']}", "date": r.get("event_date") or None, "facility": r.get("facility") or "",
            "fkey": key(r.get("facility") or ""), "state": (r.get("state") or "").strip().upper(),
            "scram": any(c not in ("N", "") for c in codes), "auto": any(c.startswith("A") for c in codes),
            "emergency": (r.get("emergency_class") or "").strip().upper(), "text": text,
        })
    return out


def oe_date(v: str) -> str | None:
    v = (v or "").strip()
    for fmt, cut in (("%Y-%m-%d", 10), ("%m/%d/%Y", None), ("%m/%d/%y", None)):
        try:
            return datetime.strptime(v[:cut] if cut else v, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def number(v: str):
    t = (v or "").strip().lower()
    t = re.sub(r"^(approximately|approx\.?|about|estimated|est\.?|~)\s*", "", t).rstrip("+").strip().replace(",", "")
    try:
        f = float(t)
    except ValueError:
        return None
    return int(f) if f.is_integer() else f


def load_oe() -> list[dict]:
    out = []
    with open(OE, encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            region = (r["nerc_region"] or "").upper()
            for sep in "/,;()":
                region = region.replace(sep, " ")
            out.append({
                "row": i, "date": oe_date(r["date_event_began"]), "area": (r["area_affected"] or "").lower(),
                "regions": set(region.split()), "type": (r["event_type"] or "").strip().upper(),
                "customers": number(r["customers_affected"]),
                "text": " ".join(r[k] or "" for k in ("event_type", "area_affected", "alert_criteria", "restoration")),
            })
    return out


def span(rows: list[dict]) -> tuple[int, int]:
    years = collections.Counter(int(r["date"][:4]) for r in rows if r["date"])
    ok = [y for y, n in years.items() if n >= 3]
    return min(ok), max(ok)


def in_years(r: dict, a: int, b: int) -> bool:
    return bool(r["date"]) and a <= int(r["date"][:4]) <= b


class Links:
    """Independent concept mentions for the distribution questions: the ontology's English labels (rdflib reads
    the Turtle file; nothing of the project's linker is used), matched as whole words (plural "s" allowed) in the
    raw text, lower-cased. Category by rdfs:subClassOf under gr:Cause / gr:Equipment; gr:abstract classes and the
    roots are not counted. The project's linker matches more (abbreviations, Korean, fuzzy spellings), so a
    distribution answer is scored correct when its top concept is among these top three."""

    GR = "https://w3id.org/grounding/onto#"

    def __init__(self, files: list[Path]) -> None:
        from rdflib import Graph, Literal, URIRef
        from rdflib.namespace import RDFS, SKOS

        g = Graph()
        for f in files:
            g.parse(f)
        self.parents: dict[str, set[str]] = collections.defaultdict(set)
        for s_, o in g.subject_objects(RDFS.subClassOf):
            if isinstance(o, URIRef):
                self.parents[str(s_)].add(str(o))
        labels: dict[str, set[str]] = collections.defaultdict(set)
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for s_, o in g.subject_objects(p):
                if isinstance(o, Literal) and o.language in (None, "en") and len(str(o)) > 2:
                    labels[str(s_)].add(str(o).lower())
        abstract = {str(s_) for s_, o in g.subject_objects(URIRef(self.GR + "abstract")) if str(o).lower() in ("true", "1")}
        self.roots = {"cause": self.GR + "Cause", "equipment": self.GR + "Equipment"}
        self._seen: dict[str, set[str]] = {}
        self.labels = {c: sorted(ls)[0] for c, ls in labels.items()}
        self.rx = {
            c: re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(x) for x in sorted(ls, key=len, reverse=True)) + r")s?(?![a-z0-9])")
            for c, ls in labels.items() if c.startswith(self.GR) and c not in abstract and c not in self.roots.values()
        }

    def ancestors(self, c: str) -> set[str]:
        out, todo = set(), [c]
        while todo:
            for p in self.parents[todo.pop()]:
                if p not in out:
                    out.add(p)
                    todo.append(p)
        return out

    def category(self, c: str) -> str:
        line = self.ancestors(c) | {c}
        return next((k for k, r in self.roots.items() if r in line), "other")

    def mentions(self, text: str) -> set[str]:
        if text not in self._seen:
            t = text.lower()
            self._seen[text] = {c for c, x in self.rx.items() if x.search(t)}
        return self._seen[text]

    def top3(self, texts: list[str], category: str, exclude: set[str] = frozenset()) -> dict:
        c = collections.Counter()
        for t in texts:
            for k in self.mentions(t):
                if k not in exclude and self.category(k) == category:
                    c[k] += 1
        return {"top3": [k for k, _ in c.most_common(3)], "top3_counts": [n for _, n in c.most_common(3)], "base_reports": len(texts)}


class Builder:
    def __init__(self, nrc: Path = NRC) -> None:
        self.nrc, self.oe = load_nrc(nrc), load_oe()
        self.nrc_span, self.oe_span = span(self.nrc), span(self.oe)
        self.items: list[dict] = []

    def add(self, question: str, kind: str, answer, answer_type: str, lang: str = "en", answerable: bool = True, **extra) -> None:
        self.items.append({"question": question, "answer": answer, "answer_type": answer_type, "answerable": answerable,
                           "gold_reports": [], "kind": kind, "lang": lang, **extra})

    # --- NRC ---------------------------------------------------------------------------
    def scrams(self, a: int, b: int, fac: str = "", auto: bool = False, state: str = "") -> list[dict]:
        return [r for r in self.nrc if r["scram"] and in_years(r, a, b) and (not fac or r["fkey"] == key(fac))
                and (not auto or r["auto"]) and (not state or r["state"] == state)]

    def build(self) -> None:
        lo, hi = self.nrc_span
        for fac, y in [("Indian Point", 2000), ("Salem", 2004), ("Browns Ferry", 2007), ("Nine Mile Point", 2001), ("Palo Verde", 2005),
                       ("Millstone", 2008), ("Sequoyah", 2012), ("Vogtle", 2016), ("Turkey Point", 2010), ("Watts Bar", 2019),
                       ("Oconee", 1999), ("Diablo Canyon", 1999)]:
            n = len(self.scrams(y, y, fac))
            self.add(f"How many reactor scrams were reported at {fac} in {y}?", "nrc_scram_count", n, "count")
        for fac, y in [("Susquehanna", 2011), ("Grand Gulf", 2014), ("River Bend", 2006), ("Brunswick", 2003), ("Dresden", 2009)]:
            n = len(self.scrams(y, y, fac))
            self.add(f"{y}년 {fac}에서 보고된 원자로 스크램은 몇 건인가요?", "nrc_scram_count", n, "count", "ko")
        for fac, a, b in [("Salem", 2010, 2015), ("Palo Verde", 2000, 2009), ("Hatch", 2005, 2012), ("Limerick", 2015, 2020)]:
            n = len(self.scrams(a, b, fac, auto=True))
            self.add(f"How many automatic scrams did {fac} report between {a} and {b}?", "nrc_auto_scram_count", n, "count")
        for fac, y in [("Oconee", 2005), ("Fermi", 2012), ("Perry", 2018)]:
            n = sum(1 for r in self.nrc if r["fkey"] == key(fac) and in_years(r, y, y))
            self.add(f"How many event reports did {fac} submit in {y}?", "nrc_report_count", n, "count")
        for st, name, y in [("CA", "California", 2001), ("PA", "Pennsylvania", 2010), ("IL", "Illinois", 2015)]:
            n = len(self.scrams(y, y, state=st))
            self.add(f"How many reactor scrams were reported at plants in {name} in {y}?", "nrc_state_scram_count", n, "count")
        for y in (2004, 2013):
            n = sum(1 for r in self.nrc if r["emergency"] in ("UNUSUAL EVENT", "UNU") and in_years(r, y, y))
            self.add(f"How many Unusual Event declarations were made at nuclear plants in {y}?", "nrc_unusual_event_count", n, "count")
        for a, b, auto, ko in [(2010, 2015, True, False), (2000, 2004, False, False), (2016, 2020, True, True), (2005, 2009, False, True)]:
            top = self.rank(self.scrams(a, b, auto=auto))
            what = "automatic scrams" if auto else "reactor scrams"
            if ko:
                q = f"{a}년부터 {b}년까지 {'자동 스크램' if auto else '원자로 스크램'}을 가장 많이 보고한 원전은 어디인가요?"
            else:
                q = f"Which plant reported the most {what} between {a} and {b}?"
            self.add(q, "nrc_scram_rank", top, "rank", "ko" if ko else "en")
        for y in (2008, 2021):
            self.add(f"Which plant reported the most reactor scrams in {y}?", "nrc_scram_rank", self.rank(self.scrams(y, y)), "rank")
        for y, ko in [(2010, False), (2015, True)]:
            series = {str(x): len(self.scrams(x, x)) for x in range(y, hi + 1)}
            q = f"{y}년 이후 연도별 원자로 스크램 추이는 어떤가요?" if ko else f"How have reactor scrams trended since {y}?"
            self.add(q, "nrc_scram_trend", series, "series", "ko" if ko else "en")
        series = {str(x): len(self.scrams(x, x, "Browns Ferry")) for x in range(2005, 2013)}
        self.add("How did reactor scrams at Browns Ferry trend between 2005 and 2012?", "nrc_scram_trend", series, "series")
        for y, ko in [(2012, False), (2019, False), (2007, True)]:
            tot, part = len(self.scrams(y, y)), len(self.scrams(y, y, auto=True))
            q = f"{y}년 원자로 스크램 중 자동 스크램의 비율은 얼마인가요?" if ko else f"What share of reactor scrams in {y} were automatic?"
            self.add(q, "nrc_scram_share", {"part": part, "total": tot}, "share", "ko" if ko else "en")
        for f1, f2, y in [("Salem", "Hope Creek", 2004), ("Indian Point", "Millstone", 2000), ("Vogtle", "Hatch", 2013)]:
            self.add(f"Did {f1} or {f2} report more reactor scrams in {y}?", "nrc_scram_compare",
                     {f1: len(self.scrams(y, y, f1)), f2: len(self.scrams(y, y, f2))}, "compare")
        # --- OE-417 --------------------------------------------------------------------
        olo, ohi = self.oe_span
        for reg, y, ko in [("MRO", 2016, False), ("WECC", 2012, False), ("SERC", 2020, False), ("NPCC", 2011, True), ("TRE", 2021, True), ("RF", 2019, False)]:
            n = sum(1 for r in self.oe if reg in r["regions"] and in_years(r, y, y))
            q = f"{y}년 {reg} 지역의 OE-417 사건은 몇 건인가요?" if ko else f"How many disturbance events hit the {reg} region in {y}?"
            self.add(q, "oe_region_count", n, "count", "ko" if ko else "en")
        for st, y in [("Texas", 2011), ("California", 2020), ("Michigan", 2013), ("Florida", 2017)]:
            n = sum(1 for r in self.oe if st.lower() in r["area"] and in_years(r, y, y))
            self.add(f"How many OE-417 events were reported in {st} in {y}?", "oe_state_count", n, "count")
        for y in (2008, 2014, 2021):
            n = sum(1 for r in self.oe if "WEATHER" in r["type"] and in_years(r, y, y))
            self.add(f"How many severe weather events were reported to OE-417 in {y}?", "oe_weather_count", n, "count")
        for st, y in [("Texas", 2011), ("Virginia", 2012), ("Florida", 2005)]:
            rows = [r for r in self.oe if st.lower() in r["area"] and in_years(r, y, y)]
            total = sum(r["customers"] for r in rows if r["customers"] is not None)
            self.add(f"How many customers were affected by OE-417 events in {st} in {y}?", "oe_customers_sum", total, "count")
        for y, ko in [(2018, False), (2022, False), (2015, True)]:
            top = self.rank_raw([r for r in self.oe if in_years(r, y, y)], y)
            q = f"{y}년에 OE-417 사건을 가장 많이 보고한 NERC 지역은 어디인가요?" if ko else f"Which NERC region reported the most OE-417 events in {y}?"
            self.add(q, "oe_region_rank", top, "rank", "ko" if ko else "en")
        series = {str(x): sum(1 for r in self.oe if "VANDALISM" in r["type"] and in_years(r, x, x)) for x in range(2015, ohi + 1)}
        self.add("How have vandalism events on the grid trended since 2015?", "oe_vandalism_trend", series, "series")
        for y, ko in [(2016, False), (2011, False), (2020, True)]:
            rows = [r for r in self.oe if in_years(r, y, y)]
            part = sum(1 for r in rows if "WEATHER" in r["type"])
            q = f"{y}년 OE-417 사건 중 악천후 사건의 비율은 얼마인가요?" if ko else f"What share of OE-417 events in {y} were caused by severe weather?"
            self.add(q, "oe_weather_share", {"part": part, "total": len(rows)}, "share", "ko" if ko else "en")
        # --- distributions (gold: independent label matching, see Links) -------------------------
        links = Links([ROOT / "ontology" / "grounding.ttl"])
        scram_texts = [r["text"] for r in self.nrc if r["scram"]]
        auto_texts = [r["text"] for r in self.nrc if r["auto"]]
        loop = links.GR + "LossOfOffsitePower"
        loop_set = {loop} | {c for c in links.rx if loop in links.ancestors(c)}
        loop_rx = [links.rx[c] for c in loop_set if c in links.rx]
        loop_texts = [r["text"] for r in self.nrc if any(x.search(r["text"].lower()) for x in loop_rx)]
        for q, texts, cat, lang, exclude in [
            ("Which equipment is most often involved in reactor scrams?", scram_texts, "equipment", "en", set()),
            ("What usually causes reactor scrams?", scram_texts, "cause", "en", set()),
            ("Which equipment is most often involved in automatic scrams?", auto_texts, "equipment", "en", set()),
            ("원자로 스크램에서 어떤 설비가 가장 자주 관련되나요?", scram_texts, "equipment", "ko", set()),
            ("원자로 스크램의 주된 원인은 무엇인가요?", scram_texts, "cause", "ko", set()),
            ("What usually causes loss of offsite power?", loop_texts, "cause", "en", loop_set),
            ("Which equipment is most often involved in loss of offsite power events?", loop_texts, "equipment", "en", loop_set),
        ]:
            self.add(q, "distribution", {"category": cat, **links.top3(texts, cat, exclude)}, "distribution", lang)
        # --- unanswerable --------------------------------------------------------------
        for q, why in [
            ("How many reactor scrams were reported at Fukushima Daiichi in 2011?", "plant not in corpus"),
            ("How many reactor scrams did Hinkley Point report in 2015?", "plant not in corpus"),
            ("2012년 Kori에서 보고된 원자로 스크램은 몇 건인가요?", "plant not in corpus"),
            ("How many OE-417 events were reported at Chernobyl in 2010?", "place not in corpus"),
            (f"How many reactor scrams were reported at Oconee in {lo - 4}?", "year outside corpus"),
            (f"How many disturbance events hit the WECC region in {olo - 3}?", "year outside corpus"),
            (f"How many OE-417 events were reported in Texas in {ohi + 4}?", "year outside corpus"),
            (f"{lo - 6}년 Salem에서 보고된 원자로 스크램은 몇 건인가요?", "year outside corpus"),
            ("How many customers were restored after OE-417 events in Texas in 2011?", "no field records it"),
            ("How many fatalities were caused by OE-417 events in 2012?", "no field records it"),
            ("How many workers were injured at Oconee in 2005?", "no field records it"),
            ("2011년 Texas에서 복구된 고객 수는 몇 명인가요?", "no field records it"),
        ]:
            self.add(q, "unanswerable", None, "count", "ko" if re.search("[가-힣]", q) else "en", answerable=False, why=why)

    def rank(self, rows: list[dict]) -> dict:
        c = collections.Counter(r["fkey"] for r in rows if r["fkey"])
        if not c:
            return {"top": [], "value": 0}
        best = max(c.values())
        return {"top": sorted(k for k, v in c.items() if v == best), "value": best}

    def rank_raw(self, rows: list[dict], y: int) -> dict:
        # Grouped on the raw nerc_region cell (upper-cased, trimmed), as the question groups regions.
        c = collections.Counter()
        with open(OE, encoding="utf-8", newline="") as fh:
            raw = [r["nerc_region"] for r in csv.DictReader(fh)]
        for r in rows:
            g = (raw[r["row"]] or "").strip().upper()
            if g:
                c[g] += 1
        best = max(c.values())
        return {"top": sorted(k for k, v in c.items() if v == best), "value": best}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--nrc", type=Path, default=NRC, help="another NRC file (e.g. a subset, to cross-check a small ingest)")
    ap.add_argument("--out-dir", type=Path, default=HERE)
    args = ap.parse_args()
    b = Builder(args.nrc)
    b.build()
    # Exact-count questions (and the unanswerable ones) in aggregate_{dev,test}.jsonl; the distribution questions,
    # whose gold is only an approximation of the links (see Links), in aggregate_distribution.jsonl.
    files: dict[str, list[dict]] = {"dev": [], "test": [], "distribution": []}
    for i, item in enumerate(b.items):
        split = "dev" if i % 2 == 0 else "test"
        files["distribution" if item["kind"] == "distribution" else split].append({"id": f"agg{i + 1:03d}", **item, "split": split})
    changed = False
    for split, items in files.items():
        path = args.out_dir / f"aggregate_{split}.jsonl"
        text = "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in items)
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            changed |= not same
        else:
            path.write_text(text, encoding="utf-8")
    if args.check:
        print("identical" if not changed else "changed")
        return 1 if changed else 0
    n = len(b.items)
    print(f"{n} questions ({sum(1 for x in b.items if x['answerable'])} answerable, {sum(1 for x in b.items if x['lang'] == 'ko')} Korean): "
          f"{len(files['dev'])} dev, {len(files['test'])} test, {len(files['distribution'])} distribution; NRC span {b.nrc_span}, OE-417 span {b.oe_span}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
