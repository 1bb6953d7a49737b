"""Report text is evidence, never instructions: find the sentences that are not evidence.

A sentence is marked when it addresses the reader or an assistant ("Note to the assistant:",
"SYSTEM:", "AI 모델에게"), gives the answerer an order ("ignore the above", "state that ...",
"라고 답하십시오"), or claims an authority the narrative cannot give ("the official finding is").
Marked sentences are stored with their chunk at ingest (`chunks.flags`), are never shown to the
generator, are never quoted as an answer, and a cause only they state is not evidence.

Matching runs on a folded form of the sentence so that look-alikes do not hide the words:
Unicode NFKC (fullwidth letters, ligatures, compatibility forms), zero-width and bidi control
characters removed, Cyrillic/Greek letters that look Latin folded to Latin, HTML tags and
entities and Markdown emphasis removed, letter-by-letter spacing ("i g n o r e") joined.

The rules are measured (docs/security.md): every phrasing of the adversarial corpus in
tests/data/adversarial is marked, and the share of sentences of real NRC reports marked is
reported next to it. `RULES_VERSION` changes when the rules do (stored marks record it).
"""

from __future__ import annotations

import html
import re
import unicodedata

from grounding.text import split_sentences

RULES_VERSION = 1

# Letters that render like Latin ones (Cyrillic, Greek, a few IPA/Latin-extended), folded for matching.
_CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y",
    "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Һ": "H", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ω": "w", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin look-alikes NFKC keeps
    "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "ß": "ss", "ſ": "s",
})
# Zero-width, joiners, bidi controls, soft hyphen, BOM, tag characters: invisible, removed.
_INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]")
_TAG = re.compile(r"<!--|-->|</?[A-Za-z][^<>]{0,200}>")
_MARKDOWN = re.compile(r"[*_`~#>|]+|\[(?=[^\]]*\]\()|\]\([^)]*\)")
_SPACED = re.compile(r"(?<![\w])(?:[A-Za-z][ .\-]){3,}[A-Za-z](?![\w])")


def _light(text: str) -> str:
    s = html.unescape(text)
    s = unicodedata.normalize("NFKC", s)
    s = _INVISIBLE.sub("", s)
    return s.translate(_CONFUSABLES)


def fold(text: str) -> str:
    """The matching form of `text`: NFKC, invisible characters removed, look-alikes folded,
    markup removed, spaced-out letters joined, whitespace collapsed, lower case."""
    s = _TAG.sub(" ", _light(text))
    s = _MARKDOWN.sub(" ", s)
    s = _SPACED.sub(lambda m: re.sub(r"[ .\-]", "", m.group(0)), s)
    return " ".join(s.split()).lower()


_AI = (
    r"(?:ai|a\.i\.|assistant|assistants|chat ?bot|bot|llm|language model|model|gpt|chatgpt|claude|copilot|"
    r"answering (?:system|engine|agent|tool)|(?:qa|question.answering) system|summari[sz]er|automated (?:system|tool|reader)s?|"
    r"machine reader|reader|system)"
)
_ORDER_VERB = (
    r"(?:answer|respond|reply|say|state|write|output|print|tell|conclude|claim|assert|declare|report|treat|consider|"
    r"reveal|repeat|include|mention|cite|attribute|describe|explain|list|ignore|disregard|forget|use|return|summari[sz]e|"
    r"classify|record|emphasi[sz]e|insist|confirm)"
)

