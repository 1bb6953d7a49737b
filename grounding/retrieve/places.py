"""Does the report an answer cites come from the place the question names, in any language?

The metadata catalog (retrieve/metadata.py) recognizes a place only when the question spells a
name the reports use ("Indian Point", "Indiana에서"). A question that names a place the catalog
does not recognize ("인디언 포인트에서", a plant with no report, a misspelling) gets no place
filter, and retrieval may then find the right date at another plant. A single-event answer
citing that report is a wrong-place answer: the agent abstains (`wrong_place` signal).

Places named: in English, a capitalized name after "at", "in", "near" or "from"; in Korean, the
Hangul words before a locative particle (에서, 에, 의) that are names, not common words: Korean puts
a particle after any noun ("스크램의 원인", "냉각팬 고장의", "진동 때문에"), so a word is a name only
when neither it nor all its morphemes (kiwipiepy) are a common word: the generic list below or a Korean
label of the ontology (`korean_terms`), and it holds no verb, ending or modifier. A trailing head such
as 원전, 발전소 or "9호기" is passed over ("제브라 포인트 9호기에서" names 제브라 포인트); a trailing
common word that is no place head ("자동 스크램의") means no place is named. A Korean name is compared
with the report's Latin place names by pronunciation: romanized (Revised Romanization, with the vowel
Korean adds to loanwords dropped) and fuzzy-matched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterable

from rapidfuzz import fuzz

from grounding.text.korean import has_hangul, segment

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
_GENERIC = {
    "the", "unit", "units", "plant", "station", "nuclear", "power", "generating", "energy", "center", "county", "city",
    "of", "and", "nrc", "reactor", "reactors", "site", "facility", "area", "state", "region", "grid", "mode", "hot",
    "cold", "standby", "shutdown", "startup", "full", "korean", "english", "oe", "doe", "eia",
}
_EN_PLACE = re.compile(r"\b(?:at|in|near|from)\s+((?:[A-Z][\w'&.-]*)(?:\s+(?:[A-Z][\w'&.-]*|\d{1,2}(?!\d)|[Oo]f|and|&))*)")
# A word ending in a locative or genitive particle, and the (up to three) words before it.
_KO_PLACE = re.compile(r"(?<!\S)((?:\S+\s+){0,3}?)(\S+?)(?:에서는|에서|에는|에|의)(?=[\s?.!,]|$)")
# Passed over at the end of a Korean place phrase: what follows a name without being one.
_KO_PLACE_HEADS = {
    "원전", "원자력", "발전소", "원자력발전소", "발전", "변전소", "개폐소", "스위치야드", "호기", "부지", "사이트", "주", "시",
    "군", "카운티", "지역", "부근", "근처", "인근", "일대",
}
_NAME_TAGS = ("NNG", "NNP", "SH")  # what a Hangul name is segmented into (a misread name: NNB, below)
_KO_GENERIC = {
    "원자로", "발전소", "원전", "원자력", "변전소", "송전선", "변압기", "발전기", "터빈", "펌프", "밸브", "계통", "시스템",
    "사고", "정지", "공장", "지역", "도시", "주", "날", "때", "당시", "오전", "오후", "이후", "이전", "동안", "중", "호기",
    "보고서", "사건", "이벤트", "설비", "냉각재", "급수", "전력", "정전", "화재", "비상", "발전", "소내", "소외", "무엇",
    "어디", "언제", "그날", "해당", "이", "그", "저", "년", "월", "일", "후", "전", "간", "내", "외", "보고", "경우", "원인",
    "결과", "영향", "고장", "건수", "비율", "모드", "상태", "무슨", "어떤", "가장", "주된", "관련",
}

SOUND_MATCH = 70  # rapidfuzz partial ratio of the romanized name to the report's place name

# Hangul syllable = (initial, medial, final); romanized for comparison with Latin names.
_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIAL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu",
           "ui", "i"]
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
          "t", "t", "k", "t", "p", "t"]


def romanize(text: str) -> str:
    """Hangul -> Latin letters, for comparing a transliterated name with its original spelling.

    Loanword habits are undone: the vowel Korean inserts after a final consonant (포인트
    po-in-teu -> "pointu" -> "point") is dropped before a consonant or at the end of a word.
    """
    words = []
    for word in text.split():
        out = []
        for ch in word:
            code = ord(ch) - 0xAC00
            if 0 <= code < 11172:
                i, rest = divmod(code, 588)
                m, f = divmod(rest, 28)
                syl = _INITIAL[i] + _MEDIAL[m] + _FINAL[f]
                out.append(syl)
            elif ch.isascii() and ch.isalnum():
                out.append(ch.lower())
        w = "".join(out)
        w = re.sub(r"eu(?=[^aeiouy]|$)", "", w)
        w = w.replace("eo", "a").replace("ae", "e")
        words.append(w)
    return " ".join(w for w in words if w)


def _sound(latin: str) -> str:
    """A Latin name in the same rough phonetic form as `romanize` gives."""
    s = latin.lower()
    for a, b in (("ph", "p"), ("th", "t"), ("ck", "k"), ("c", "k"), ("q", "k"), ("x", "ks"), ("f", "p"), ("v", "b"),
                 ("z", "j"), ("ee", "i"), ("oo", "u"), ("w", "u"), ("y", "i"), ("l", "r")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", s))


_TERMS: dict[str, frozenset[str]] = {}
_TERMS_LOCK = threading.Lock()


def korean_terms(onto) -> frozenset[str]:
    """The ontology's Korean labels as common words, not names: each label whole, without its spaces, and
    its nouns (kiwipiepy). Computed once per ontology version (~0.3 s for the bundled one)."""
    if onto is None:
        return frozenset()
    key = str(getattr(onto, "fingerprint", "") or id(onto))
    with _TERMS_LOCK:
        hit = _TERMS.get(key)
        if hit is not None:
            return hit
        terms: set[str] = set()
        for c in onto.concepts.values():
            for text, lang, _ in c.all_labels():
                if lang != "ko" or not has_hangul(text):
                    continue
                terms.update((text, text.replace(" ", "")))
                terms.update(f for f, tag, _, _ in segment(text) if tag in ("NNG", "NNP"))
        if len(_TERMS) >= 8:
            _TERMS.clear()
        _TERMS[key] = frozenset(terms)
        return _TERMS[key]


def _korean_word(word: str, morphemes: list[tuple[str, str]], common: Collection[str]) -> str:
    """"name", "head" (passed over at a phrase's end) or "common", for one Korean word and its
    morphemes (from the whole question: a word analysed alone can read a name's last syllable as an
    ending, 세코야 -> 세코 + 이 + 야)."""
    if re.search(r"\d", word) or word in _KO_PLACE_HEADS:
        return "head"  # "9호기", "1998년", 원전
    if not re.fullmatch(r"[\uac00-\ud7a3]{2,}", word) or word in _KO_GENERIC or word in common:
        return "common"  # not Hangul, one syllable (회의 -> 회 + 의), or a common word
    if not morphemes or any(not t.startswith(_NAME_TAGS + ("NNB",)) for _, t in morphemes):
        return "common"  # a verb, ending or modifier inside: 발생한, 어떤, 지나(다)
    if all(t == "NNB" or f in _KO_GENERIC or f in common for f, t in morphemes):
        return "common"  # every piece a common word: 냉각팬 = 냉각 + 팬, 때문
    return "name"


def _korean_places(question: str, common: Collection[str]) -> list[str]:
    out: list[str] = []
    seg = segment(question)
    for m in _KO_PLACE.finditer(question):
        spans = [(w.start() + m.start(1), w.end() + m.start(1)) for w in re.finditer(r"\S+", m.group(1))]
        spans = [*spans, (m.start(2), m.end(2))][-3:]
        words = [question[a:b] for a, b in spans]
        kinds = [_korean_word(w, [(f, t) for f, t, s, _ in seg if a <= s < b], common) for w, (a, b) in zip(words, spans)]
        while kinds and kinds[-1] == "head":
            words, kinds = words[:-1], kinds[:-1]
        name: list[str] = []
        for w, k in zip(reversed(words), reversed(kinds)):
            if k != "name":
                break
            name.insert(0, w)
        if name:
            out.append(" ".join(name))
    return out


def named_places(question: str, common: Collection[str] = frozenset()) -> list[str]:
    """Place names the question gives, as written: English capitalized names after at/in/near/from,
    Korean names before a locative particle (dates, heads and common words left out; `common`: more
    Korean common words, e.g. `korean_terms(onto)`)."""
    out: list[str] = []
    for m in _EN_PLACE.finditer(question):
        words = [w for w in re.findall(r"[A-Za-z][\w'&.-]*", m.group(1))]
        keep = [w for w in words if w.lower().strip(".") not in _MONTHS | _GENERIC and len(w) >= 3]
        if keep:
            out.append(" ".join(keep))
    if has_hangul(question):
        out += _korean_places(question, common)
    return out


def place_matches(place: str, texts: Iterable[str]) -> bool:
    """Whether a named place is one of `texts` (a report's facility, area, metadata, title, text)."""
    hay = [t for t in texts if t]
    if not hay:
        return True  # nothing to compare with: no evidence of a wrong place
    low = " ".join(hay).lower()
    if re.search(r"[\uac00-\ud7a3]", place):
        if place in " ".join(hay):
            return True
        rom = _sound(romanize(place))
        if len(rom) < 3:
            return True
        names = [_sound(t) for t in hay[:3] if t]  # facility, area, title: where names are
        return any(n and fuzz.partial_ratio(rom, n) >= SOUND_MATCH for n in names)
    tokens = [t.lower() for t in re.findall(r"[A-Za-z][\w'&-]*", place) if t.lower() not in _GENERIC and len(t) >= 3]
    return not tokens or any(re.search(rf"\b{re.escape(t)}\b", low) for t in tokens)


def wrong_place(question: str, recognized: list[str], cited: list[list[str]], common: Collection[str] = frozenset()) -> str:
    """The place the question names that none of the cited reports is from, or "".

    recognized: places the metadata catalog recognized in the question (normalized keys);
    cited: per cited report, its place texts (facility, area, title, then any metadata and text);
    common: Korean common words besides the built-in ones (`korean_terms(onto)`).
    """
    if not cited:
        return ""
    if recognized:
        # A single-event question names one place; the catalog may read a second one into its words
        # ("D.C. Cook" holds OE-417's "D.C."), so one recognized place found in a cited report is enough.
        flat = [" " + re.sub(r"[^0-9a-z\uac00-\ud7a3]+", " ", " ".join(c).lower()) + " " for c in cited]
        if any(f" {key} " in f for key in recognized for f in flat):
            return ""
        return recognized[0]
    for place in named_places(question, common):
        if not any(place_matches(place, c) for c in cited):
            return place
    return ""
