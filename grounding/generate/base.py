"""The generator interface: every backend phrases; none decides what is true.

A backend returns the text of each sample with per-token log-probabilities and
entropies, because the confidence estimate needs them (fine-grained, per sentence).
"""

from __future__ import annotations

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


@runtime_checkable
class Generator(Protocol):
    """`generate` returns `sampling.num_samples` generations (at least one)."""

    name: str

    def generate(self, messages: list[Message], sampling: SamplingConfig) -> list[Generation]: ...