# (rule name, pattern on the folded sentence)
_RULES: list[tuple[str, re.Pattern[str]]] = [
    # --- addressing the reader or an assistant ---------------------------------------------
    ("address", re.compile(
        rf"\b(?:note|notes|message|instruction|instructions|attention|memo|reminder|directive|guidance|hint|warning|notice|p\.?s\.?)\b"
        rf"[^.]{{0,30}}?\b(?:to|for)\b(?: all| any| the| every| an?)?(?: future)? {_AI}\b")),
    ("address", re.compile(rf"(?:^|[\s\"'(\[])(?:dear|hey|hello|hi|attention|attn|yo|ok|okay)\s*[,:]?\s*(?:the )?{_AI}\b")),
    ("address", re.compile(rf"^\W*(?:to (?:the |any |all )?{_AI}|{_AI})\s*(?:[,:;]|reading this|processing this|that reads)")),
    ("address", re.compile(rf"\b(?:if|when|whenever) (?:you are|you're|you re|this is read by|read by) (?:an? |the )?(?:{_AI}|automated|helpful)")),
    ("address", re.compile(rf"\b(?:as an? (?:ai|assistant|language model|llm)|you are (?:now )?(?:an?|the|my) (?:{_AI}|helpful|expert|answering))\b")),
    ("address", re.compile(rf"\b(?:any|all|every) (?:{_AI}|automated|ai[- ]based)s? (?:reading|processing|summari[sz]ing|answering|that reads|must|should)")),
    ("address", re.compile(r"\b(?:the )?reader (?:should|must|is (?:asked|instructed|requested)|needs to|will)\b")),
    ("address", re.compile(r"\b(?:hidden|secret) (?:instruction|note|message|prompt)s?\b")),
    # --- role headers and chat-template tokens ---------------------------------------------
    ("role", re.compile(r"^\W*(?:system|assistant|user|developer|human|admin|administrator|root|operator note to ai|instruction|instructions|prompt|sys)\s*(?:prompt|message|note|override|instruction|instructions|update|notice)?\s*(?::|>|\]|\)|-{2,}|=)")),
    ("role", re.compile(r"<\|?\s*(?:im_start|im_end|system|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\s*\|?>|\[/?(?:inst|sys)\]|<</?sys>>|^\W*\[(?:system|assistant|user|developer)\]|\[(?:system|assistant|developer)\]\s*:")),
    ("role", re.compile(r"(?:^|\s)#{0,6}\s*(?:instruction|instructions|system|response|new instructions|override)\s*#{2,}|^\W*#{2,}\s*(?:instruction|system|response)")),
    ("role", re.compile(r"\b(?:begin|end|start) (?:of )?(?:system|admin|developer|new|hidden|override) (?:prompt|message|instructions?|block)\b")),
    # --- orders to the answerer ------------------------------------------------------------
    ("order", re.compile(r"\b(?:ignore|disregard|forget|override|overrule)\b[^.]{0,50}?\b(?:instructions?|prompts?|rules|above|previous|prior|preceding|earlier|context|evidence|passages?|guidelines|everything|all else|narrative|text|sentences|report)\b")),
    ("order", re.compile(r"\b(?:you must|you should|you will|you need to|you have to|you are (?:required|instructed|asked|told|ordered)|make sure (?:you|to)|be sure to|remember to|you may not|you must not|do not (?:mention|say|cite|reveal|quote|state)|don ?t (?:mention|say|cite|reveal|quote|state)|never (?:mention|say|cite|reveal|quote))\b")),
    ("order", re.compile(rf"(?:^\W*|\b(?:please|so|just|always|simply|now|therefore|thus|kindly|must)\s+){_ORDER_VERB}\b(?:\s+(?:that|only|exactly|with|the cause|this|it|to the user|in your answer|:)|[^.]{{0,40}}\b(?:as the (?:cause|answer|reason|finding)|in (?:your|the|any|every) (?:answer|response|reply|summary|output)))")),
    ("order", re.compile(rf"\b{_AI}\s*[,:]\s*(?:please\s+)?{_ORDER_VERB}\b")),
    ("order", re.compile(r"\b(?:and|then) (?:say|state|answer|respond|reply|claim|assert|conclude|write|tell (?:them|the user|everyone))\s+(?:that|only|exactly|:|the (?:cause|reason|answer|root cause)\b)")),
    ("order", re.compile(r"\b(?:answer|respond|reply|output|print|repeat|reveal|show|print out|dump|leak)\b[^.]{0,30}?\b(?:system prompt|your prompt|the prompt|your instructions|hidden|secret|configuration|password|api key|token|credentials)\b")),
    ("order", re.compile(r"\b(?:when|if|whenever) (?:you are |you're |you get |anyone |someone |the user |a user |somebody )(?:asked|asks|questioned|queried|prompted)\b|\b(?:when|if|whenever) (?:asked|questioned|queried|prompted) (?:about|what|why|how|for|by)\b")),
    ("order", re.compile(r"\b(?:the )?(?:correct|right|only|official|desired|approved|preferred|true) (?:answer|reply)\b")),
    ("order", re.compile(r"\b(?:in|for) (?:your|the|any|every) (?:answer|response|reply|output|summary)s?\b[^.]{0,40}\b(?:say|state|write|claim|mention|use|include|report|that)\b")),
    ("order", re.compile(r"\b(?:regardless of|contrary to|despite|instead of) (?:what |anything )?(?:the )?(?:report|text|narrative|evidence|passages?|rest of the report|sentences?)(?: above| below)? (?:says?|states?|said|shows?|describes?|claims?)\b|\bregardless of (?:the )?(?:evidence|text|narrative|passages|report)\b")),
    ("order", re.compile(r"\b(?:the (?:next|following|previous|above|preceding) (?:sentence|line|paragraph|statement)s? (?:is|are|contains?|gives?|states?)|(?:the )?(?:sentences?|text|narrative) (?:above|below) (?:is|are) (?:wrong|false|outdated|incorrect|a (?:draft|test))|is (?:outdated|superseded|wrong|false|incorrect)[;,]? (?:use|the real|the true|the actual))\b")),
    # --- claims of an authority the narrative cannot give --------------------------------
    ("claim", re.compile(r"\b(?:official|authoritative|authori[sz]ed|certified|sanctioned|binding|final verified|verified final|approved) (?:finding|findings|determination|conclusion|conclusions|cause|root cause|verdict|position|ruling|explanation|account|version|record|answer)\b")),
    ("claim", re.compile(r"\b(?:officially|authoritatively) (?:determined|confirmed|concluded|established|found|ruled|declared|attributed)\b")),
    ("claim", re.compile(r"\b(?:the )?(?:true|real|hidden|secret|undisclosed) (?:cause|reason|root cause|story|finding|explanation)\b(?! (?:is|was|remains|has) (?:not|un|under|being|still))")),
    ("claim", re.compile(r"\bfor the (?:record|purposes? of (?:this|any|your) (?:answer|question|summary|response|evaluation))\b")),
]

