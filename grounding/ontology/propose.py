"""Mine candidate concepts and synonyms from report texts: what the reports say often that the
ontology does not link.

Four kinds of evidence, counted per report (not per mention):

* definition: "reactor core isolation cooling (RCIC)": an abbreviation defined in the text.
  If the long form links to a concept and the abbreviation links to nothing, it is a synonym
  candidate for that concept; if neither links, a concept candidate (label + abbreviation);
* abbreviation: an unlinked all-caps token (2-7 characters) in mixed-case prose (ALL-CAPS lines
  are skipped there: every word is upper case);
* modifier: unlinked lower-case words right before a linked concept ("jockey pump" before
  pump): a candidate sub-concept, with the linked concept as suggested parent;
* phrase: runs of 2-3 unlinked lower-case content words ("hydrogen water chemistry").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from grounding.ontology.linker import Linker, _norm, abbrev_core
from grounding.store.review import Candidate
from grounding.text import STOPWORDS as TEXT_STOPWORDS
from grounding.text import common_words
from grounding.text.stopwords import read_words

_ABBR = re.compile(r"^[A-Z][A-Z0-9&/-]{1,6}$")
_DEF = re.compile(r"((?:[A-Za-z][\w'-]*[ \t]+){0,7}[A-Za-z][\w'-]*)[ \t]*\(([A-Z][A-Za-z0-9&/-]{1,7})\)")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# The shared stopword list plus the words of notification prose that are never a candidate concept
# (grounding/data/stopwords_mining.txt).
STOPWORDS = TEXT_STOPWORDS | read_words("stopwords_mining.txt")
STOP_ABBR = frozenset(
    """EST EDT CST CDT MST MDT PST PDT CT ET PT AM PM US USA NRC HQ HOO HOOs NA N/A II III IV VI VII VIII IX XI XII OK
    CFR NY NJ PA CA TX FL AL GA SC NC VA MD MA CT NH VT ME OH MI IL IN WI MN IA MO KS NE AR LA MS TN KY WV AZ NM CO UT NV
    OR WA ID MT WY ND SD OK DC PR EN HOO R1DO R2DO R3DO R4DO NRR IRD EO FEMA DHS DOE EPA FBI NSIR NMSS PAO ILTAB OGC
    TAS DHS NICC""".split()
)


def _modifier(word: str) -> bool:
    """A plausible noun/adjective modifier (not a participle, gerund or adverb: "scheduled",
    "affecting", "fully")."""
    w = word.lower()
    return len(w) >= 3 and w not in STOPWORDS and not w.endswith(("ed", "ing", "ly"))


def _context(text: str, start: int, end: int, width: int = 70) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("..." if a else "") + " ".join(text[a:b].split()) + ("..." if b < len(text) else "")


def _initials_match(long: list[str], abbr: str) -> list[str] | None:
    """The shortest tail of `long` whose word initials spell the abbreviation's letters."""
    letters = [c.lower() for c in abbr if c.isalpha()]
    if len(letters) < 2:
        return None
    for k in range(len(letters), min(len(long), len(letters) + 3) + 1):
        tail = long[-k:]
        initials = [w[0].lower() for w in tail if w and w.lower() not in ("of", "and", "the", "&", "to", "for", "in", "a", "an", "or")]
        joined = "".join(initials)
        if joined == "".join(letters) or (len(tail) == len(letters) and tail[0][:1].lower() == letters[0] and joined.startswith("".join(letters)[:2])):
            if tail[0].lower() not in STOPWORDS:
                return tail
    return None


