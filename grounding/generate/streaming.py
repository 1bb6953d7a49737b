"""What every backend's `stream()` shares: holding back a possible stop string, and running a
callback-style decoder in a thread so its pieces can be iterated.

Why hold back: a stop string can arrive split over several tokens, and the finished generation
is cut before it. A piece is sent only once no stop string can begin inside it, so the pieces
joined are exactly the final text (never a stop string that the result then drops).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from collections.abc import Generator as PieceGenerator

from grounding.generate.base import Generation
from grounding.generate.postprocess import find_stop

_DONE = object()


class StopHoldback:
    """Turns the growing decoded text into pieces that are safe to show before the stop cut."""

    def __init__(self, stops: Sequence[str]) -> None:
        self.stops = [s for s in stops if s]
        self.text = ""  # everything decoded so far
        self.sent = ""  # what was handed on

    def feed(self, piece: str) -> str:
        """Add newly decoded text; return the part that can be shown now (may be empty)."""
        self.text += piece
        cut = find_stop(self.text, self.stops)
        safe = self.text[:cut] if cut >= 0 else self.text[: len(self.text) - self._open_tail(self.text)]
        return self._advance(safe)

    def finish(self, final_text: str) -> str:
        """The rest of the finished generation's text (its stop cut and EOS decided by the backend)."""
        return self._advance(final_text)

    def _advance(self, upto: str) -> str:
        if len(upto) <= len(self.sent) or not upto.startswith(self.sent):
            return ""
        piece, self.sent = upto[len(self.sent) :], upto
        return piece

    def _open_tail(self, text: str) -> int:
        """Length of the longest tail of `text` that is a proper prefix of some stop string."""
        best = 0
        for stop in self.stops:
            for n in range(min(len(stop) - 1, len(text)), best, -1):
                if text.endswith(stop[:n]):
                    best = n
                    break
        return best


def pieces_in_thread(
    run: Callable[[Callable[[str], None]], list[Generation]], stops: Sequence[str]
) -> PieceGenerator[str, None, list[Generation]]:
    """Run `run(on_text)` in a worker thread and yield what it reports; return its generations.

    For decoders that call back (llama.cpp's embedded server) rather than yield. An error in the
    worker is raised here, after the pieces sent before it.
    """
    q: queue.Queue = queue.Queue()
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["gens"] = run(lambda piece: q.put(piece))
        except BaseException as exc:  # handed to the consumer, raised there
            result["error"] = exc
        finally:
            q.put(_DONE)

    worker = threading.Thread(target=work, name="grounding-stream", daemon=True)
    worker.start()
    hold = StopHoldback(stops)
    while (item := q.get()) is not _DONE:
        if out := hold.feed(item):
            yield out
    worker.join()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    gens: list[Generation] = result["gens"]  # type: ignore[assignment]
    if gens and (tail := hold.finish(gens[0].text)):
        yield tail
    return gens