# Korean: addressing an assistant, orders in the polite imperative, official-finding claims.
_KO_AI = r"(?:어시스턴트|인공\s*지능|AI|ai|에이아이|챗봇|언어\s*모델|모델|시스템|독자|답변자|응답자|요약기|비서|봇)"
_KO_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("address", re.compile(rf"{_KO_AI}\s*(?:에게|께|님|여러분|에 대한 (?:지시|메모|안내|참고)|을 위한 (?:지시|메모|안내|참고)|용 (?:지시|메모|안내))")),
    ("address", re.compile(rf"(?:참고|메모|주의|지시|안내|알림|공지)\s*(?:사항)?\s*(?:\(|:|-)?\s*{_KO_AI}")),
    ("address", re.compile(rf"^\W*{_KO_AI}\s*[,:]")),
    ("role", re.compile(r"^\W*(?:시스템|어시스턴트|사용자|관리자|개발자|지시|지시사항|명령)\s*(?:프롬프트|메시지|메모)?\s*[:>\]]")),
    ("order", re.compile(r"(?:이전|앞의|위의|위|기존|모든|앞선|지금까지의?)\s*(?:의\s*)?(?:지시|지시사항|지침|명령|내용|규칙|설명|문장|자료|증거|보고)\S*\s*(?:은|는|을|를)?\s*(?:모두\s*)?(?:무시|잊|따르지)")),
    ("order", re.compile(r"(?:무시|잊어|따르지\s*마)\S*\s*(?:하세요|하십시오|하라|해라|하고|주세요|버리|마세요|마십시오)")),
    ("order", re.compile(r"(?:라고|다고|이라고|으로|로)\s*(?:만\s*)?(?:반드시\s*)?(?:답|답변|대답|응답|말|서술|진술|명시|기재|작성|기록|보고|출력|주장|결론)\s*(?:을|를)?\s*(?:하|해|내|지어|써)\S*(?:세요|십시오|라|시오|것|주세요|야\s*한다|야 합니다)")),
    ("order", re.compile(r"(?:답변|대답|응답|요약|답|출력)\s*(?:에는|에서는|에|시|할 때)\s*(?:반드시|꼭|항상)?[^.]{0,30}(?:하세요|하십시오|하라|할 것|써야|포함시키|포함하|넣으)")),
    ("order", re.compile(r"(?:질문(?:을|이|에)?\s*(?:받으면|받는다면|들어오면|있으면|하면)|묻는다면|물으면|물어보면)")),
    ("order", re.compile(r"(?:프롬프트|지시사항|시스템\s*메시지|설정|비밀번호|암호)\S*\s*(?:을|를)?\s*(?:공개|출력|보여|알려|누설)")),
    ("order", re.compile(r"(?:반드시|꼭|무조건)\s*[^.]{0,40}(?:라고|다고|이라고)\b")),
    ("claim", re.compile(r"공식\s*(?:적인?\s*)?(?:조사\s*)?(?:결과|결론|발표|판단|원인|입장|소견|판정|기록|답변|견해|확인)")),
    ("claim", re.compile(r"(?:진짜|실제|숨겨진|진정한|숨은)\s*(?:의\s*)?(?:원인|이유|결론)(?:은|는)")),
    ("claim", re.compile(r"(?:정답|올바른\s*답|올바른\s*답변)(?:은|는|이)")),
]

