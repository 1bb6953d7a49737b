"""Is an answer correct? Documented, deterministic rules (docs/evaluation.md).

- numbers: the gold number must be among the answer's numbers (canonical form, "1,200" = "1200");
- dates: the gold ISO date must be among the answer's dates ("Oct. 12, 2007" = "2007-10-12");
- text: the normalized gold string occurs in the normalized answer, or at least
  `MIN_CONTAINMENT` of the gold's content tokens occur in it (token containment), or the
  token F1 is at least `MIN_F1`.
"""

from __future__ import annotations

import re
import unicodedata

from grounding.text import STOPWORDS, stem
from grounding.verify.normalize import canonical_number, find_dates, find_numbers

MIN_CONTAINMENT = 0.6
MIN_F1 = 0.5
_TOKEN = re.compile(r"[0-9a-z\uac00-\ud7a3]+")


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("%", " percent ").replace("&", " and ")
    return " ".join(_TOKEN.findall(t))


def tokens(text: str) -> list[str]:
    """Content tokens, Snowball-stemmed (grounding/text): the stemmer and stopwords the pipeline uses."""
    return [stem(t) for t in normalize(text).split() if t not in STOPWORDS]


def token_scores(answer: str, gold: str) -> tuple[float, float]:
    """(containment of gold tokens in the answer, token F1)."""
    a, g = tokens(answer), tokens(gold)
    if not g or not a:
        return 0.0, 0.0
    aset = set(a)
    common = sum(1 for t in g if t in aset)
    containment = common / len(g)
    precision = sum(1 for t in a if t in set(g)) / len(a)
    f1 = 0.0 if common == 0 else 2 * precision * containment / (precision + containment)
    return containment, f1


def is_correct(answer: str, gold: str | None, answer_type: str | None = "text") -> bool:
    if gold is None:
        return False
    kind = answer_type or "text"
    if kind == "number":
        return canonical_number(str(gold)) in find_numbers(answer)
    if kind == "date":
        return str(gold) in {d for d, _, _ in find_dates(answer)}
    if normalize(gold) and normalize(gold) in normalize(answer):
        return True
    containment, f1 = token_scores(answer, gold)
    return containment >= MIN_CONTAINMENT or f1 >= MIN_F1


# Aggregate answers (docs/aggregates.md) are scored on the structured result the pipeline computed
# (`answer.aggregate["result"]`), exactly: a count must equal the gold count, a ranking must name a
# top group among the gold's (ties) with the gold value, a series must equal it year by year, a share's
# part and total must both equal the gold's, a comparison every compared group's value. A distribution's gold comes
# from label matching independent of the project's linker (corpora/eval/build_aggregate.py): its top concept
# must be among the gold's top three.
AGGREGATE_TYPES = ("count", "rank", "series", "share", "compare", "distribution")


def _same_number(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def _group_key(name) -> str:
    return " ".join(str(name or "").casefold().split())


def aggregate_correct(aggregate: dict | None, gold, answer_type: str) -> bool:
    if not aggregate or gold is None or "result" not in aggregate:
        return False
    res = aggregate["result"]
    if answer_type == "count":
        return _same_number(res.get("value"), gold)
    if answer_type == "rank":
        tops = {_group_key(t) for t in gold.get("top", [])}
        return _group_key(res.get("top")) in tops and _same_number(res.get("value"), gold.get("value"))
    if answer_type == "series":
        got = {str(k): v for k, v in (res.get("series") or {}).items()}
        return set(got) == set(gold) and all(_same_number(got[k], v) for k, v in gold.items())
    if answer_type == "share":
        return _same_number(res.get("part"), gold.get("part")) and _same_number(res.get("total"), gold.get("total"))
    if answer_type == "compare":
        got = {_group_key(r.get("group")): r.get("value") for r in res.get("rows") or []}
        return all(_same_number(got.get(_group_key(k)), v) for k, v in gold.items()) and len(got) == len(gold)
    if answer_type == "distribution":
        rows = res.get("rows") or []
        return bool(rows) and rows[0].get("concept") in set(gold.get("top3", [])) and aggregate.get("category") == gold.get("category")
    return False
