"""grounding.text.korean: particles and kiwipiepy segmentation (loaded only for Hangul)."""

from __future__ import annotations

import subprocess
import sys

from grounding.text import korean


def test_strip_particle():
    assert korean.strip_particle("변압기가") == "변압기"
    assert korean.strip_particle("발전소에서는") == "발전소"
    assert korean.strip_particle("가") == "가"
    assert korean.is_particle("에서") and not korean.is_particle("변압기")


def test_segment_korean():
    forms = [(f, t) for f, t, _, _ in korean.segment("주변압기의 냉각팬이 고장났다")]
    assert ("변압기", "NNG") in forms
    assert any(t.startswith("J") for _, t in forms)  # particles are tagged as such
    assert korean.content_morphemes("발전소가 정지되었다")[:1] == ["발전소"]


def test_segment_of_english_text_does_not_load_kiwi():
    code = (
        "from grounding.text import korean, tokenize\n"
        "assert korean.segment('pump tripped') == []\n"
        "tokenize(['The pumps tripped'])\n"
        "import sys; assert 'kiwipiepy' not in sys.modules and korean._kiwi is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_listed_particle_is_a_particle_or_ending_to_kiwi():
    """The closed list the linker uses agrees with kiwipiepy's analysis after a noun."""
    kiwi_tags = ("J", "E", "VCP", "XSN")  # particles, endings, copula, the plural suffix 들
    wrong = []
    for p in korean.PARTICLES:
        # after a vowel-final and a consonant-final noun ("변압기로", "발전소로" but "냉각팬으로")
        tags = []
        for noun in ("변압기", "냉각팬"):
            tags.append([t for _, t, s, _ in korean.segment(noun + p) if s >= len(noun)])
        if not any(rest and all(t.startswith(kiwi_tags) for t in rest) for rest in tags):
            wrong.append((p, tags))
    assert [p for p, _ in wrong] in ([], ["같이"]), wrong  # 같이 also reads as an adverb
