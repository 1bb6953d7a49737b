"""A real two-node Ray cluster on loopback for the engine tests: a head node and a second worker node,
one CPU each, on free ports, in a temp dir; stopped at the end of the session.

Both nodes run as `ray start --block` children of this process, so the teardown ends exactly the
processes started here (never `ray stop`, which would end every Ray process on the machine).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import require_service

RAY_BIN = Path(sys.executable).with_name("ray")
OBJECT_STORE = str(150 * 1024 * 1024)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_ports() -> list[str]:
    """Free ports for a node's agents: their fixed defaults would collide with another cluster on this machine."""
    out = []
    for flag in ("--dashboard-agent-listen-port", "--dashboard-agent-grpc-port", "--runtime-env-agent-port", "--metrics-export-port"):
        out += [flag, str(_free_port())]
    return out


def _tree(proc: subprocess.Popen) -> list:
    import psutil

    try:
        p = psutil.Process(proc.pid)
        return [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _end(procs: list, grace: float = 10.0) -> None:
    """SIGTERM these processes (ours, by pid), then SIGKILL whatever is left."""
    import psutil

    for p in procs:
        try:
            p.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


@dataclass
class RayCluster:
    address: str
    temp_dir: Path
    env: dict
    head: subprocess.Popen
    workers: list[subprocess.Popen] = field(default_factory=list)
    started: list = field(default_factory=list)  # every process tree started here, for the teardown

    def add_worker(self, timeout: float = 120.0) -> subprocess.Popen:
        """Start one more worker node (1 CPU) and wait until the GCS lists a node id it did not know, alive.

        Waiting on a new id, not on the count of alive nodes: right after a node is killed the GCS
        still counts it alive until its health checks fail, so the count may never rise above the
        count taken before (the replacement joins while the dead node is dropped)."""
        import ray

        known = {n["NodeID"] for n in ray.nodes()}
        proc = subprocess.Popen(
            [str(RAY_BIN), "start", "--address", self.address, "--num-cpus", "1", "--block",
             "--node-ip-address", "127.0.0.1", "--object-store-memory", OBJECT_STORE, "--disable-usage-stats", *_node_ports()],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.workers.append(proc)
        self.started.append(proc)  # ended at teardown even if it never joins
        deadline = time.monotonic() + timeout
        while not any(n.get("Alive") and n["NodeID"] not in known for n in ray.nodes()):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Ray worker node did not join {self.address} within {timeout:g} s (exit {proc.poll()})")
            time.sleep(0.5)
        return proc

    def alive_nodes(self) -> int:
        import ray

        return sum(1 for n in ray.nodes() if n.get("Alive"))

    def kill_raylet(self, worker: subprocess.Popen) -> int:
        """SIGKILL the raylet of a worker node (the node dies with its actors); returns its pid."""
        for p in _tree(worker):
            try:
                if p.name() == "raylet":
                    p.kill()
                    return p.pid
            except Exception:
                continue
        raise RuntimeError("no raylet under that worker node")


@pytest.fixture(scope="session")
def ray_cluster():
    """Head (1 CPU) + one worker node (1 CPU) on loopback; this test process is the driver."""
    try:
        import psutil  # noqa: F401
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        require_service(f"ray is not installed ({exc}); pip install 'grounding[ray]'")
    if not RAY_BIN.exists():
        require_service(f"no ray command beside {sys.executable}")
    # Short path: Ray's socket names must stay under the 107-character limit of a Unix socket path.
    temp_dir = Path(tempfile.mkdtemp(prefix="grt-ray-", dir="/tmp"))
    port = _free_port()
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = temp_dir / "head.log"
    with log.open("wb") as out:
        head = subprocess.Popen(
            [str(RAY_BIN), "start", "--head", "--port", str(port), "--num-cpus", "1", "--include-dashboard", "false",
             "--temp-dir", str(temp_dir), "--node-ip-address", "127.0.0.1", "--object-store-memory", OBJECT_STORE,
             "--block", "--disable-usage-stats", *_node_ports()],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    cluster = RayCluster(address=f"127.0.0.1:{port}", temp_dir=temp_dir, env=env, head=head, started=[head])
    try:
        deadline = time.monotonic() + 120
        # Join only once the head says it is up: an early ray.init() keeps retrying a GCS that is not there yet.
        while b"Ray runtime started" not in log.read_bytes():
            if head.poll() is not None or time.monotonic() > deadline:
                require_service(f"the Ray head node did not start on {cluster.address}: {log.read_text(errors='replace')[-800:]}")
            time.sleep(0.5)
        ray.init(address=cluster.address, logging_level="WARNING")
        cluster.add_worker()
        yield cluster
    finally:
        try:
            ray.shutdown()
        finally:
            procs = [p for proc in reversed(cluster.started) for p in _tree(proc)]
            _end(procs)
            shutil.rmtree(temp_dir, ignore_errors=True)
