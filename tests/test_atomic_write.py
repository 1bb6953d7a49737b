"""A replaced file is whole or untouched: a write that fails leaves the old bytes and no temporary file."""

from __future__ import annotations

import pytest

from grounding import atomic_write
from grounding.atomic_write import atomic_write_bytes


def test_writes_and_replaces(tmp_path):
    p = tmp_path / "meta.json"
    atomic_write_bytes(p, b"one")
    atomic_write_bytes(p, b"two")
    assert p.read_bytes() == b"two" and [f.name for f in tmp_path.iterdir()] == ["meta.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    p = tmp_path / "meta.json"
    atomic_write_bytes(p, b"old")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic_write.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(p, b"new")
    assert p.read_bytes() == b"old" and [f.name for f in tmp_path.iterdir()] == ["meta.json"]
