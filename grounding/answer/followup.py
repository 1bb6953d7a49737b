"""A follow-up turn ("and in 2005?") made into a standalone question, by rules, never by a model.

A chat client sends the whole conversation; the pipeline answers one question. The last user turn
is the question; when it lacks the place or the date the previous user turn named, those are
carried over (a date the new turn names replaces the old one, a place it names replaces the old
place). A short fragment ("and in 2005?", "what about Unit 2?") takes the previous question whole
and swaps in what the fragment names. What was carried is returned, for the answer's trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grounding.text.dates import MONTH_RE, find_dates

_PREP = r"(?:(?:on|in|during|of)\s+)?"
_MONTH_YEAR = re.compile(MONTH_RE + r"\.?\s+(?:of\s+)?\d{4}\b", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
_PLACE = re.compile(r"\b(?:at|in|near|from)\s+((?:[A-Z][\w'&.-]*)(?:\s+(?:[A-Z][\w'&.-]*|[Uu]nit\s+\d{1,2}|\d{1,2}(?!\d)|of|&))*)")
_UNIT = re.compile(r"\bunit\s*\d{1,2}\b", re.I)
_FRAGMENT = re.compile(r"^\s*(?:and|or|also|but|what about|how about|then)\b", re.I)
_NOT_PLACE = re.compile(MONTH_RE + r"\b", re.I)


@dataclass
class Standalone:
    """The question the pipeline answers, the turn it came from, and what was carried over."""

    question: str
    last_turn: str
    carried: list[str] = field(default_factory=list)

    def trace(self) -> dict:
        return {"last_turn": self.last_turn, "standalone_question": self.question, "carried": self.carried}


def _date_span(text: str) -> tuple[int, int] | None:
    """The span of the first date (day, month-year or year) the text names, with its preposition."""
    spans = [(s, e) for _, s, e in find_dates(text)]
    for rx in (_MONTH_YEAR, _YEAR):
        if not spans:
            spans = [m.span() for m in rx.finditer(text)]
    if not spans:
        return None
    s, e = min(spans)
    m = re.search(_PREP + r"$", text[:s], re.I)
    return (m.start() if m and m.group(0) else s), e


def _place_span(text: str) -> tuple[int, int] | None:
    for m in _PLACE.finditer(text):
        if not _NOT_PLACE.fullmatch(m.group(1).split()[0]):
            return m.span()
    m = _UNIT.search(text)
    return m.span() if m else None


def _insert(question: str, phrase: str) -> str:
    """`phrase` added before the question's closing mark."""
    q = question.rstrip()
    tail = q[-1] if q and q[-1] in "?.!" else ""
    return f"{q[:len(q) - len(tail)].rstrip()} {phrase.strip()}{tail}"


def _replace(question: str, span: tuple[int, int], phrase: str) -> str:
    s, e = span
    return re.sub(r"\s{2,}", " ", f"{question[:s]}{phrase.strip()}{question[e:]}").strip()


def resolve(previous: str, turn: str) -> Standalone:
    """`turn` as a standalone question, given the `previous` standalone question."""
    turn = turn.strip()
    if not previous.strip():
        return Standalone(turn, turn)
    new_date, new_place = _date_span(turn), _place_span(turn)
    old_date, old_place = _date_span(previous), _place_span(previous)
    carried: list[str] = []
    if _FRAGMENT.match(turn) and len(turn.split()) <= 8:
        q = previous
        # Replace the later span first, so the earlier one's offsets stay valid.
        swaps = [(old, turn[new[0]:new[1]], kind) for old, new, kind in ((old_date, new_date, "date"), (old_place, new_place, "place")) if new]
        for old, phrase, kind in sorted(swaps, key=lambda x: -(x[0][0] if x[0] else -1)):
            q = _replace(q, old, phrase) if old else _insert(q, phrase)
        keep = [(old, kind) for old, new, kind in ((old_date, new_date, "date"), (old_place, new_place, "place")) if old and not new]
        carried = [f"{kind}: {previous[old[0]:old[1]].strip()}" for old, kind in keep]
        carried.insert(0, f"question: {previous}")
        return Standalone(q, turn, carried)
    q = turn
    if new_place is None and old_place is not None:
        phrase = previous[old_place[0]:old_place[1]]
        q = _insert(q, phrase)
        carried.append(f"place: {phrase.strip()}")
    if new_date is None and old_date is not None:
        phrase = previous[old_date[0]:old_date[1]]
        q = _insert(q, phrase)
        carried.append(f"date: {phrase.strip()}")
    return Standalone(q, turn, carried)


def standalone(user_turns: list[str]) -> Standalone:
    """The last of `user_turns` as a standalone question, each turn resolved against the one before."""
    turns = [t for t in (u.strip() for u in user_turns) if t]
    if not turns:
        return Standalone("", "")
    current = Standalone(turns[0], turns[0])
    for turn in turns[1:]:
        current = resolve(current.question, turn)
    return current