def _shouting_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        if line == line.upper() and sum(c.isalpha() for c in line) >= 12:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def mine_candidates(
    reports: Iterable[tuple[str, str]],
    linker: Linker,
    min_reports: int = 5,
    max_candidates: int = 300,
    skip: set[tuple[str, str, str]] | None = None,
) -> list[Candidate]:
    """Candidates seen in at least `min_reports` reports, most frequent first."""
    skip = skip or set()
    seen_reports: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    mentions: Counter = Counter()
    surface: dict[tuple, Counter] = defaultdict(Counter)
    context: dict[tuple, str] = {}
    abbr_of: dict[tuple, Counter] = defaultdict(Counter)
    evidence: dict[tuple, str] = {}

    def add(key: tuple, rid: str, surf: str, ctx: str, how: str, abbr: str = "") -> None:
        seen_reports[key].add(rid)
        mentions[key] += 1
        surface[key][surf] += 1
        if key not in context:
            context[key] = ctx
        if abbr:
            abbr_of[key][abbr] += 1
        if how == "definition" or key not in evidence:
            evidence[key] = how

    known_abbrev = set(linker._abbrev)
    for rid, text in reports:
        if not text:
            continue
        ms = linker.link(text)
        spans = sorted((m.start, m.end, m.concept) for m in ms)
        covered = [(s, e) for s, e, _ in spans]
        starts = {s: c for s, _, c in spans}
        mask = bytearray(len(text) + 2)
        for s0, e0 in covered:
            mask[s0:e0] = b"\x01" * (e0 - s0)
        shout = bytearray(len(text) + 2)
        for a, b in _shouting_lines(text):
            shout[a : b + 1] = b"\x01" * (b + 1 - a)

        def is_covered(a: int, b: int) -> bool:
            return 1 in mask[a:b]

        def in_shout(p: int) -> bool:
            return shout[p] == 1

        # definitions: "long form (ABBR)"
        defined: set[str] = set()
        for m in _DEF.finditer(text):
            abbr = m.group(2)
            core = abbrev_core(abbr)
            if core is None or core in known_abbrev or abbr in STOP_ABBR or _ROMAN.match(abbr):
                continue
            words = m.group(1).split()
            tail = _initials_match(words, core)
            if not tail:
                continue
            long_text = " ".join(tail)
            lstart = m.start(1) + m.group(1).rfind(tail[0]) if len(tail) < len(words) else m.start(1)
            lend = m.end(1)
            # a synonym when one mention spans exactly the long form; else a new concept, whose
            # suggested parent is a concept the long form ends with ("Cook Nuclear Plant")
            concept = next((c for s0, e0, c in spans if s0 == lstart and e0 == lend), None)
            defined.add(core)
            ctx = _context(text, m.start(), m.end())
            if concept:
                add(("synonym", core, concept), rid, core, ctx, "definition")
            else:
                parent = next((c for s0, e0, c in spans if e0 == lend and s0 > lstart), "")
                key = ("concept", " ".join(_norm(w) for w in tail), parent)
                add(key, rid, long_text if not in_shout(lstart) else long_text.lower(), ctx, "definition", core)
        units = linker._units(text)
        # unlinked abbreviations in mixed-case prose
        for raw, _, s, e in units:
            if raw in defined or not _ABBR.match(raw) or raw in STOP_ABBR or _ROMAN.match(raw) or sum(c.isalpha() for c in raw) < 2:
                continue
            if raw in known_abbrev or raw.lower() in common_words() or is_covered(s, e) or in_shout(s):
                continue
            add(("concept", raw, ""), rid, raw, _context(text, s, e), "abbreviation")
        # modifiers before a linked concept, and runs of unlinked content words
        run: list[tuple[str, str, int, int]] = []
        for idx, u in enumerate(units + [("", "", len(text) + 1, len(text) + 1)]):
            raw, nt, s, e = u
            ok = (raw.isalpha() and raw.islower() and len(raw) >= 3 and nt not in STOPWORDS
                  and not is_covered(s, e) and not in_shout(s))
            if ok and (not run or text[run[-1][3] : s].strip() == "" and "\n\n" not in text[run[-1][3] : s]):
                run.append(u)
                continue
            if run:
                # modifier: the run ends right before a linked concept
                if s in starts and text[run[-1][3] : s].strip() == "" and idx < len(units):
                    concept = starts[s]
                    end = next(e2 for s2, e2, _ in spans if s2 == s)
                    mods = run[-2:] if len(run) >= 2 and _modifier(run[-2][0]) else run[-1:]
                    head = text[s:end]
                    if head.islower() and len(head.split()) <= 3 and all(_modifier(m[0]) for m in mods) \
                            and not linker.onto.concepts.get(concept, None) is None and not linker.onto.concepts[concept].abstract:
                        term = " ".join(m[0] for m in mods) + " " + head
                        key = ("concept", " ".join([m[1] for m in mods] + [_norm(w) for w in head.split()]), concept)
                        add(key, rid, term, _context(text, mods[0][2], end), "modifier")
                # phrase: 2-3 word n-grams of the run
                if len(run) >= 2:
                    for n in (2, 3):
                        for i in range(len(run) - n + 1):
                            gram = run[i : i + n]
                            key = ("concept", " ".join(g[1] for g in gram), "")
                            add(key, rid, " ".join(g[0] for g in gram), _context(text, gram[0][2], gram[-1][3]), "phrase")
            run = [u] if ok else []
    out: list[Candidate] = []
    for key, rids in seen_reports.items():
        if len(rids) < min_reports or key in skip:
            continue
        kind, term_key, concept = key
        abbr = abbr_of[key].most_common(1)[0][0] if abbr_of.get(key) else ""
        out.append(Candidate(
            kind=kind, term=surface[key].most_common(1)[0][0], term_key=term_key, concept=concept, abbreviation=abbr,
            reports=len(rids), mentions=mentions[key], examples=sorted(rids)[:10], context=context[key], evidence=evidence[key],
        ))
    # a phrase inside a longer phrase found in (almost) as many reports is redundant
    best_super: dict[str, int] = defaultdict(int)  # sub-phrase -> most reports of a longer phrase holding it
    for c in out:
        words = c.term_key.split()
        if c.kind == "concept" and len(words) >= 3:
            for n in range(2, len(words)):
                for i in range(len(words) - n + 1):
                    sub = " ".join(words[i : i + n])
                    best_super[sub] = max(best_super[sub], c.reports)
    keep = [c for c in out if not (c.kind == "concept" and c.evidence == "phrase" and best_super.get(c.term_key, 0) >= 0.8 * c.reports)]
    rank = {"definition": 0, "abbreviation": 1, "modifier": 2, "phrase": 3}
    keep.sort(key=lambda c: (-(c.reports * (2 if c.evidence == "definition" else 1)), rank.get(c.evidence, 9), c.term_key))
    return keep[:max_candidates]
