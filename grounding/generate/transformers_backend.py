"""Local generation with transformers on CPU: SmolLM2 by default, any local HF folder or GGUF file.

The N samples of one request run as ONE batched `generate` call (num_return_sequences), so
self-consistency costs much less than N separate answers. Per-token logprob and entropy come
from the raw (unwarped, temperature-1) logits, so they describe the model, not the sampler.
"""

from __future__ import annotations

import os

# No model hub is reachable: without these, a name lookup hangs ~80 s before failing.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import copy  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Generator as PieceGenerator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import torch  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    AutoTokenizer,
    GenerationConfig,
    PreTrainedModel,
    StoppingCriteria,
    StoppingCriteriaList,
    TextIteratorStreamer,
)

from grounding.config import GeneratorConfig, SamplingConfig  # noqa: E402
from grounding.generate.base import Generation, Message, TextStream, TokenInfo, is_single  # noqa: E402
from grounding.generate.errors import GenerationError  # noqa: E402
from grounding.generate.model_cache import ModelSource, build_atomically, resolve_source  # noqa: E402
from grounding.generate.postprocess import apply_stop, find_stop, pick_best  # noqa: E402
from grounding.generate.streaming import StopHoldback  # noqa: E402

TOP_ALTERNATIVES = 5  # alternatives kept per token (what the OpenAI-compatible server can return)


@dataclass(frozen=True)
class LoadInfo:
    """How the model was loaded: which folder, whether this load converted it, how long it took."""

    path: Path
    converted: bool
    seconds: float


def convert_gguf(gguf: Path, out: Path) -> None:
    """De-quantize a GGUF file to an fp32 safetensors folder (`save_pretrained` refuses GGUF models)."""
    import safetensors.torch

    tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.config.save_pretrained(out)
    model.generation_config.save_pretrained(out)
    safetensors.torch.save_model(model, str(out / "model.safetensors"))
    tok.save_pretrained(out)


class _StopOnStrings(StoppingCriteria):
    """Stops each sampled row as soon as its generated text contains a stop string."""

    def __init__(self, tokenizer, stops: list[str], n_prompt: int) -> None:
        self.tokenizer, self.stops, self.n_prompt = tokenizer, stops, n_prompt

    def __call__(self, input_ids: torch.LongTensor, scores, **kwargs) -> torch.BoolTensor:
        texts = self.tokenizer.batch_decode(input_ids[:, self.n_prompt :], skip_special_tokens=True)
        return torch.tensor([find_stop(t, self.stops) >= 0 for t in texts], dtype=torch.bool, device=input_ids.device)


