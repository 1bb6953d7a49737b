"""Key facts of one report, extracted by rules (the "map" step): no model, no guessing.

From the text: what failed, its cause, its consequence and the action taken, each the
best-matching sentence of the report, quoted as written (never truncated or merged).
From the metadata: reactor scrams (`reactor_units[].scram_code` other than "N"/empty),
a declared emergency class, and the reporting criteria (CFR sections).

A fact's text is what a summary sentence built from it is checked against, so a fact
taken from metadata is rendered as a plain sentence whose values are the stored ones.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from grounding.retrieve.injection import marked
from grounding.text import split_sentences

TEXT_KINDS = ("failure", "cause", "consequence", "action")
META_KINDS = ("scram", "emergency", "criteria")

# Update banners and separators inside NRC texts ("---UPDATE AT 1311 ON 1/19/99 ...---", "* * * UPDATE ... * * *").
_BANNERS = [
    re.compile(r"-{3,}[^\n]*?-{3,}"),
    re.compile(r"\*\s*\*\s*\*[^\n]*?\*\s*\*\s*\*"),
    re.compile(r"={3,}|_{3,}|-{5,}"),
]
# Sentences that say who was told or why it is reportable, not what happened.
_BOILERPLATE = re.compile(
    r"notif(?:ied|y|ying|ication)\b.{0,60}\b(?:resident|inspector|state|county|local|NRC|FEMA|DOE|officials?)"
    r"|\bresident inspectors?\b|\bheadquarters operations? officer\b|\bHOO\b"
    r"|\breportable\b|\b10 ?CFR\b|\bpursuant to\b|\bthis (?:event|report|notification) is being\b"
    r"|\bhealth and safety of the public\b|\bfor additional details\b|\brefer to the\b"
    r"|\bthe licensee made the following\b|\bwill notify\b|\bhas been notified\b|\bwere notified\b",
    re.I,
)
FAILURE_RE = re.compile(
    r"\b(fail\w*|trip(?:s|ped)?|scram(?:s|med)?|leak\w*|inoperab\w*|malfunction\w*|fault\w*|degrad\w*|loss of|lost|"
    r"broke\w*|crack\w*|damag\w*|fire|smoke|spurious\w*|actuat\w*|shut ?down|not met|exceed\w*|outside (?:the )?design|"
    r"deficien\w*|inadequa\w*|errors?|stuck|overheat\w*|unavailab\w*|misposition\w*|violat\w*|outage|interrupt\w*|"
    r"disturbance|load shed\w*|vandal\w*|sabotage|explosion|flood\w*|lightning)\b",
    re.I,
)
CAUSE_RE = re.compile(
    r"\b(due to|caused by|because|as a result of|result(?:ed|s)? from|attributed to|root cause|the cause|cause of|"
    r"apparent cause|contribut\w+ to|resulting from)\b",
    re.I,
)
CONSEQUENCE_RE = re.compile(
    r"\b(result(?:ed|ing|s)? in|causing|caused (?:a|an|the)|leading to|led to|tripp?ed|trips|scram\w*|actuat\w*|"
    r"started automatically|auto(?:matic(?:ally)?)? start\w*|declared inoperable|entered|isolat\w*|loss of|shut ?down|"
    r"power was reduced|reduced power|lost|customers|demand loss)\b",
    re.I,
)
ACTION_RE = re.compile(
    r"\b(corrective actions?|will be|will|plans? to|planned|returned to|restored|replaced|repaired|re-?install\w*|"
    r"reset|secured|investigat\w*|troubleshoot\w*|revised|evaluat\w*|suspended|compensatory measures?|"
    r"removed from service|placed in|declared operable|initiated|recovered|re-?energi[sz]ed|restoration)\b",
    re.I,
)
STRONG_ACTION_RE = re.compile(
    r"\b(corrective actions?|replaced|repaired|returned to|restored|reset|revised|re-?install\w*|recovered|"
    r"re-?energi[sz]ed|declared operable)\b",
    re.I,
)
UNKNOWN_RE = re.compile(r"\b(unknown|under investigation|being investigated|not (?:yet )?(?:known|determined)|is investigating)\b", re.I)

_EMERGENCY = {
    "UNU": "UNUSUAL EVENT", "UNUSUAL EVENT": "UNUSUAL EVENT", "NOUE": "UNUSUAL EVENT",
    "ALE": "ALERT", "ALERT": "ALERT",
    "SIT": "SITE AREA EMERGENCY", "SAE": "SITE AREA EMERGENCY", "SITE AREA EMERGENCY": "SITE AREA EMERGENCY",
    "GEN": "GENERAL EMERGENCY", "GE": "GENERAL EMERGENCY", "GENERAL EMERGENCY": "GENERAL EMERGENCY",
}
EMERGENCY_RANK = {"UNUSUAL EVENT": 1, "ALERT": 2, "SITE AREA EMERGENCY": 3, "GENERAL EMERGENCY": 4}


def emergency_class(value: Any) -> str:
    """The declared emergency class in canonical form, or "" (none / non-emergency / N/A)."""
    v = " ".join(str(value or "").upper().split())
    return _EMERGENCY.get(v, "")


def scram_units(meta: dict) -> list[dict]:
    """The reactor units whose scram code says the reactor scrammed (anything but "N" or empty)."""
    units = meta.get("reactor_units") if isinstance(meta, dict) else None
    if not isinstance(units, list):
        return []
    out = []
    for u in units:
        if not isinstance(u, dict):
            continue
        code = str(u.get("scram_code") or "").strip().upper()
        if code and code != "N":
            out.append(u)
    return out


@dataclass
class KeyFact:
    kind: str  # failure | cause | consequence | action | scram | emergency | criteria
    text: str
    source: str  # "text" (a sentence of the report) | "metadata" (rendered from stored fields)
    score: float = 0.0
    order: int = 0  # position of the sentence in the report (metadata facts: 1000+)


@dataclass
class ReportFacts:
    report_id: str
    corpus: str
    date: str | None
    facility: str
    title: str
    url: str = ""
    scram: list[str] = field(default_factory=list)  # scram codes of the units that scrammed
    emergency: str = ""
    facts: list[KeyFact] = field(default_factory=list)

    def get(self, kind: str) -> KeyFact | None:
        return next((f for f in self.facts if f.kind == kind), None)

    @property
    def notability(self) -> int:
        """Emergency class rank x 10 + 5 for a scram: what makes an event notable, from metadata only."""
        return EMERGENCY_RANK.get(self.emergency, 0) * 10 + (5 if self.scram else 0)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["facts"] = [{"kind": f.kind, "text": f.text, "source": f.source} for f in self.facts]
        return d


# A wrapped upper-case headline line glued to the first sentence ("COLD SHUTDOWN At 1319 CST ..."):
# two or more upper-case words, or one of 7+ letters, then a capitalized mixed-case sentence.
_CAPS_PREFIX = re.compile(r"^(?:[A-Z0-9][A-Z0-9,'/&()\-]*\s+){2,}(?=[A-Z][a-z]+\s)|^[A-Z]{7,}\s+(?=[A-Z][a-z]+\s)")
_LEAD_IN = re.compile(r"^(?:the following (?:text|information|is)\b[^:]{0,120}:\s*)", re.I)
_NEGATED = re.compile(r"\b(?:no|not|without|never|none|nor)\b(?:\W+\w+){0,5}?\W+$", re.I)


def _clean_sentence(s: str) -> str:
    s = " ".join(s.split())
    s = s.strip(" \"'`“”‘’")
    s = re.sub(r"^(?:event|description|background|cause|corrective actions?|initial safety significance)\s*:\s*\"?", "", s, flags=re.I)
    s = s.strip(" \"'“”-")
    m = _CAPS_PREFIX.match(s)
    if m and s[m.end():].upper() != s[m.end():]:
        s = s[m.end():]
    return _LEAD_IN.sub("", s).strip(" \"'“”")


_WHEN = re.compile(r"\b(?:at|on)\s+(?:approximately\s+)?(?:\d{3,4}\b|\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})", re.I)
# A headline without a full stop glued to the first sentence: "... area The licensee was informed at 0849 ...".
_GLUED = re.compile(r"(?<=[a-z0-9)])\s+(?=(?:The licensee|The plant|The unit|At (?:approximately )?\d{3,4}\b|On \d{1,2}/|On [A-Z][a-z]+ \d))")
_FRAGMENT = re.compile(r"^(?:[a-z]|\d+,|[)\]}.,;:])")  # the tail of a badly split sentence


def candidate_sentences(text: str, max_chars: int) -> list[tuple[int, str]]:
    """(position, sentence) for every sentence that can stand as a fact."""
    for rx in _BANNERS:
        text = rx.sub("\n\n", text)
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    pieces = [part for raw in split_sentences(text) for part in _GLUED.split(raw)]
    not_evidence = set(marked(pieces))  # addressed to a reader or an assistant (retrieve/injection.py)
    for i, raw in enumerate(pieces):
        if i in not_evidence:
            continue
        s = _clean_sentence(raw)
        if not (30 <= len(s) <= max_chars) or _FRAGMENT.match(s):
            continue
        if sum(c.isalpha() for c in s) < 0.6 * len(s.replace(" ", "")):
            continue  # tables, codes, lists of numbers
        if _BOILERPLATE.search(s):
            continue
        key = s.casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append((i, s))
    return out


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", s.lower())}


def _pick(cands: list[tuple[int, str]], used: set[int], score_fn) -> tuple[int, str, float] | None:
    best: tuple[float, int, str] | None = None
    for pos, s in cands:
        if pos in used:
            continue
        sc = score_fn(pos, s)
        if sc is None:
            continue
        if best is None or sc > best[0] + 1e-12:
            best = (sc, pos, s)
    return (best[1], best[2], round(best[0], 4)) if best else None


def text_facts(text: str, title: str, max_chars: int) -> list[KeyFact]:
    cands = candidate_sentences(text, max_chars)
    head = _words(title)
    used: set[int] = set()
    out: list[KeyFact] = []

    # The headline ("REACTOR TRIP DURING ...") is a title, not a sentence: only a last resort for "failure".
    # In a mixed-case report an upper-case "sentence" is a wrapped headline line as well.
    letters = [c for c in text if c.isalpha()]
    mixed = bool(letters) and sum(c.isupper() for c in letters) < 0.5 * len(letters)
    headline = {pos for pos, s in cands if (pos == 0 or mixed) and (s.upper() == s or s.casefold() == title.casefold())}

    def failure(pos: int, s: str):
        if not FAILURE_RE.search(s):
            return None
        if pos in headline:
            return -1.0
        if all(_NEGATED.search(s[: m.start()]) for m in FAILURE_RE.finditer(s)):
            return 0.2 - 0.04 * pos  # "no indication of leakage": says what did not fail
        overlap = len(_words(s) & head) / len(head) if head else 0.0
        when = 0.2 if _WHEN.search(s) else 0.0  # "At 1435 hours on December 31, 1998, ... tripped": the event itself
        return 1.0 - 0.06 * pos + 0.3 * overlap + when - (0.3 if CAUSE_RE.search(s) else 0.0) - (0.15 if ACTION_RE.search(s) else 0.0)

    def cause(pos: int, s: str):
        if pos in headline or not CAUSE_RE.search(s):
            return None
        return 1.0 - 0.02 * pos - (0.6 if UNKNOWN_RE.search(s) else 0.0)

    def action(pos: int, s: str):
        if pos in headline or not ACTION_RE.search(s):
            return None
        return 0.5 + (0.5 if STRONG_ACTION_RE.search(s) else 0.0) + 0.01 * pos - (0.3 if UNKNOWN_RE.search(s) else 0.0)

    def consequence(pos: int, s: str):
        if pos in headline or not CONSEQUENCE_RE.search(s):
            return None
        return 1.0 - 0.03 * pos

    for kind, fn in (("failure", failure), ("cause", cause), ("action", action), ("consequence", consequence)):
        hit = _pick(cands, used, fn)
        if hit is None:
            continue
        pos, s, sc = hit
        used.add(pos)
        out.append(KeyFact(kind, s, "text", sc, pos))
    if not any(f.kind == "failure" for f in out):
        # No failure words (OE-417's "Thunderstorms affecting Houston, Texas ...", a fitness-for-duty
        # report): the report's first sentence says what happened.
        first = next(((pos, s) for pos, s in cands if pos not in used and pos not in headline), None)
        if first is not None:
            out.insert(0, KeyFact("failure", first[1], "text", 0.05, first[0]))
    return out


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def meta_facts(meta: dict) -> list[KeyFact]:
    out: list[KeyFact] = []
    for k, u in enumerate(scram_units(meta)):
        code = str(u.get("scram_code")).strip().upper()
        how = "automatic" if code.startswith("A") else ("manual" if code.startswith("M") else "")
        unit = f"Unit {_num(u['unit'])}" if u.get("unit") not in (None, "") else "A unit"
        s = f"{unit} had {'an automatic' if how == 'automatic' else 'a ' + how if how else 'a'} reactor scram (scram code {code})"
        if u.get("initial_power") not in (None, ""):
            s += f" from {_num(u['initial_power'])}% power"
            if u.get("initial_rx_mode"):
                s += f" in {u['initial_rx_mode']}"
        out.append(KeyFact("scram", s + ".", "metadata", 1.0, 1000 + k))
    ec = emergency_class(meta.get("emergency_class") if isinstance(meta, dict) else "")
    if ec:
        out.append(KeyFact("emergency", f"The emergency class {ec} was declared.", "metadata", 1.0, 1100))
    sections = meta.get("cfr_sections") if isinstance(meta, dict) else None
    if isinstance(sections, list):
        parts = []
        for sec in sections:
            if isinstance(sec, dict) and (sec.get("code") or sec.get("description")):
                desc = " ".join(str(sec.get("description") or "").split())
                parts.append(f"{sec.get('code') or ''} {desc}".strip())
        if parts:
            out.append(KeyFact("criteria", "Reporting criteria: " + "; ".join(parts) + ".", "metadata", 1.0, 1200))
    return out


def report_facts(report, max_chars: int = 320) -> ReportFacts:
    """Key facts of one stored report (a `Report` row or anything with its attributes)."""
    meta = report.meta if isinstance(getattr(report, "meta", None), dict) else {}
    facility = (getattr(report, "facility", "") or meta.get("facility") or meta.get("area_affected") or "").strip()
    rf = ReportFacts(
        report_id=report.id,
        corpus=report.corpus or "",
        date=report.date,
        facility=str(facility),
        title=report.title or "",
        url=str(meta.get("page_url") or ""),
        scram=[str(u.get("scram_code")).strip().upper() for u in scram_units(meta)],
        emergency=emergency_class(meta.get("emergency_class")),
    )
    rf.facts = text_facts(report.text or "", rf.title, max_chars) + meta_facts(meta)
    return rf
