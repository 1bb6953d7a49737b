#!/usr/bin/env python3
"""Ontology coverage of the report corpora (standalone: rdflib, lemminflect + stdlib).

Loads ontology/grounding.ttl, collects the English labels (rdfs:label, skos:prefLabel, skos:altLabel,
skos:hiddenLabel) of every concept, normalises them (lower case, apostrophes dropped, hyphens and slashes to
spaces, plurals reduced to the singular by lemminflect's noun lemmas, as the linker does) and scans report texts with whole-word matching.

Prints, overall and per corpus, the share of reports linked to at least one *specific* concept — concepts
annotated ``gr:abstract true`` (upper-level concepts with generic labels such as "event" or "equipment") and
labels in a small generic-word stop list never count — plus the top concepts by report count and the most
frequent candidate terms (upper-case abbreviations, bigrams around equipment head words) that link to nothing.

Inputs
  NRC event notifications: JSON lines (``event_text``), plain or gzip, a file or a folder of such files.
  DOE OE-417 events: CSV; text = event_type + alert_criteria + area_affected.

Usage
  python benchmarks/ontology_coverage.py [--ontology ontology/grounding.ttl] [--nrc PATH] [--oe417 PATH]
         [--top 40] [--show-unlinked N] [--json out.json]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import rdflib
from lemminflect import getAllLemmas, getAllLemmasOOV
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

GR = "https://w3id.org/grounding/onto#"
ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared/data")
DEFAULT_NRC = [
    ROOT / "corpora/nrc/events.jsonl.gz",
    ROOT / "corpora/nrc/nrc_event_notifications_power_reactor_1999_2026.jsonl.gz",
    SHARED / "nrc-event-notifications/nrc_event_notifications_power_reactor_1999_2026.jsonl.gz",
]
DEFAULT_OE417 = [
    ROOT / "corpora/oe417/oe417_events_2002_2023H1.csv",
    SHARED / "doe-oe417-electric-disturbance-events/oe417_events_2002_2023H1.csv",
]

# Labels that must never count as a domain-specific link, even if some concept carried them.
GENERIC = {
    "event", "events", "report", "reports", "plant", "plants", "unit", "units", "system", "systems", "nrc",
    "operator", "operators", "notified", "notification", "licensee", "resident inspector", "inspector",
    "equipment", "component", "station", "facility", "area", "condition", "time", "power", "information",
    "update", "state", "county", "hour", "issue", "problem", "action", "cause", "loss", "failure", "failed",
}

# Head words for candidate bigrams that no label covers.
HEADS = {
    "pump", "valve", "transformer", "breaker", "generator", "system", "motor", "bus", "line", "turbine",
    "tank", "relay", "switch", "fan", "damper", "monitor", "panel", "heater", "cooler", "filter", "compressor",
    "controller", "inverter", "battery", "charger", "cable", "signal", "trip", "failure", "fault", "leak",
    "storm", "fire", "outage", "attack", "detector", "sensor", "transmitter", "actuator", "loop", "train",
}
STOP = set(
    "a an the of to and in on at for was were is be by with from this that as or has have been which it its are not "
    "no due per all any both each one two three four five six seven eight nine ten other same new following these "
    "those their there then than when while during after before into under over about also will would could should "
    "may might can did does do being made its his her they he she we our ea b c d i ii iii iv v vi st nd rd th".split()
)
TOKEN = re.compile(r"[a-z0-9]+")


# Tokenisation and normalisation mirror grounding/ontology/linker.py (kept standalone on purpose):
# tokens keep "4.16", "S/G", "nor'easter" together; hyphens and other slashes split; every token is
# lower-cased, apostrophes dropped and a plural reduced by lemminflect (the linker's library and rule).
_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:[./'][0-9A-Za-z]+)*|[\uAC00-\uD7A3]+")


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    t = w.lower().replace("'", "")
    if len(t) <= 3 or not t.isalpha():
        return t
    lemmas = getAllLemmas(t, upos="NOUN").get("NOUN")
    if not lemmas and t.endswith("s") and not t.endswith(("ss", "us", "is")):
        lemmas = getAllLemmasOOV(t, upos="NOUN").get("NOUN")
    return lemmas[0] if lemmas else t


GENERIC_KEYS = {" ".join(stem(w) for w in g.split()) for g in GENERIC}
HEAD_STEMS = {stem(h) for h in HEADS}
STOP_STEMS = {stem(w) for w in STOP} | STOP


def raw_tokens(text: str) -> list[str]:
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        if "/" in raw and not (len(raw) <= 4 and raw.replace("/", "").isupper()):
            out += [p for p in raw.split("/") if p]
        else:
            out.append(raw)
    return out


def tokens(text: str) -> list[str]:
    """Normalised tokens (used for labels and texts alike)."""
    return [stem(t) for t in raw_tokens(text)]


def is_abbrev(label: str) -> bool:
    """Short all-caps altLabels (EDG, LOOP, S/G) match case-sensitively, as whole raw tokens."""
    core = label.replace("/", "").replace("-", "").replace(".", "")
    return 1 < len(core) <= 6 and core.isupper()


def label_key(label: str) -> tuple[str, ...]:
    return tuple(tokens(label))


def short(iri) -> str:
    return str(iri).split("#", 1)[-1]


def load_ontology(paths: list[Path], hidden: bool = False):
    g = rdflib.Graph()
    for p in paths:
        g.parse(str(p))
    concepts = {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef) and str(s).startswith(GR)}
    abstract = {s for s in concepts if any(bool(o.toPython()) for o in g.objects(s, URIRef(GR + "abstract")))}
    pref = {}
    for c in concepts:
        for o in g.objects(c, RDFS.label):
            if isinstance(o, Literal) and o.language in (None, "en"):
                pref[c] = str(o)
    parents = defaultdict(set)
    for s, o in g.subject_objects(RDFS.subClassOf):
        if s in concepts and o in concepts:
            parents[s].add(o)

    def ancestors(c):
        seen, todo = set(), [c]
        while todo:
            for p in parents[todo.pop()]:
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    index: dict[tuple[str, ...], set] = defaultdict(set)
    abbrevs: dict[str, set] = defaultdict(set)
    skipped_generic = []
    props = (RDFS.label, SKOS.prefLabel, SKOS.altLabel) + ((SKOS.hiddenLabel,) if hidden else ())
    for c in concepts:
        for prop in props:
            for o in g.objects(c, prop):
                if not isinstance(o, Literal) or o.language not in (None, "en"):
                    continue
                if prop == SKOS.altLabel and is_abbrev(str(o)):
                    abbrevs[str(o).replace(".", "")].add(c)
                    continue
                key = label_key(str(o))
                if not key:
                    continue
                if " ".join(key) in GENERIC_KEYS or str(o).lower() in GENERIC:
                    skipped_generic.append((short(c), str(o)))
                    continue
                index[key].add(c)
    return g, concepts, abstract, pref, ancestors, index, abbrevs, skipped_generic


class Matcher:
    """Longest exact match of normalised label token sequences first, then case-sensitive abbreviations;
    matches do not overlap (the same policy as grounding/ontology/linker.py). Abstract concepts are
    matched (so they can take a span) but reported separately."""

    def __init__(self, index, abbrevs):
        self.index = index
        self.abbrevs = abbrevs
        self.max_len = max((len(k) for k in index), default=1)

    def match(self, text: str):
        """Return ({concept: count}, covered token positions, raw tokens, normalised tokens)."""
        raw = raw_tokens(text)
        norm = [stem(t) for t in raw]
        found: Counter = Counter()
        covered = set()
        i, n = 0, len(raw)
        while i < n:
            hit = None
            for m in range(min(self.max_len, n - i), 0, -1):
                cs = self.index.get(tuple(norm[i:i + m]))
                if cs:
                    hit = (m, cs)
                    break
            if hit is None and raw[i].upper() == raw[i] and raw[i].replace("/", "").isalnum():
                cs = self.abbrevs.get(raw[i])
                if cs:
                    hit = (1, cs)
            if hit is None:
                i += 1
                continue
            m, cs = hit
            found.update(cs)
            covered.update(range(i, i + m))
            i += m
        return found, covered, raw, norm


def first_existing(cands):
    for c in cands:
        if c.exists():
            return c
    return None


def read_nrc(path: Path):
    files = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz"))) if path.is_dir() else [path]
    for f in files:
        opener = gzip.open if f.name.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    r = json.loads(line)
                    yield str(r.get("event_number", "")), r.get("event_text") or ""


def read_oe417(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            text = " ; ".join(x for x in (r.get("event_type", ""), r.get("alert_criteria", ""),
                                          r.get("area_affected", "")) if x)
            yield f"oe417-{i}", text


ABBR = re.compile(r"\b([A-Z][A-Z0-9&]{1,6})s?\b")
# Abbreviations that are not about equipment or events: time zones, NRC/DHS/FEMA offices and duty officers.
IGNORE_ABBR = {
    "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AST", "ADT", "UTC", "GMT", "HST", "AKST", "AKDT",
    "NRC", "NRR", "DHS", "FEMA", "SWO", "NICC", "NWC", "HOO", "IRD", "EO", "R1DO", "R2DO", "R3DO", "R4DO",
    "NSIR", "NMSS", "OIP", "PAO", "EDO", "SSA", "USDA", "HHS", "DOE", "FBI", "CFR", "LLC", "INC", "II", "III",
    "IV", "VI", "US", "USA", "NY", "NJ", "PA", "TX", "CA", "FL", "MI", "OH", "IL", "AM", "PM",
}


def mostly_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.5


def candidates(text: str, toks: list[str], covered: set, label_words: set, vocab: set):
    """Unlinked candidate terms of one report: abbreviations and head-word bigrams."""
    out = set()
    # upper-case abbreviations, only from mixed-case text (old all-caps reports would flood it)
    if not mostly_upper(text):
        # drop update headers ("* * * UPDATE FROM J. SMITH TO ... * * *") and notification lines (staff names)
        plain = re.sub(r"\*\s*\*\s*\*.*?\*\s*\*\s*\*", " ", text, flags=re.S)
        plain = re.sub(r"(?im)^.*\b(notified|R[1-4]DO|IRD|NRR|FSME|NMSS|NSIR)\b.*$", " ", plain)
        for m in ABBR.finditer(plain):
            a = m.group(1)
            if (len(a) >= 2 and not a.isdigit() and a not in IGNORE_ABBR and a.lower() not in label_words
                    and a.lower() not in vocab):
                out.add(("abbr", a))
    for i in range(len(toks) - 1):
        if i in covered or i + 1 in covered:
            continue
        a, b = toks[i], toks[i + 1]
        if a in STOP_STEMS or b in STOP_STEMS or a.isdigit() or len(a) < 3:
            continue
        if b in HEAD_STEMS or a in HEAD_STEMS:
            out.add(("bigram", f"{a} {b}"))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ontology", nargs="+", type=Path, default=[ROOT / "ontology/grounding.ttl"])
    ap.add_argument("--nrc", type=Path, default=None)
    ap.add_argument("--oe417", type=Path, default=None)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--show-unlinked", type=int, default=0, metavar="N",
                    help="print N random unlinked reports per corpus")
    ap.add_argument("--exclude-branch", nargs="*", default=["OperatingState", "RegulatoryConcept"],
                    help="top classes whose sub-concepts are left out of the 'strict' figure")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    ap.add_argument("--hidden", action="store_true", help="also match skos:hiddenLabel (misspellings)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    nrc = args.nrc or first_existing(DEFAULT_NRC)
    oe = args.oe417 or first_existing(DEFAULT_OE417)
    if nrc is None or oe is None:
        sys.exit("corpus not found: pass --nrc and --oe417")

    g, concepts, abstract, pref, ancestors, index, abbrevs, skipped = load_ontology(args.ontology, args.hidden)
    matcher = Matcher(index, abbrevs)
    label_words = {w for key in index for w in key} | {a.lower() for a in abbrevs}
    excl_roots = {URIRef(GR + b) for b in args.exclude_branch}
    strict_ok = {c for c in concepts if not (ancestors(c) | {c}) & excl_roots}

    print(f"ontology: {', '.join(str(p) for p in args.ontology)}")
    print(f"concepts: {len(concepts)} ({len(abstract)} abstract, not counted); "
          f"distinct normalised labels: {len(index)}, case-sensitive abbreviations: {len(abbrevs)}"
          f"{' (hiddenLabels included)' if args.hidden else ''}")
    if skipped:
        print(f"generic labels ignored: {sorted(set(skipped))}")
    print()

    results = {}
    concept_docs: dict[str, Counter] = defaultdict(Counter)
    cand_docs: dict[str, Counter] = defaultdict(Counter)
    rng = random.Random(args.seed)
    corpora = {"nrc": list(read_nrc(nrc)), "oe417": list(read_oe417(oe))}
    # ordinary lower-case words of the mixed-case texts: an upper-case title word ("VALVES") is not an abbreviation
    wc = Counter()
    for docs in corpora.values():
        for _, text in docs:
            if not mostly_upper(text):
                wc.update(set(re.findall(r"\b[a-z]+\b", text)))
    vocab = {w for w, k in wc.items() if k >= 3}
    for corpus, reader in corpora.items():
        n = linked = strict = 0
        nconcepts = 0
        unlinked = []
        for rid, text in reader:
            n += 1
            found, covered, raw, toks = matcher.match(text)
            found = Counter({c: k for c, k in found.items() if c not in abstract})
            if found:
                linked += 1
                nconcepts += len(found)
                for c in found:
                    concept_docs[corpus][c] += 1
                if any(c in strict_ok for c in found):
                    strict += 1
            else:
                unlinked.append((rid, text))
            for cand in candidates(text, toks, covered, label_words, vocab):
                cand_docs[corpus][cand] += 1
        results[corpus] = {
            "reports": n, "linked": linked, "share": linked / n if n else 0.0,
            "strict_linked": strict, "strict_share": strict / n if n else 0.0,
            "mean_concepts_per_linked_report": nconcepts / linked if linked else 0.0,
            "unlinked_sample": [r for r, _ in unlinked[:20]],
        }
        print(f"[{corpus}] {n} reports ({nrc if corpus == 'nrc' else oe})")
        print(f"  linked to >=1 specific concept: {linked}/{n} = {100 * linked / n:.1f}%  "
              f"(mean {results[corpus]['mean_concepts_per_linked_report']:.1f} concepts per linked report)")
        print(f"  strict (without {'/'.join(args.exclude_branch)} concepts): {strict}/{n} = {100 * strict / n:.1f}%")
        if args.show_unlinked and unlinked:
            for rid, text in rng.sample(unlinked, min(args.show_unlinked, len(unlinked))):
                print(f"    - unlinked {rid}: {' '.join(text.split())[:300]}")
        print()

    tot_n = sum(r["reports"] for r in results.values())
    tot_l = sum(r["linked"] for r in results.values())
    tot_s = sum(r["strict_linked"] for r in results.values())
    print(f"[overall] linked {tot_l}/{tot_n} = {100 * tot_l / tot_n:.1f}%   strict {tot_s}/{tot_n} = {100 * tot_s / tot_n:.1f}%")
    print()

    total = Counter()
    for cnt in concept_docs.values():
        total.update(cnt)
    print(f"top {args.top} concepts by report count (nrc / oe417):")
    for c, k in total.most_common(args.top):
        print(f"  {k:6d}  {concept_docs['nrc'][c]:6d} / {concept_docs['oe417'][c]:5d}  gr:{short(c)}  \"{pref.get(c, '')}\"")
    print()

    cands = Counter()
    for cnt in cand_docs.values():
        cands.update(cnt)
    print(f"top {args.top} candidate terms that link to nothing (report count, nrc / oe417):")
    for (kind, term), k in cands.most_common(args.top):
        print(f"  {k:6d}  {cand_docs['nrc'][(kind, term)]:6d} / {cand_docs['oe417'][(kind, term)]:5d}  {kind:6s} {term}")

    if args.json:
        out = {
            "corpora": results,
            "overall": {"reports": tot_n, "linked": tot_l, "share": tot_l / tot_n,
                        "strict_linked": tot_s, "strict_share": tot_s / tot_n},
            "top_concepts": [{"concept": short(c), "label": pref.get(c, ""), "reports": k}
                             for c, k in total.most_common(args.top)],
            "unlinked_candidates": [{"kind": kd, "term": t, "reports": k}
                                    for (kd, t), k in cands.most_common(args.top)],
        }
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
