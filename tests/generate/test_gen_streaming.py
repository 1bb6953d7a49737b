"""The pieces every backend's stream() hands on: stop strings held back, worker errors raised."""

from __future__ import annotations

import pytest

from grounding.generate.base import Generation, TextStream
from grounding.generate.errors import GenerationError
from grounding.generate.streaming import StopHoldback, pieces_in_thread


def test_holdback_never_shows_a_stop_string_split_over_pieces():
    hold = StopHoldback(["\n\nQuestion:"])
    out = [hold.feed(p) for p in ["The pump", " tripped.", "\n", "\nQues", "tion: why"]]
    assert "".join(out) == "The pump tripped."
    assert hold.finish("The pump tripped.") == ""


def test_holdback_releases_a_false_start_and_the_tail():
    hold = StopHoldback(["STOP"])
    assert hold.feed("a ST") == "a "
    assert hold.feed("ART b") == "START b"
    assert hold.finish("a START b c") == " c"


def test_pieces_in_thread_returns_the_generations_and_raises_worker_errors():
    def run(on_text):
        for p in ("one ", "two"):
            on_text(p)
        return [Generation("one two")]

    stream = TextStream(pieces_in_thread(run, []))
    assert list(stream) == ["one ", "two"] and stream.generations[0].text == "one two"

    def fail(on_text):
        on_text("partial")
        raise GenerationError("refused")

    stream = TextStream(pieces_in_thread(fail, []))
    assert next(stream) == "partial"
    with pytest.raises(GenerationError, match="refused"):
        next(stream)


def test_whole_streams_the_first_text_once():
    gens = [Generation("a"), Generation("b")]
    stream = TextStream.whole(gens)
    assert list(stream) == ["a"] and stream.generations == gens and list(stream) == []
