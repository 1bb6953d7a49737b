"""A wrong engine.address fails in seconds, in one line naming the address and the key.

ray.init keeps retrying a GCS that is not there for minutes, so the engine (and the CLI, before
any model loads) first checks that a gRPC server answers at the address. No cluster is needed:
the addresses here are ports that were just closed, a listener that never answers, and the real
Redis on loopback (Ray's default port, 6379). A real GCS passing: tests/engine/test_ray_engine.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grounding.engine.base import EngineError
from grounding.engine.ray_engine import CONNECT_TIMEOUT_S, check_address, connect
from tests.conftest import REPO, nrc_records, require_service, write_jsonl


def _closed_port() -> int:
    """A loopback port nothing listens on (bound by us, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refused_address_is_one_line_naming_the_key():
    address = f"127.0.0.1:{_closed_port()}"
    t0 = time.monotonic()
    with pytest.raises(EngineError) as err:
        check_address(address)
    assert time.monotonic() - t0 < CONNECT_TIMEOUT_S
    msg = str(err.value)
    assert "\n" not in msg and "engine.address" in msg and repr(address) in msg and "--address" in msg


@pytest.mark.parametrize("address", ["nonsense", "127.0.0.1", "127.0.0.1:port", ":6379"])
def test_malformed_address_is_named(address):
    with pytest.raises(EngineError, match="engine.address .*host:port"):
        check_address(address)


def test_ray_lookups_pass():
    for address in ("", "auto", "local"):  # Ray resolves these itself
        check_address(address)


def test_a_listener_that_never_answers_is_refused():
    # Regression: a port that accepted a TCP connection passed, and ray.init then retried for minutes.
    with socket.create_server(("127.0.0.1", 0)) as srv:
        port = srv.getsockname()[1]
        for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):  # the Ray client form: the same check
            with pytest.raises(EngineError, match="not a Ray cluster's GCS .no gRPC answer within 0.5 s") as err:
                check_address(address, timeout=0.5)
            assert "\n" not in str(err.value) and repr(address) in str(err.value)


def test_another_service_on_the_port_is_refused():
    """Redis listens on Ray's default GCS port; with it at engine.address ray.init hung for minutes."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError as exc:
        require_service(f"Redis at 127.0.0.1:6379 is not reachable ({exc})")
    t0 = time.monotonic()
    with pytest.raises(EngineError, match="'127.0.0.1:6379': something listens there but it is not a Ray cluster's GCS"):
        check_address("127.0.0.1:6379")
    assert time.monotonic() - t0 < CONNECT_TIMEOUT_S


def test_connect_refuses_before_ray_init():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    address = f"127.0.0.1:{_closed_port()}"
    t0 = time.monotonic()
    with pytest.raises(EngineError, match="engine.address"):
        connect(address)
    assert time.monotonic() - t0 < CONNECT_TIMEOUT_S
    assert not ray.is_initialized()


@pytest.mark.parametrize("command", ["ingest", "summarize"])
def test_cli_bad_address_one_line_no_traceback(tmp_path: Path, command: str):
    corpus = write_jsonl(tmp_path / "nrc.jsonl", nrc_records(3))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n\n'
        f'[[corpus]]\nname = "nrc"\npath = "{corpus}"\nformat = "jsonl"\nid = "event_number"\ntext = ["event_text"]\n'
        'date = "event_date"\nmetadata = ["facility"]\n',
        encoding="utf-8",
    )
    address = f"127.0.0.1:{_closed_port()}"
    args = {"ingest": ["ingest", "-q"], "summarize": ["summarize", "--by", "facility", "--out", str(tmp_path / "out")]}[command]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "grounding.cli.main", "--config", str(config), *args,
                           "--engine", "ray", "--address", address],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "engine.address" in lines[0] and address in lines[0]
    assert time.monotonic() - t0 < 60  # the CLI's start-up, not Ray's minutes of retries