class TransformersGenerator:
    """The default backend. Loads lazily on first use; one lock serializes model calls across threads."""

    def __init__(self, cfg: GeneratorConfig, cache_dir: Path) -> None:
        self.cfg = cfg
        self.cache_dir = Path(cache_dir)
        self.source: ModelSource = resolve_source(cfg.model_path)
        self.name = f"transformers:{self.source.name}"
        self.load_info: LoadInfo | None = None
        self._lock = threading.RLock()
        self._model: PreTrainedModel | None = None
        self._tok = None

    # -- loading -------------------------------------------------------------------------------
    def load(self) -> LoadInfo:
        """Load once (converting a GGUF source on first use); later calls return at once."""
        with self._lock:
            if self.load_info is not None:
                return self.load_info
            t0 = time.perf_counter()
            if self.cfg.threads > 0:
                torch.set_num_threads(self.cfg.threads)
            folder, converted = self.source.path, False
            if self.source.is_gguf:
                folder = self.cache_dir / "models" / self.source.name
                try:
                    converted = build_atomically(folder, lambda tmp: convert_gguf(self.source.path, tmp))
                except GenerationError:
                    raise
                except (OSError, ValueError, KeyError, RuntimeError) as exc:
                    raise GenerationError(f"cannot convert {self.source.path} for transformers: {exc}") from exc
            try:
                self._tok = AutoTokenizer.from_pretrained(folder)
                self._model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
            except (OSError, ValueError) as exc:
                raise GenerationError(f"cannot load generator model from {folder}: {exc}") from exc
            self.load_info = LoadInfo(folder, converted, time.perf_counter() - t0)
            return self.load_info

    # -- generation ----------------------------------------------------------------------------
    def generate(self, messages: list[Message], sampling: SamplingConfig, streamer: Any = None) -> list[Generation]:
        """`streamer` (a transformers streamer) sees the tokens of a single-row request as they come."""
        if sampling.num_samples < 1 or sampling.max_new_tokens < 1:
            raise GenerationError("num_samples and max_new_tokens must be at least 1")
        self.load()
        with self._lock:  # the model and the Rust tokenizer are not safe to share across threads
            gens = self._generate_locked(messages, sampling, streamer)
        if sampling.temperature <= 0.0:  # every greedy sample is the same text: computed once, copied
            return [copy.deepcopy(gens[0]) for _ in range(sampling.num_samples)]
        return pick_best(gens, sampling.num_samples) if len(gens) > sampling.num_samples else gens

    def stream(self, messages: list[Message], sampling: SamplingConfig) -> TextStream:
        """The same `generate` call with transformers' TextIteratorStreamer: the same tokens, as decoded."""
        if not is_single(sampling):
            return TextStream.whole(self.generate(messages, sampling))
        self.load()
        return TextStream(self._stream_pieces(messages, sampling))

    def _stream_pieces(self, messages: list[Message], sampling: SamplingConfig) -> PieceGenerator[str, None, list[Generation]]:
        streamer = TextIteratorStreamer(self._tok, skip_prompt=True, skip_special_tokens=True)
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["gens"] = self.generate(messages, sampling, streamer)
            except BaseException as exc:  # raised in the consumer, after what was streamed
                result["error"] = exc
            finally:
                streamer.end()  # unblocks the reader when generate failed before its own end()

        worker = threading.Thread(target=work, name="grounding-stream", daemon=True)
        worker.start()
        hold = StopHoldback(sampling.stop)
        for piece in streamer:
            if out := hold.feed(piece):
                yield out
        worker.join()
        if "error" in result:
            raise result["error"]
        gens: list[Generation] = result["gens"]
        if tail := hold.finish(gens[0].text):
            yield tail
        return gens

    def _generate_locked(self, messages: list[Message], sampling: SamplingConfig, streamer: Any = None) -> list[Generation]:
        """All candidate rows of one request (1 when greedy), from one batched `generate` call."""
        assert self._model is not None and self._tok is not None
        ids = self._tok(self._prompt(messages), return_tensors="pt", add_special_tokens=False).input_ids
        n_prompt = int(ids.shape[1])
        limit = int(getattr(self._model.config, "max_position_embeddings", 0) or 0)
        if limit and n_prompt + sampling.max_new_tokens > limit:
            raise GenerationError(
                f"prompt ({n_prompt} tokens) + max_new_tokens ({sampling.max_new_tokens}) exceeds the "
                f"model context of {limit} tokens; shorten the evidence"
            )
        greedy = sampling.temperature <= 0.0
        n_rows = 1 if greedy else max(sampling.num_samples, sampling.best_of)
        stops = [s for s in sampling.stop if s]
        criteria = StoppingCriteriaList([_StopOnStrings(self._tok, stops, n_prompt)]) if stops else None
        with torch.random.fork_rng(devices=[]), torch.inference_mode():
            torch.manual_seed(sampling.seed)
            out = self._model.generate(
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                generation_config=self._generation_config(sampling, n_rows, greedy),
                stopping_criteria=criteria,
                streamer=streamer if n_rows == 1 else None,
            )
        return [
            self._row(out.sequences[r, n_prompt:].tolist(), torch.stack([step[r] for step in out.logits]), n_prompt, stops)
            for r in range(n_rows)
        ]

    def _prompt(self, messages: list[Message]) -> str:
        """The chat template when the model has one; a plain transcript for base models."""
        if getattr(self._tok, "chat_template", None):
            return self._tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return "\n\n".join(m["content"] for m in messages) + "\n\n"

    def _eos_ids(self) -> list[int]:
        eos = self._model.generation_config.eos_token_id
        if eos is None:
            eos = self._tok.eos_token_id
        return [eos] if isinstance(eos, int) else list(eos or [])

    def _generation_config(self, s: SamplingConfig, n_rows: int, greedy: bool) -> GenerationConfig:
        """Every control set explicitly: unset fields would fall back to transformers' top_k=50."""
        eos = self._eos_ids()
        kw: dict = dict(
            max_new_tokens=s.max_new_tokens,
            repetition_penalty=s.repetition_penalty,
            eos_token_id=eos,
            pad_token_id=eos[0] if eos else self._tok.pad_token_id,
            output_logits=True,
            return_dict_in_generate=True,
        )
        if greedy:
            kw.update(do_sample=False)
        else:
            kw.update(
                do_sample=True,
                temperature=s.temperature,
                top_k=max(0, s.top_k),
                top_p=s.top_p,
                min_p=s.min_p if s.min_p > 0 else None,
                num_return_sequences=n_rows,
            )
        return GenerationConfig(**kw)

    def _row(self, ids: list[int], logits: torch.Tensor, n_prompt: int, stops: list[str]) -> Generation:
        """One sampled row -> Generation: cut at EOS, per-token logprob/entropy/top-k, cut at stop."""
        eos = set(self._eos_ids())
        end = next((i for i, t in enumerate(ids) if t in eos), None)
        content = ids[:end] if end is not None else ids
        logp = torch.log_softmax(logits[: len(content)].float(), dim=-1)  # raw logits: temperature 1
        entropy = -(logp.exp() * logp).nan_to_num(0.0).sum(-1)
        chosen = logp.gather(1, torch.tensor(content, dtype=torch.long).unsqueeze(1)).squeeze(1)
        top_v, top_i = logp.topk(TOP_ALTERNATIVES, dim=-1)
        alt_text = self._tok.batch_decode(top_i.reshape(-1, 1).tolist())
        tokens = []
        for j, piece in enumerate(self._pieces(content)):
            alts = [(alt_text[j * TOP_ALTERNATIVES + k], float(top_v[j, k])) for k in range(TOP_ALTERNATIVES)]
            tokens.append(TokenInfo(piece, float(chosen[j]), max(0.0, float(entropy[j])), alts))
        text = self._tok.decode(content, skip_special_tokens=True)
        gen = Generation(text, tokens, "stop" if end is not None else "length", n_prompt)
        return apply_stop(gen, stops)

    def _pieces(self, ids: list[int]) -> list[str]:
        """Each token's share of the decoded text (a split multi-byte character goes to its last token)."""
        pieces: list[str] = []
        prev = ""
        for i in range(len(ids)):
            cur = self._tok.decode(ids[: i + 1], skip_special_tokens=True)
            if cur.endswith("\ufffd") and i < len(ids) - 1:
                pieces.append("")
                continue
            pieces.append(cur[len(prev) :])
            prev = cur
        return pieces