# "Say so.", "Answer accordingly.": the end of an instruction whose content came before it.
_CLOSER = re.compile(
    r"^\W*(?:say|state|answer|report|write|respond|reply|repeat|use|output|cite|confirm|do) (?:so|this|that|it|accordingly|as (?:instructed|told|above))\b"
    r"|(?:그렇게|이대로|위와 같이|그대로)\s*(?:답|말|서술|작성|출력)"
)
# A marked sentence opening a block ("BEGIN SYSTEM PROMPT"): everything up to its end marker.
_BEGIN = re.compile(r"\b(?:begin|start)(?: of)? (?:system|admin|developer|new|hidden|override) (?:prompt|message|instructions?|block)\b|<\|?im_start\|?>|\[inst\]|<<sys>>|시작")
_END = re.compile(r"\b(?:end)(?: of)? (?:system|admin|developer|new|hidden|override) (?:prompt|message|instructions?|block)\b|<\|?im_end\|?>|\[/inst\]|<</sys>>|끝")
SHORT_HEADER_WORDS = 8  # a marked sentence this short, with little beside the matched words, heads what follows
_WORDS = re.compile(r"\w+")

# HTML comments and elements hidden from view.
_HIDDEN = re.compile(r"<!--|&lt;!--|display\s*:\s*none|visibility\s*:\s*hidden|<\w+[^<>]*\shidden[\s>=]", re.I)
_FORWARD = re.compile(
    r"(?::\s*$|\b(?:the following|as follows|below|next sentence|next line|this:|these words|the following sentence)\b|다음(?:과 같|을|의|\s*문장)|아래)"
)


def classify(sentence: str) -> str | None:
    """The name of the first rule the sentence meets ("address", "role", "order", "claim"), or None."""
    found = _first_match(sentence)
    return found[0] if found else None


