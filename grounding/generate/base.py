"""The generator interface: every backend phrases; none decides what is true.

A backend returns the text of each sample with per-token log-probabilities and
entropies, because the confidence estimate needs them (fine-grained, per sentence).
`stream` gives the same generation's text piece by piece as it is decoded (the web page
shows it while the model writes); the full result, token statistics included, follows.
"""

from __future__ import annotations

from collections.abc import Generator as _PieceGenerator
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from grounding.config import SamplingConfig

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": "..."}


@dataclass
class TokenInfo:
    text: str
    logprob: float  # log-probability of the chosen token under the sampling distribution's base model
    entropy: float  # entropy (nats) of the model's next-token distribution at this step
    # The most likely alternatives at this step as (token text, logprob), best first; empty when the
    # backend cannot give them. The OpenAI-compatible server returns them as `top_logprobs`.
    top_logprobs: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Generation:
    text: str
    tokens: list[TokenInfo] = field(default_factory=list)
    finish_reason: str = "stop"  # "stop" | "length"
    prompt_tokens: int = 0

    @property
    def mean_logprob(self) -> float:
        return sum(t.logprob for t in self.tokens) / len(self.tokens) if self.tokens else 0.0

    @property
    def mean_entropy(self) -> float:
        return sum(t.entropy for t in self.tokens) / len(self.tokens) if self.tokens else 0.0


class TextStream(Iterator[str]):
    """Text pieces as a backend decodes them; once exhausted, `generations` is what `generate` returns.

    Joined, the pieces are `generations[0].text` (same tokens, same stop cut). Why one object and
    not two calls: the caller (the agent's checks) needs the logprobs of exactly the text it showed.
    """

    def __init__(self, pieces: _PieceGenerator[str, None, list[Generation]]) -> None:
        self._pieces = pieces
        self._generations: list[Generation] | None = None

    @classmethod
    def whole(cls, generations: list[Generation]) -> TextStream:
        """A stream of an already finished result: its first text in one piece (none when empty).

        For what cannot be streamed token by token: a batch of samples (which one becomes the answer
        is decided after generation), or a backend that only answers whole.
        """

        def pieces() -> _PieceGenerator[str, None, list[Generation]]:
            if generations and generations[0].text:
                yield generations[0].text
            return generations

        return cls(pieces())

    def __iter__(self) -> TextStream:
        return self

    def __next__(self) -> str:
        if self._generations is not None:
            raise StopIteration
        try:
            return next(self._pieces)
        except StopIteration as done:
            self._generations = list(done.value or [])
            raise

    @property
    def generations(self) -> list[Generation]:
        """The finished result (reading it drains what is left of the stream)."""
        for _ in self:
            pass
        assert self._generations is not None
        return self._generations

    def close(self) -> None:
        """Stop early (a client went away): the backend's generator runs its cleanup."""
        self._pieces.close()


def is_single(sampling: SamplingConfig) -> bool:
    """Whether a request makes one candidate only (greedy, or one sample): the case that streams."""
    return sampling.temperature <= 0.0 or max(sampling.num_samples, sampling.best_of) <= 1


@runtime_checkable
class Generator(Protocol):
    """`generate` returns `sampling.num_samples` generations (at least one).

    `stream` runs the same request and yields its text as decoded; a request for several candidates
    (sampling with num_samples or best_of above 1) comes whole, as one piece (`TextStream.whole`).
    """

    name: str

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]: ...

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream: ...
