"""The Ray engine: embedding, linking and group summaries on a Ray cluster, through Ray Data.

Each step is one Ray Data job over plain rows (position + chunk text, report id + text, one
group with its reports) mapped by a fixed-size actor pool (`ActorPoolStrategy`): each actor
loads its model once, from the same PyPI package path as the local engine, offline. The driver
(the `grounding` process) consumes results as they stream back and does every write itself, at
the local engine's commit points. Ray Data restarts a killed actor and retries its tasks (its
actor pools default to max_restarts = max_task_retries = -1); a result that arrives twice is
used once. If the job fails anyway (the cluster went away), the caller's crash rules apply: what
was committed stays, and the next run of the same command finishes the rest.

No scheduling or transport of our own: Ray places the actors, moves the blocks and retries.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import socket
import time
from collections.abc import Iterator, Sequence

import numpy as np

from grounding.config import Config, EmbedderConfig
from grounding.engine.base import EngineError, Mention

log = logging.getLogger("grounding")

LINK_ROWS = 64  # reports per linker call (one Ray Data block each)
# How long the GCS port of engine.address may take to accept a TCP connection and answer. ray.init
# itself retries an unreachable GCS for minutes (Ray's gcs_rpc_server_reconnect_timeout_s), also when
# another service holds the port (Redis has Ray's default 6379), so it is not asked until a gRPC
# server answers there.
CONNECT_TIMEOUT_S = 10.0
# RFC 9113 3.4: the HTTP/2 client connection preface, then an empty SETTINGS frame. Ray's GCS (and
# the Ray Client server behind ray://) is a gRPC server, and an HTTP/2 server's first frame is SETTINGS.
_H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
_H2_SETTINGS = 4


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401  (the [data] part of the extra)
    except ImportError:
        raise EngineError("engine.kind = 'ray' needs the ray extra: pip install 'grounding[ray]'") from None
    return ray


def _first_frame_is_settings(sock: socket.socket, timeout: float) -> bool:
    """Whether the peer answers the HTTP/2 preface with a SETTINGS frame on stream 0, as gRPC servers do."""
    sock.settimeout(timeout)
    sock.sendall(_H2_PREFACE)
    head = b""
    while len(head) < 9:  # a frame header: length (3), type, flags, stream id (4)
        chunk = sock.recv(9 - len(head))
        if not chunk:
            break
        head += chunk
    return len(head) == 9 and head[3] == _H2_SETTINGS and head[5:9] == bytes(4)


def check_address(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail in `timeout` seconds, in one line naming engine.address, when nothing listens at the GCS
    "host:port" (or "ray://host:port"), or what listens there is no gRPC server (another service on
    the port); "" / "auto" / "local" are Ray's own lookups and pass. A cluster with TLS on
    (Ray's RAY_USE_TLS) is only checked for a listening port."""
    if address in ("", "auto", "local"):
        return
    host, sep, port = address.split("://", 1)[-1].rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit():
        raise EngineError(f"engine.address {address!r}: expected the cluster's GCS as host:port (e.g. 127.0.0.1:6379)")
    try:
        sock = socket.create_connection((host, int(port)), timeout=timeout)
    except OSError as exc:
        why = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or type(exc).__name__)
        raise EngineError(f"engine.address {address!r}: no Ray cluster there ({why} within {timeout:g} s); "
                          "start one (ray start --head) or set engine.address / --address") from None
    with sock:
        if os.environ.get("RAY_USE_TLS", "").lower() in ("1", "true"):
            return
        try:
            grpc = _first_frame_is_settings(sock, timeout)
            why = "it answered, but not as a gRPC server"
        except OSError as exc:
            grpc = False
            why = f"no gRPC answer within {timeout:g} s" if isinstance(exc, TimeoutError) else (exc.strerror or type(exc).__name__)
    if not grpc:
        raise EngineError(f"engine.address {address!r}: something listens there but it is not a Ray cluster's GCS ({why}; "
                          "another service on the port?); `ray start --head` prints the address to use in engine.address / --address")


def connect(address: str) -> None:
    """Join the cluster at `address` (empty: start a Ray instance on this machine), once per process."""
    ray = _ray()
    if not ray.is_initialized():
        check_address(address)
        kw: dict = {"address": address} if address else {"include_dashboard": False}
        try:
            ray.init(logging_level=logging.WARNING, **kw)
        except Exception as exc:  # ConnectionError, a version mismatch, a refused port ...
            where = f"engine.address {address!r}" if address else "a local Ray instance"
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(f"{where}: cannot start or join Ray ({type(exc).__name__}: {msg})") from None
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the CLI draws its own progress; Ray's bars would interleave on stderr
    for name, value in (("print_on_execution_start", False), ("verbose_stats_logs", False)):
        if hasattr(ctx, name):
            setattr(ctx, name, value)
    logging.getLogger("ray.data").setLevel(logging.WARNING)


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _torch_threads(n: int) -> None:
    import torch

    torch.set_num_threads(max(1, n))