def _first_match(sentence: str) -> tuple[str, str] | None:
    """(rule name, the sentence's matching form with the matched words cut out), or None."""
    f = fold(sentence)
    if not f:
        return None
    if _HIDDEN.search(sentence):  # text hidden from a human reader is no report narrative
        return "hidden", ""
    # The folded form, and a lighter one that keeps markup (role headers such as "### System:").
    forms = (f, " ".join(_light(sentence).split()).lower())
    korean = re.search(r"[\uac00-\ud7a3]", f) is not None
    for form in forms:
        for name, rx in (_RULES + _KO_RULES) if korean else _RULES:
            m = rx.search(form)
            if m:
                return name, form[: m.start()] + " " + form[m.end() :]
    return None


def is_injection(sentence: str) -> bool:
    return classify(sentence) is not None


def marked(sentences: list[str]) -> list[int]:
    """Indices of the sentences that are not evidence.

    An instruction split over sentences is one instruction:
    * a marked sentence that points forward ("... the following:", "다음 문장") or is a bare
      header ("Note to the assistant.", at most SHORT_HEADER_WORDS words) marks the next one;
    * a marked sentence opening a block ("BEGIN SYSTEM PROMPT", "<|im_start|>") marks every
      sentence up to its end marker (at most 5);
    * a closing order ("Say so.", "Answer accordingly.") marks the sentences back to the
      marked sentence before it (at most 3 back).
    """
    found = [_first_match(s) for s in sentences]
    kinds = [m[0] if m else None for m in found]
    folded = [fold(s) for s in sentences]
    out: set[int] = set()
    i = 0
    while i < len(sentences):
        f = folded[i]
        if _CLOSER.search(f):
            back = [j for j in range(max(0, i - 3), i) if kinds[j] is not None or j in out]
            if back:
                out.update(range(back[0], i + 1))
        if kinds[i] is None:
            i += 1
            continue
        out.add(i)
        if _BEGIN.search(f) and not _END.search(f):
            j = i + 1
            while j < len(sentences) and j <= i + 5:
                out.add(j)
                if _END.search(folded[j]):
                    break
                j += 1
            i = j + 1
            continue
        rest = _WORDS.findall(found[i][1])
        if i + 1 < len(sentences) and not _CLOSER.search(f) and (_FORWARD.search(f) or (len(f.split()) <= SHORT_HEADER_WORDS and len(rest) <= 3)):
            out.add(i + 1)
        i += 1
    return sorted(out)


def marked_sentences(text: str) -> list[str]:
    """The marked sentences of a text, as `split_sentences` cuts them (what chunks.flags stores)."""
    sents = split_sentences(text) or ([text] if text.strip() else [])
    return [sents[i] for i in marked(sents)]


def chunk_flags(text: str) -> dict:
    """What ingest stores on a chunk: {"injection": [sentences], "rules": version} or {} when clean."""
    found = marked_sentences(text)
    return {"injection": found, "rules": RULES_VERSION} if found else {}


# --- the prompt's evidence block ----------------------------------------------------------------
_DELIMS = re.compile(r"<{2,}|>{2,}|\[\s*/?\s*(?:[PK]\s*\d+|EVIDENCE[^\]]*|END[^\]]*)\s*\]|<\|[^|>]{0,40}\|>|\[/?(?:INST|SYS)\]|<</?SYS>>", re.I)


_LABELS = re.compile(r"\b(question|answer|passages)\s*:", re.I)


def escape_evidence(text: str) -> str:
    """Evidence text that cannot forge the prompt's structure: no passage keys ([P2], [K1]), no
    <<< >>> fences, no chat-template tokens (<|im_start|>), no line breaks; NFKC first, so
    fullwidth look-alikes of those are removed too."""
    s = unicodedata.normalize("NFKC", text)
    s = _INVISIBLE.sub("", s)
    s = _DELIMS.sub(" ", s)
    s = _LABELS.sub(lambda m: m.group(1), s)  # "Question:" inside evidence is no new question
    return " ".join(s.split())