# --- actors (constructed on the cluster by Ray Data; they compute, never write) ---------------------
class EmbedActor:
    """One embedder, loaded as the local engine loads it (grounding.embed.factory, package weights)."""

    def __init__(self, ecfg: EmbedderConfig, threads: int) -> None:
        _offline()
        _torch_threads(threads)
        from grounding.embed.factory import make_embedder

        self.embedder = make_embedder(ecfg)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vecs = self.embedder.embed_passages([str(t) for t in batch["text"]])
        return {"pos": np.asarray(batch["pos"], dtype=np.int64), "vec": np.asarray(vecs, dtype=np.float32)}


class LinkActor:
    """The ontology linker, built from the same config; refuses to run with another lexicon than the driver's."""

    def __init__(self, cfg: Config, fingerprint: str, threads: int) -> None:
        _offline()
        from grounding.ontology.graph import OntologyGraph
        from grounding.ontology.linker import Linker

        onto = OntologyGraph.from_config(cfg)
        embedder = None
        if cfg.ontology.link_embedding_threshold > 0:
            _torch_threads(threads)
            from grounding.embed.factory import make_embedder

            embedder = make_embedder(cfg.embedder)
        self.linker = Linker.from_config(onto, cfg, embedder=embedder) if onto is not None else None
        got = self.linker.fingerprint if self.linker is not None else ""
        if got != fingerprint:
            raise RuntimeError(f"the linker on this node has lexicon {got or 'none'}, the driver's is {fingerprint}: "
                               "every node needs the same ontology files")

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = []
        for text in batch["text"]:
            try:
                ms = self.linker.link(str(text))
                out.append(json.dumps([[m.concept, int(m.start), int(m.end), float(m.score)] for m in ms]))
            except Exception as exc:  # as locally: a linker bug leaves one report unlinked, with a warning
                out.append("!" + f"{type(exc).__name__}: {exc}")
        return {"pos": np.asarray(batch["pos"], dtype=np.int64), "id": batch["id"], "links": np.asarray(out, dtype=object)}


class SummarizeActor:
    """One summarizer (embedder, optional generator, concept index) as a summarize worker process has."""

    def __init__(self, cfg: Config, threads: int) -> None:
        _offline()
        _torch_threads(threads)
        from grounding.system import Grounding

        self.system = Grounding(cfg)  # only its models are used: the reports come with each group
        self.tools = None

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from grounding.summarize.compose import summarize_group
        from grounding.summarize.concepts import ConceptIndex
        from grounding.summarize.runner import _ontology, make_tools

        keys, payloads, timings_out, seconds = [], [], [], []
        for blob in batch["task"]:
            t0 = time.perf_counter()
            task, reports, links = pickle.loads(blob)
            timings: dict[str, float] = {}
            if self.tools is None:
                warnings: list[str] = []
                cidx = ConceptIndex(_ontology(self.system, warnings), self.system.cfg.summarize)
                self.tools = make_tools(self.system, cidx, timings)
            payload = summarize_group(task, reports, links, self.tools, timings)
            keys.append(task["key"])
            payloads.append(json.dumps(payload, ensure_ascii=False, default=str))
            timings_out.append(json.dumps(timings))
            seconds.append(time.perf_counter() - t0)
        return {
            "pos": np.asarray(batch["pos"], dtype=np.int64),
            "key": np.asarray(keys, dtype=object),
            "payload": np.asarray(payloads, dtype=object),
            "timings": np.asarray(timings_out, dtype=object),
            "seconds": np.asarray(seconds, dtype=np.float64),
        }


# --- the engine (driver side) ------------------------------------------------------------------------
class RayEngine:
    kind = "ray"

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        e = cfg.engine
        self.embed_group = e.chunks_per_job
        self.link_window = e.records_per_job
        self.actors = e.embed_actors
        self.threads = max(1, int(e.cpus_per_actor))

    def _remote_args(self) -> dict:
        e = self.cfg.engine
        out: dict = {"num_cpus": e.cpus_per_actor}
        if e.gpus_per_actor > 0:
            out["num_gpus"] = e.gpus_per_actor
        return out

    def _embedder_config(self) -> EmbedderConfig:
        ecfg = self.cfg.embedder.model_copy()
        if self.cfg.engine.gpus_per_actor > 0 and ecfg.device == "cpu":
            ecfg.device = "cuda"  # Ray gives the actor its GPU through CUDA_VISIBLE_DEVICES
        if not ecfg.threads:
            ecfg.threads = self.threads
        return ecfg

    def _stream(self, what: str, ds, key: str, n: int) -> Iterator[dict[str, np.ndarray]]:
        """Batches of a job as they finish, each row once (a retried task's second answer is dropped);
        a failed job raises EngineError, after the caller has used every batch that did arrive."""
        done = np.zeros(n, dtype=bool)
        try:
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                idx = np.asarray(batch[key], dtype=np.int64)
                fresh = ~done[idx]
                if not fresh.all():
                    batch = {k: np.asarray(v)[fresh] for k, v in batch.items()}
                    idx = idx[fresh]
                if len(idx):
                    done[idx] = True
                    yield batch
        except EngineError:
            raise
        except Exception as exc:
            msg = str(exc).strip().splitlines()
            raise EngineError(f"the Ray {what} job failed after {int(done.sum()):,} of {n:,} rows: "
                              f"{type(exc).__name__}: {msg[0] if msg else ''}") from exc
        if not done.all():
            raise EngineError(f"the Ray {what} job returned {int(done.sum()):,} of {n:,} rows")

    def embed(self, texts: Sequence[str], step: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if not texts:
            return
        connect(self.cfg.engine.address)
        import pyarrow as pa
        import ray

        step = self.cfg.engine.batch_size or step
        # One block per batch: each actor call embeds exactly the slice the local engine would (same padding).
        blocks = [pa.table({"pos": np.arange(i, min(i + step, len(texts)), dtype=np.int64), "text": list(texts[i : i + step])})
                  for i in range(0, len(texts), step)]
        ds = ray.data.from_arrow(blocks).map_batches(
            EmbedActor,
            fn_constructor_kwargs={"ecfg": self._embedder_config(), "threads": self.threads},
            batch_size=step,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.actors, len(blocks))),
            **self._remote_args(),
        )
        for batch in self._stream("embedding", ds, "pos", len(texts)):
            yield batch["pos"], np.asarray(batch["vec"], dtype=np.float32)

    def link(self, items: Sequence[tuple[str, str]], fingerprint: str) -> dict[str, list[Mention] | str]:
        if not items:
            return {}
        connect(self.cfg.engine.address)
        import pyarrow as pa
        import ray

        blocks = [pa.table({"pos": np.arange(i, min(i + LINK_ROWS, len(items)), dtype=np.int64),
                            "id": [r for r, _ in items[i : i + LINK_ROWS]], "text": [t for _, t in items[i : i + LINK_ROWS]]})
                  for i in range(0, len(items), LINK_ROWS)]
        ds = ray.data.from_arrow(blocks).map_batches(
            LinkActor,
            fn_constructor_kwargs={"cfg": self.cfg, "fingerprint": fingerprint, "threads": self.threads},
            batch_size=LINK_ROWS,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(self.actors, len(blocks))),
            num_cpus=self.cfg.engine.cpus_per_actor,
        )
        out: dict[str, list[Mention] | str] = {}
        for batch in self._stream("linking", ds, "pos", len(items)):
            for rid, links in zip(batch["id"], batch["links"]):
                links = str(links)
                out[str(rid)] = links[1:] if links.startswith("!") else [Mention(c, s, e, sc) for c, s, e, sc in json.loads(links)]
        return out

    def summarize(self, groups: Sequence[tuple[dict, dict, dict]]) -> Iterator[tuple[str, dict, dict, float]]:
        """(key, payload, stage timings, seconds) per group of (task, reports, links), as each finishes."""
        if not groups:
            return
        connect(self.cfg.engine.address)
        import pyarrow as pa
        import ray

        e = self.cfg.engine
        # Largest groups first, so the last to finish is a small one (as the local worker pool orders them).
        order = sorted(range(len(groups)), key=lambda i: (-len(groups[i][0]["report_ids"]), groups[i][0]["key"]))
        blocks = [pa.table({"pos": np.asarray([i], dtype=np.int64), "task": [pickle.dumps(groups[i])]}) for i in order]
        threads = self.cfg.summarize.threads_per_worker or self.threads
        ds = ray.data.from_arrow(blocks).map_batches(
            SummarizeActor,
            fn_constructor_kwargs={"cfg": self.cfg, "threads": threads},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(e.summarize_actors or e.embed_actors, len(blocks))),
            **self._remote_args(),
        )
        for batch in self._stream("summarize", ds, "pos", len(groups)):
            for key, payload, timings, seconds in zip(batch["key"], batch["payload"], batch["timings"], batch["seconds"]):
                yield str(key), json.loads(str(payload)), json.loads(str(timings)), float(seconds)

